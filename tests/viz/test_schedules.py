"""Learning-rate schedules drawn from the real schedulers."""
from __future__ import annotations

import numpy as np
import pytest

from chainrule.viz.schedules import BASE_LR, _schedules, lr_sequence, plot_lr_schedules

from .conftest import assert_picture


def test_sequences_follow_the_schedulers():
    table = _schedules(100)
    step = lr_sequence(table["StepLR(step_size, γ=0.5)"], 100)
    np.testing.assert_allclose(step[[0, 24, 25, 50, 99]], BASE_LR * np.array(
        [1, 1, 0.5, 0.25, 0.125]))
    cosine = lr_sequence(table["CosineAnnealingLR(T_max)"], 100)
    np.testing.assert_allclose(cosine, BASE_LR * (1 + np.cos(np.pi * np.arange(100) / 100)) / 2,
                               rtol=1e-9, atol=1e-12)
    warm = lr_sequence(table["LinearLR (warm-up)"], 100)
    assert warm[0] == pytest.approx(0.1 * BASE_LR) and warm[-1] == pytest.approx(BASE_LR)
    one = lr_sequence(table["OneCycleLR(max_lr)"], 100)
    assert one.argmax() == pytest.approx(30, abs=2)
    assert one.max() == pytest.approx(BASE_LR, rel=1e-3)


def test_steplr_matches_torch():
    torch = pytest.importorskip("torch")
    opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=BASE_LR, momentum=0.9)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=25, gamma=0.5)
    expected = []
    for _ in range(100):
        expected.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    ours = lr_sequence(_schedules(100)["StepLR(step_size, γ=0.5)"], 100)
    np.testing.assert_allclose(ours, expected, rtol=1e-12)


def test_figure_and_errors():
    fig = plot_lr_schedules()
    assert len(fig.axes) == 9
    assert_picture(fig, (12.0, 7.8))
    fig = plot_lr_schedules(["ExponentialLR(γ)"], steps=10)
    assert len(fig.axes) == 1 and len(fig.axes[0].get_lines()[0].get_ydata()) == 10
    with pytest.raises(ValueError, match="got 'LinearWarmup'"):
        plot_lr_schedules(["LinearWarmup"])
    with pytest.raises(ValueError, match="steps >= 2"):
        plot_lr_schedules(steps=1)
