"""Which saved inputs an in-place change invalidates, against PyTorch: ``a * b`` reads ``b``
only for ``a``'s gradient and ``a`` only for ``b``'s, so changing the one whose reader is not
needed must not raise (``y[0] = y[0] * 3`` is common in PyTorch code)."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest

import chainrule as cr

torch = pytest.importorskip("torch")


def _y(lib: Any) -> tuple[Any, Any, Any]:
    x = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
    w = lib.tensor([0.5, -1.0, 2.0], requires_grad=True)
    c = lib.tensor([3.0, 4.0, -2.0])  # no grad
    return x, w, c


def _scale_row(lib: Any) -> Any:
    x, _, _ = _y(lib)
    y = x * 2
    y[0] = y[0] * 3
    return y.sum(), [x]


def _divide_row(lib: Any) -> Any:
    x, _, _ = _y(lib)
    y = x * 2
    y[1] = y[1] / 4
    return y.sum(), [x]


def _times_constant_then_change(lib: Any) -> Any:
    x, _, c = _y(lib)
    y = x * 2
    z = y * c
    y.add_(1)
    return z.sum(), [x]


def _constant_times_then_change(lib: Any) -> Any:
    x, _, c = _y(lib)
    y = x * 2
    z = c * y
    y.mul_(5)
    return z.sum(), [x]


def _over_constant_then_change(lib: Any) -> Any:
    x, _, c = _y(lib)
    y = x * 2
    z = y / c
    y.add_(1)
    return z.sum(), [x]


def _both_need_then_change(lib: Any) -> Any:  # y is read for w's gradient: both raise
    x, w, _ = _y(lib)
    y = x * 2
    z = y * w
    y.add_(1)
    return z.sum(), [x, w]


def _denominator_then_change(lib: Any) -> Any:  # the denominator is always read: both raise
    x, _, c = _y(lib)
    y = x + 1
    z = c / y
    y.add_(1)
    return z.sum(), [x]


def _scalar_over_then_change(lib: Any) -> Any:  # 3 / y is reciprocal(y) * 3: saves 1/y only
    x, _, _ = _y(lib)
    y = x * 2
    z = 3 / y
    y.add_(1)
    return z.sum(), [x]


CASES: dict[str, Callable[[Any], Any]] = {
    "scale_row": _scale_row, "divide_row": _divide_row,
    "times_constant_then_change": _times_constant_then_change,
    "constant_times_then_change": _constant_times_then_change,
    "over_constant_then_change": _over_constant_then_change,
    "both_need_then_change": _both_need_then_change,
    "denominator_then_change": _denominator_then_change,
    "scalar_over_then_change": _scalar_over_then_change,
}


@pytest.mark.parametrize("c", [3, 1.0, 0.1, -2.5])
def test_scalar_over_tensor_values_are_torchs(c: float) -> None:
    """``c / x`` as PyTorch computes it (``reciprocal(x) * c``): the same float32 bits."""
    a = np.array([0.3, 1.7, -2.9, 7.0, 1e-3], np.float32)
    ours, theirs = c / cr.tensor(a), c / torch.tensor(a)
    assert ours.dtype == cr.float32
    assert np.array_equal(ours.numpy(), theirs.numpy())
    assert np.array_equal((c / cr.tensor([1, 2, 4])).numpy(), (c / torch.tensor([1, 2, 4])).numpy())


def _outcome(lib: Any, case: Callable[[Any], Any]) -> Any:
    loss, leaves = case(lib)
    try:
        loss.backward()
    except RuntimeError as exc:
        assert "modified by an inplace operation" in str(exc)
        return "raised"
    return [np.asarray(t.grad.detach().numpy()) for t in leaves]


@pytest.mark.parametrize("name", list(CASES))
def test_like_torch(name: str) -> None:
    ours, theirs = _outcome(cr, CASES[name]), _outcome(torch, CASES[name])
    if theirs == "raised":
        assert ours == "raised"
        return
    assert ours != "raised", f"{name}: chainrule raised where PyTorch computed gradients"
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a, b, rtol=1e-6)


def test_needed_inputs_still_checked() -> None:
    """The check is pruned, not dropped: changing an input that a needed gradient reads
    still names the op, with PyTorch's wording."""
    x = cr.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    z = y * y  # y's gradient reads y itself
    y.add_(1)
    with pytest.raises(RuntimeError, match=r"Mul: one of the variables needed .* version 1"):
        z.sum().backward()
