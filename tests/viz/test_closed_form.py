"""Closed form vs gradient descent on linear regression."""
from __future__ import annotations

import numpy as np
import pytest

from chainrule.viz.closed_form import gd_path, plot_closed_form_vs_gd, regression_data

from .conftest import assert_picture


def test_gd_reaches_the_normal_equation_solution():
    X, y = regression_data()
    A = np.c_[X, np.ones(len(X))]
    w_star, b_star = np.linalg.lstsq(A, y, rcond=None)[0]
    path, losses = gd_path(X, y, lr=0.1, steps=2000)
    np.testing.assert_allclose(path[-1], [w_star, b_star], rtol=1e-6)
    assert losses[-1] == pytest.approx(np.mean((A @ [w_star, b_star] - y) ** 2), rel=1e-9)
    assert np.all(np.diff(losses) <= 1e-12)  # monotone for a stable learning rate


def test_too_large_a_learning_rate_diverges():
    X, y = regression_data()
    _, losses = gd_path(X, y, lr=0.5, steps=500)
    assert losses[-1] > 1e6 and len(losses) < 500


def test_figure():
    fig = plot_closed_form_vs_gd()
    ax, ax2 = fig.axes
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert [lab.split("(")[-1] for lab in labels[:3]] == ["too small)", "about right)",
                                                          "too large)"]
    assert labels[3].startswith("normal equation: w = 1.565")
    assert ax2.get_yscale() == "log"
    assert_picture(fig, (12.0, 5.0), min_colors=30)
    with pytest.raises(ValueError, match="expected one feature"):
        plot_closed_form_vs_gd(np.zeros((5, 2)), np.zeros(5))
