"""Indexing: repeated indices accumulate in the gradient; masks; errors."""
from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import chainrule as cr


def test_repeated_integer_indices_accumulate() -> None:
    x = cr.tensor([1.0, 2.0, 3.0], requires_grad=True)
    x[[0, 2, 0, 0]].sum().backward()
    assert x.grad.tolist() == [3.0, 0.0, 1.0]


def test_repeated_indices_in_index_select_and_gather_accumulate() -> None:
    x = cr.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    (x.index_select(0, cr.tensor([1, 1, 0])).sum() + x.gather(1, cr.tensor([[0, 0], [1, 1]]))
     .sum()).backward()
    assert x.grad.tolist() == [[3.0, 1.0], [2.0, 4.0]]


def test_boolean_mask_selects_and_scatters_back() -> None:
    x = cr.tensor([[1.0, -2.0], [-3.0, 4.0]], requires_grad=True)
    y = x[x > 0]
    assert y.tolist() == [1.0, 4.0]
    (y * cr.tensor([10.0, 20.0])).sum().backward()
    assert x.grad.tolist() == [[10.0, 0.0], [0.0, 20.0]]


def test_iteration_and_len_walk_the_first_dimension() -> None:
    x = cr.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], requires_grad=True)
    rows = list(x)
    assert len(x) == 3 and len(rows) == 3 and rows[1].tolist() == [3.0, 4.0]
    sum(r.sum() * (i + 1) for i, r in enumerate(rows)).backward()
    assert x.grad.tolist() == [[1.0, 1.0], [2.0, 2.0], [3.0, 3.0]]


def test_tensor_indices_and_mixed_indexing() -> None:
    x = cr.arange(12.0).reshape(3, 4)
    assert x[cr.tensor([2, 0])].shape == (2, 4)
    assert x[1, cr.tensor([3, 0])].tolist() == [7.0, 4.0]
    assert x[None, ..., 1:3].shape == (1, 3, 2) and x[-1, -1].item() == 11.0


@pytest.mark.parametrize("call,error,match", [
    (lambda x: x[5], IndexError, "out of bounds"),
    (lambda x: x.index_select(1, cr.tensor([3])), IndexError,
     r"index_select: expected indices in \[0, 3\) for dim 1, got 3..3"),
    (lambda x: x.index_select(1, cr.tensor([0.0])), TypeError, "index_select: expected a 1-D "
                                                               "integer index"),
    (lambda x: x.gather(1, cr.tensor([[3]])), IndexError, r"gather: expected indices in \[0, 3\)"),
    (lambda x: x.gather(1, cr.tensor([0])), TypeError, "gather: expected an integer index with 2"),
])
def test_indexing_errors(call: Any, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        call(cr.ones(2, 3))


def test_indexing_a_zero_dim_tensor_fails_cleanly() -> None:
    with pytest.raises(TypeError, match="0-d"):
        len(cr.tensor(1.0))
    with pytest.raises(TypeError, match="0-d"):
        iter(cr.tensor(1.0))
    assert np.ndim(cr.tensor(1.0)[()]._data) == 0
