"""matmul and linear: shape errors that name both shapes and suggest a transpose."""
from __future__ import annotations

import numpy as np
import pytest

import chainrule as cr


def test_inner_size_mismatch_names_shapes_and_sizes() -> None:
    with pytest.raises(ValueError, match=r"^matmul: expected the inner dimensions to match, got "
                                         r"shapes \(2, 3\) and \(4, 5\) \(inner sizes 3 and 4\)$"):
        cr.ones(2, 3) @ cr.ones(4, 5)


def test_a_transpose_hint_when_one_would_fit() -> None:
    with pytest.raises(ValueError, match=r"\(2, 3\) and \(2, 3\) .*inner sizes 3 and 2.*a @ b\.T"):
        cr.ones(2, 3) @ cr.ones(2, 3)
    with pytest.raises(ValueError, match=r"inner sizes 2 and 3.*a\.T @ b"):
        cr.matmul(cr.ones(3, 2), cr.ones(3, 4))


@pytest.mark.parametrize("a,b,match", [
    ((3,), (4,), r"\(3,\) and \(4,\) \(inner sizes 3 and 4\)"),
    ((2, 3), (4,), r"\(2, 3\) and \(4,\)"),
    ((3,), (4, 2), r"inner sizes 3 and 4"),
    ((2, 2, 3), (3, 3, 2), r"batch dimensions that broadcast, got shapes \(2, 2, 3\) and "
                           r"\(3, 3, 2\)"),
    ((), (2,), r"at least 1 dimension, got shapes \(\) and \(2,\)"),
])
def test_other_matmul_errors(a: tuple, b: tuple, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        cr.ones(*a) @ cr.ones(*b)


def test_numpy_never_speaks_for_matmul() -> None:
    with pytest.raises(ValueError) as info:
        np.ones((2, 3), np.float32) @ cr.ones(4, 5)
    assert str(info.value).startswith("matmul:") and "signature" not in str(info.value)


def test_linear_errors_name_the_wrong_operand() -> None:
    with pytest.raises(ValueError, match=r"linear: expected input with last dimension 4 \(weight "
                                         r"shape \(3, 4\)\), got shape \(8, 5\)"):
        cr.linear(cr.ones(8, 5), cr.ones(3, 4))
    with pytest.raises(ValueError, match=r"linear: expected bias of shape \(3,\), got "
                                         r"shape \(4,\)"):
        cr.linear(cr.ones(8, 4), cr.ones(3, 4), cr.ones(4))


def test_linear_is_one_graph_node() -> None:
    x = cr.ones(2, 3)
    w = cr.ones(4, 3, requires_grad=True)
    b = cr.zeros(4, requires_grad=True)
    y = cr.linear(x, w, b)
    assert y.grad_fn.name == "Linear" and y.grad_fn.next[0] is None
    assert y.grad_fn.next[1] is w and y.grad_fn.next[2] is b
