"""The strong-Wolfe line search and its cubic interpolation (optim/_line_search.py)."""
from __future__ import annotations

import numpy as np
import pytest

from chainrule.optim._line_search import cubic_interpolate, strong_wolfe


def test_cubic_interpolation_finds_the_minimum_of_a_cubic() -> None:
    f = lambda x: x ** 3 - 3 * x      # noqa: E731  (minimum at x = 1)
    df = lambda x: 3 * x ** 2 - 3     # noqa: E731
    assert cubic_interpolate(0.0, f(0.0), df(0.0), 2.0, f(2.0), df(2.0)) == pytest.approx(1.0)
    assert cubic_interpolate(2.0, f(2.0), df(2.0), 0.0, f(0.0), df(0.0)) == pytest.approx(1.0)


def test_cubic_interpolation_clips_to_bounds_and_falls_back_to_the_middle() -> None:
    f = lambda x: x ** 3 - 3 * x      # noqa: E731  (minimum at x = 1)
    df = lambda x: 3 * x ** 2 - 3     # noqa: E731
    assert cubic_interpolate(0.0, f(0.0), df(0.0), 2.0, f(2.0), df(2.0), bounds=(1.5, 5.0)) == 1.5
    # no real minimiser (d1² < g1 g2): the middle of the bounds
    assert cubic_interpolate(0.0, 0.0, 3.0, 1.0, 2.0, 3.0, bounds=(0.0, 4.0)) == 2.0
    assert cubic_interpolate(1.0, 0.0, 1.0, 1.0, 0.0, 1.0) == 1.0  # a point, not a division by 0


def test_strong_wolfe_step_satisfies_both_conditions() -> None:
    A = np.diag([1.0, 10.0])
    x0 = np.array([1.0, 1.0])
    f = lambda x: 0.5 * x @ A @ x     # noqa: E731
    g0 = A @ x0
    d = -g0
    obj = lambda t: (f(x0 + t * d), A @ (x0 + t * d))  # noqa: E731
    gtd = float(g0 @ d)
    f_new, g_new, t, evals = strong_wolfe(obj, 1.0, d, f(x0), g0, gtd)
    assert f_new <= f(x0) + 1e-4 * t * gtd
    assert abs(float(g_new @ d)) <= 0.9 * abs(gtd)
    assert f_new == pytest.approx(f(x0 + t * d)) and evals >= 1
