"""Optimizer paths (the real chainrule.optim classes) on loss surfaces; GD from several starts."""
from __future__ import annotations

import numpy as np
import pytest

from chainrule.viz.optimizers import plot_initialization, plot_optimizer_paths
from chainrule.viz.surfaces import (OPTIMIZERS, SURFACES, evaluate, make_optimizer,
                                    optimizer_paths, run_path)

from .conftest import assert_picture


def test_surface_minima_are_minima():
    for name, s in SURFACES.items():
        for m in s.minima:
            x, y = m
            here = evaluate(s, np.array([x]), np.array([y]))[0]
            around = evaluate(s, x + 0.05 * np.cos(np.arange(8)), y + 0.05 * np.sin(np.arange(8)))
            assert (around > here).all(), (name, m)


def test_every_optimizer_reaches_the_bowls_minimum():
    paths = optimizer_paths("bowl", steps=300)
    assert list(paths) == list(OPTIMIZERS)
    for name, path in paths.items():
        assert np.abs(path[-1]).max() < 0.05, name
        np.testing.assert_allclose(path[0], SURFACES["bowl"].start)


def test_rosenbrock_adam_finishes_and_gd_crawls():
    paths = optimizer_paths("rosenbrock", ["GD", "Adam"], steps=1500)
    assert np.abs(paths["Adam"][-1] - 1).max() < 0.01
    assert np.abs(paths["GD"][-1] - 1).max() > 0.1  # plain GD is still in the valley


def test_path_matches_a_hand_written_sgd_step():
    s = SURFACES["bowl"]
    path = run_path(s, lambda ps: make_optimizer("GD", ps, "bowl", 0.1), (1.0, 1.0), 2)
    # grad of 0.1x² + 2y² is (0.2x, 4y)
    np.testing.assert_allclose(path[1], [1 - 0.1 * 0.2, 1 - 0.1 * 4])
    np.testing.assert_allclose(path[2], [0.98 - 0.1 * 0.2 * 0.98, 0.6 - 0.1 * 4 * 0.6])


def test_diverging_run_stops_early():
    s = SURFACES["bowl"]
    path = run_path(s, lambda ps: make_optimizer("GD", ps, "bowl", 2.0), (1.0, 1.0), 500)
    assert len(path) < 500 and np.abs(path[-1]).max() > 10


def test_figures():
    fig = plot_optimizer_paths(steps=40)
    assert [ax.get_title() for ax in fig.axes] == [s.title for s in SURFACES.values()]
    assert_picture(fig, (18.0, 5.0), min_colors=30)
    fig = plot_initialization(steps=150)
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert len(labels) >= 3  # GD ends in at least three different minima
    assert sum(int(lab.split()[0]) for lab in labels) == 16
    assert_picture(fig, (7.0, 6.0), min_colors=30)


def test_errors():
    with pytest.raises(ValueError, match="got 'saddle'"):
        plot_optimizer_paths("saddle")
    with pytest.raises(ValueError, match="got 'Lion'"):
        optimizer_paths("bowl", ["Lion"])
    with pytest.raises(ValueError, match="steps >= 1"):
        optimizer_paths("bowl", steps=0)
