"""save_run_figures: the run folder's PNGs, per task."""
from __future__ import annotations

import numpy as np
import pytest

import chainrule as cr
from chainrule.train import History
from chainrule.viz.run import save_run_figures

from .conftest import render


def _history():
    h = History()
    for e in range(5):
        h.append(e, {"loss": 1 / (e + 1), "val_loss": 1.1 / (e + 1), "accuracy": 0.2 * e,
                     "lr": 0.01})
    return h


def _png_shape(path):
    from matplotlib.image import imread
    return imread(path).shape


def test_binary_run(tmp_path, rng):
    X = rng.normal(size=(60, 2)).astype(np.float32)
    y = (X[:, 0] + X[:, 1] > 0).astype(np.float32).reshape(-1, 1)  # as chainrule train encodes
    cr.manual_seed(0)
    paths = save_run_figures(tmp_path, _history(), cr.nn.Linear(2, 1), X, y, "binary",
                             ["neg", "pos"])
    assert [p.name for p in paths] == ["training_curves.png", "confusion_matrix.png",
                                       "decision_boundary.png"]
    assert _png_shape(paths[0])[:2] == (300, 1200)
    assert _png_shape(paths[1])[:2] == (400, 500)
    assert _png_shape(paths[2])[:2] == (500, 600)
    for p in paths:
        assert render_png(p)[..., :3].std() > 0.05  # not blank
    assert sorted(f.name for f in tmp_path.iterdir()) == sorted(p.name for p in paths)


def render_png(path):
    from matplotlib.image import imread
    return imread(path)


def test_multiclass_run_with_more_features(tmp_path, rng):
    X = rng.normal(size=(30, 4)).astype(np.float32)
    y = rng.integers(0, 3, size=30)
    paths = save_run_figures(tmp_path, _history(), cr.nn.Linear(4, 3), X, y, "multiclass", None)
    assert [p.name for p in paths] == ["training_curves.png", "confusion_matrix.png"]


def test_regression_run_has_predicted_vs_true_and_residuals(tmp_path, rng):
    import os
    import stat

    from chainrule.tabular.preprocess import TargetScaler
    X = rng.normal(size=(30, 2)).astype(np.float32)
    scaler = TargetScaler().fit(X[:, :1] * 3000 + 2e5)
    paths = save_run_figures(tmp_path, _history(), cr.nn.Linear(2, 1), X, X[:, :1], "regression",
                             None, val=(X[:5], X[:5, :1]), target_scaler=scaler,
                             target_name="price")
    assert [p.name for p in paths] == ["training_curves.png", "predicted_vs_true.png",
                                       "residuals.png"]
    for p in paths:
        assert render_png(p)[..., :3].std() > 0.05
        umask = os.umask(0)
        os.umask(umask)
        assert stat.S_IMODE(p.stat().st_mode) == 0o666 & ~umask  # 0644 with the usual umask


def test_validation_confusion_matrix_beside_the_training_one(tmp_path, rng):
    X = rng.normal(size=(30, 4)).astype(np.float32)
    y = rng.integers(0, 3, size=30)
    paths = save_run_figures(tmp_path, None, cr.nn.Linear(4, 3), X, y, "multiclass",
                             ["a", "b", "c"], val=(X[:9], y[:9]))
    assert [p.name for p in paths] == ["confusion_matrix.png", "confusion_matrix_val.png"]


def test_decision_boundary_axes_named_after_the_columns(tmp_path, rng, monkeypatch):
    from chainrule.viz import run as viz_run
    figs = []
    real = viz_run.plot_decision_boundary
    monkeypatch.setattr(viz_run, "plot_decision_boundary",
                        lambda *a, **k: figs.append(real(*a, **k)) or figs[-1])
    X = rng.normal(size=(30, 2)).astype(np.float32)
    save_run_figures(tmp_path, None, cr.nn.Linear(2, 1), X, (X[:, :1] > 0).astype(np.float32),
                     "binary", ["no", "yes"], feature_names=["age", "income"])
    assert figs[0].axes[0].get_xlabel().startswith("age")
    assert figs[0].axes[0].get_ylabel().startswith("income")


def test_errors_leave_the_folder_unchanged(tmp_path, rng):
    X = rng.normal(size=(10, 2)).astype(np.float32)
    with pytest.raises(ValueError, match="expected task in"):
        save_run_figures(tmp_path, _history(), cr.nn.Linear(2, 1), X, X[:, 0], "ranking", None)
    with pytest.raises(OSError, match="expected an existing run folder"):
        save_run_figures(tmp_path / "missing", _history(), cr.nn.Linear(2, 1), X, X[:, 0],
                         "binary", None)
    assert list(tmp_path.iterdir()) == []


def test_render_helper_matches_saved_png(tmp_path):
    from chainrule.viz.history import plot_history
    fig = plot_history({"loss": [1.0, 0.5]})
    assert render(fig).shape[:2] == (300, 400)
