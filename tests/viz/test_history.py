"""Training curves and the confusion matrix."""
from __future__ import annotations

import numpy as np
import pytest

from chainrule.train import History
from chainrule.viz.confusion import plot_confusion_matrix
from chainrule.viz.history import plot_history

from .conftest import assert_picture


def test_history_panels_pair_training_and_validation():
    h = History()
    for e in range(12):
        h.append(e, {"loss": 1 / (e + 1), "val_loss": 1.2 / (e + 1), "accuracy": e / 12,
                     "val_accuracy": e / 13, "lr": 0.1 * 0.5 ** (e // 4), "time": 0.1})
    fig = plot_history(h, title="run")
    titles = [ax.get_title() for ax in fig.axes]
    assert titles == ["loss", "accuracy", "learning rate"]  # no panel for time
    loss_ax = fig.axes[0]
    assert [line.get_label() for line in loss_ax.get_lines()] == ["training", "validation"]
    np.testing.assert_allclose(loss_ax.get_lines()[0].get_ydata(), h["loss"])
    assert_picture(fig, (12.0, 3.0))


def test_history_log_scale_and_dict_input():
    fig = plot_history({"loss": [10.0, 1.0, 0.01]})
    assert fig.axes[0].get_yscale() == "log"
    with pytest.raises(ValueError, match="empty history"):
        plot_history({})
    with pytest.raises(TypeError, match="got list"):
        plot_history([1, 2])


def test_confusion_matrix_from_labels():
    fig = plot_confusion_matrix(y_true=[0, 0, 1, 1, 2, 2], y_pred=[0, 1, 1, 1, 2, 0],
                                class_names=["a", "b", "c"])
    ax = fig.axes[0]
    np.testing.assert_array_equal(ax.get_images()[0].get_array(),
                                  [[1, 1, 0], [0, 2, 0], [1, 0, 1]])
    assert "accuracy 66.7%" in ax.get_title()
    assert [t.get_text() for t in ax.texts] == ["1", "1", "0", "0", "2", "0", "1", "0", "1"]
    assert_picture(fig, (5.0, 4.0))


def test_confusion_matrix_normalized_and_errors():
    fig = plot_confusion_matrix(np.array([[8, 2], [1, 9]]), normalize=True)
    assert fig.axes[0].texts[0].get_text() == "8\n80%"
    with pytest.raises(ValueError, match="square matrix"):
        plot_confusion_matrix(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="expected 2 class names, got 3"):
        plot_confusion_matrix(np.eye(2), class_names=["a", "b", "c"])
    with pytest.raises(ValueError, match="got neither"):
        plot_confusion_matrix()
