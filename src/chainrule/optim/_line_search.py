"""Strong-Wolfe line search with cubic interpolation (Nocedal & Wright, Algorithms 3.5 and 3.6).

The same procedure as minFunc's and PyTorch's LBFGS: bracket a step length t
along a descent direction d, then zoom into the bracket, until t satisfies

    f(x + t d) <= f(x) + c1 t ∇f(x)·d          (sufficient decrease, Armijo)
    |∇f(x + t d)·d| <= c2 |∇f(x)·d|            (curvature)
"""
from __future__ import annotations

import math
from typing import Callable

import numpy as np

# obj(t) -> (f(x + t d), ∇f(x + t d) as a flat array)
Objective = Callable[[float], "tuple[float, np.ndarray]"]


def cubic_interpolate(x1: float, f1: float, g1: float, x2: float, f2: float, g2: float,
                      bounds: tuple[float, float] | None = None) -> float:
    """Minimiser of the cubic through (x1, f1, f1') and (x2, f2, f2'), clipped to ``bounds``.

    Falls back to the middle of the bounds when the cubic has no minimum.
    """
    lo, hi = bounds if bounds is not None else (min(x1, x2), max(x1, x2))
    if x1 == x2:
        return (lo + hi) / 2.0
    d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2)
    d2_square = d1 * d1 - g1 * g2
    if not d2_square >= 0:
        return (lo + hi) / 2.0
    d2 = math.sqrt(d2_square)
    if x1 <= x2:
        num, den, far, near = g2 + d2 - d1, g2 - g1 + 2 * d2, x2, x1
    else:
        num, den, far, near = g1 + d2 - d1, g1 - g2 + 2 * d2, x1, x2
    if den == 0:
        return (lo + hi) / 2.0
    return min(max(far - (far - near) * (num / den), lo), hi)


def strong_wolfe(obj: Objective, t: float, d: np.ndarray, f: float, g: np.ndarray, gtd: float,
                 c1: float = 1e-4, c2: float = 0.9, tolerance_change: float = 1e-9,
                 max_ls: int = 25) -> tuple[float, np.ndarray, float, int]:
    """Find a step length along ``d`` from the point with loss ``f``, gradient ``g``.

    Returns ``(f_new, g_new, t, evaluations)``.
    """
    d_norm = float(np.abs(d).max())
    f_new, g_new = obj(t)
    evals = 1
    gtd_new = float(g_new @ d)

    # 1. bracketing: grow t until an interval must contain an acceptable step
    t_prev, f_prev, g_prev, gtd_prev = 0.0, f, g, gtd
    done = False
    ls_iter = 0
    while ls_iter < max_ls:
        if f_new > f + c1 * t * gtd or (ls_iter > 1 and f_new >= f_prev):
            bracket, bracket_f = [t_prev, t], [f_prev, f_new]
            bracket_g, bracket_gtd = [g_prev, g_new], [gtd_prev, gtd_new]
            break
        if abs(gtd_new) <= -c2 * gtd:  # both conditions hold: accept t
            bracket, bracket_f, bracket_g, bracket_gtd = [t], [f_new], [g_new], [gtd_new]
            done = True
            break
        if gtd_new >= 0:  # the slope turned: a minimum lies between t_prev and t
            bracket, bracket_f = [t_prev, t], [f_prev, f_new]
            bracket_g, bracket_gtd = [g_prev, g_new], [gtd_prev, gtd_new]
            break
        # extrapolate: a cubic step in [t + 0.01 (t - t_prev), 10 t]
        t_next = cubic_interpolate(t_prev, f_prev, gtd_prev, t, f_new, gtd_new,
                                   bounds=(t + 0.01 * (t - t_prev), t * 10))
        t_prev, f_prev, g_prev, gtd_prev = t, f_new, g_new, gtd_new
        t = t_next
        f_new, g_new = obj(t)
        evals += 1
        gtd_new = float(g_new @ d)
        ls_iter += 1
    if ls_iter == max_ls:
        bracket, bracket_f, bracket_g = [0.0, t], [f, f_new], [g, g_new]
        bracket_gtd = [gtd, gtd_new]

    # 2. zoom: shrink the bracket by cubic interpolation until the conditions hold
    insufficient_progress = False
    low, high = (0, 1) if bracket_f[0] <= bracket_f[-1] else (1, 0)
    while not done and ls_iter < max_ls:
        if abs(bracket[1] - bracket[0]) * d_norm < tolerance_change:
            break
        t = cubic_interpolate(bracket[0], bracket_f[0], bracket_gtd[0],
                              bracket[1], bracket_f[1], bracket_gtd[1])
        # a trial too close to an end of the bracket moves 10% of its length inside
        b_max, b_min = max(bracket), min(bracket)
        margin = 0.1 * (b_max - b_min)
        if min(b_max - t, t - b_min) < margin:
            if insufficient_progress or t >= b_max or t <= b_min:
                t = b_max - margin if abs(t - b_max) < abs(t - b_min) else b_min + margin
                insufficient_progress = False
            else:
                insufficient_progress = True
        else:
            insufficient_progress = False
        f_new, g_new = obj(t)
        evals += 1
        gtd_new = float(g_new @ d)
        ls_iter += 1
        if f_new > f + c1 * t * gtd or f_new >= bracket_f[low]:
            # not a sufficient decrease, or not below the low end: t becomes the high end
            bracket[high], bracket_f[high] = t, f_new
            bracket_g[high], bracket_gtd[high] = g_new, gtd_new
            low, high = (0, 1) if bracket_f[0] <= bracket_f[1] else (1, 0)
        else:
            if abs(gtd_new) <= -c2 * gtd:
                done = True
            elif gtd_new * (bracket[high] - bracket[low]) >= 0:
                # the old low end becomes the high end
                bracket[high], bracket_f[high] = bracket[low], bracket_f[low]
                bracket_g[high], bracket_gtd[high] = bracket_g[low], bracket_gtd[low]
            bracket[low], bracket_f[low] = t, f_new
            bracket_g[low], bracket_gtd[low] = g_new, gtd_new
    return bracket_f[low], bracket_g[low], bracket[low], evals
