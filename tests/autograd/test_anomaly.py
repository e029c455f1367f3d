"""Anomaly mode: the first non-finite forward output or gradient raises, naming the op,
forward/backward, shapes, bad counts and the user's line; context manager, decorator, switch."""
from __future__ import annotations

import inspect

import numpy as np
import pytest

import chainrule as cr
from chainrule.autograd import (detect_anomaly, is_anomaly_check_nan_enabled,
                                is_anomaly_enabled, set_detect_anomaly)


def _next_line() -> int:
    frame = inspect.currentframe()
    assert frame is not None and frame.f_back is not None
    return frame.f_back.f_lineno + 1


@pytest.fixture(autouse=True)
def _quiet_numpy():
    with np.errstate(all="ignore"):  # NumPy's RuntimeWarnings are errors in this suite
        yield
    assert not is_anomaly_enabled()


def test_forward_names_the_op_counts_shapes_and_the_user_line() -> None:
    x = cr.tensor([1.0, -1.0, 2.0, -3.0], requires_grad=True)
    with detect_anomaly():
        with pytest.raises(RuntimeError) as info:
            line = _next_line()
            y = (x * 2).log()  # noqa: F841
    msg = str(info.value)
    assert msg.startswith("Log: forward produced non-finite values (2 NaN of 4 elements)")
    assert "output of shape (4,)" in msg and "from finite inputs" in msg
    assert f"test_anomaly.py:{line}: y = (x * 2).log()" in msg


def test_backward_names_the_op_and_the_line_that_created_it() -> None:
    z = cr.tensor([0.0, 1.0, 4.0], requires_grad=True)
    with detect_anomaly():
        line = _next_line()
        s = z.sqrt().sum()
        with pytest.raises(RuntimeError) as info:
            s.backward()
    msg = str(info.value)
    assert msg.startswith("Sqrt: backward produced non-finite values (1 inf of 3 elements)")
    assert "gradient for its input 0 (shape (3,))" in msg and "finite upstream" in msg
    assert f"test_anomaly.py:{line}: s = z.sqrt().sum()" in msg
    assert z.grad is None  # nothing accumulated past the bad node


def test_a_non_finite_input_is_reported_as_such() -> None:
    with detect_anomaly():
        with pytest.raises(RuntimeError, match=r"its input 0 already holds non-finite values "
                                               r"\(1 NaN of 2 elements\)"):
            cr.tensor([np.nan, 1.0]) * 2


def test_decorator_and_switch_and_state_restored() -> None:
    @detect_anomaly()
    def bad() -> cr.Tensor:
        assert is_anomaly_enabled()
        return cr.tensor([0.0]).log()

    with pytest.raises(RuntimeError, match=r"Log: forward .*1 inf of 1 elements"):
        bad()
    assert not is_anomaly_enabled()
    set_detect_anomaly(True)
    try:
        assert is_anomaly_enabled() and is_anomaly_check_nan_enabled()
        with pytest.raises(RuntimeError, match="Log"):
            cr.tensor([-1.0]).log()
    finally:
        set_detect_anomaly(False)
    with set_detect_anomaly(True, check_nan=False):
        assert is_anomaly_enabled() and not is_anomaly_check_nan_enabled()
    assert not is_anomaly_enabled() and is_anomaly_check_nan_enabled()


def test_check_nan_false_records_lines_and_notes_backward_errors() -> None:
    x = cr.tensor([1.0, 2.0], requires_grad=True)
    with detect_anomaly(check_nan=False):
        y = (x - 1.0).log()  # -inf, not checked
        line = _next_line()
        z = (y * x).sum()
        assert np.isinf(y.detach().numpy()).any()
        with cr.no_grad():
            x.add_(1.0)  # an in-place change of a saved tensor: backward raises
        with pytest.raises(RuntimeError, match="modified by an in-place") as info:
            z.backward()
    notes = "\n".join(getattr(info.value, "__notes__", []))
    assert f"test_anomaly.py:{line}" in notes and "Mul" in notes


def test_off_by_default_and_records_nothing() -> None:
    x = cr.tensor([1.0], requires_grad=True)
    y = (x * 2).log()
    assert not is_anomaly_enabled()
    assert "_anomaly_site" not in y.grad_fn.__dict__
    with detect_anomaly():
        y = (x * 2).log()
    assert y.grad_fn.__dict__["_anomaly_site"][1] > 0


def test_healthy_training_step_passes_in_anomaly_mode() -> None:
    cr.manual_seed(0)
    model = cr.nn.Sequential(cr.nn.Linear(4, 8), cr.nn.Tanh(), cr.nn.Linear(8, 3))
    with detect_anomaly():
        loss = cr.nn.CrossEntropyLoss()(model(cr.randn(16, 4)), cr.randint(0, 3, (16,)))
        loss.backward()
    assert all(p.grad is not None for p in model.parameters())


def test_numpy_warnings_give_way_to_the_anomaly_error_and_come_back() -> None:
    with np.errstate(all="warn"):  # the suite turns NumPy's RuntimeWarnings into errors
        with detect_anomaly():
            with pytest.raises(RuntimeError, match="^Log: forward"):
                cr.tensor([-1.0]).log()
        assert np.geterr()["invalid"] == "warn"
