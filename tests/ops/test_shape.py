"""Shape ops beyond the table: views, aliases, and their errors."""
from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import chainrule as cr


def test_reshape_and_view_accept_sizes_or_a_tuple() -> None:
    x = cr.arange(6.0)
    assert x.reshape(2, 3).shape == x.reshape((2, 3)).shape == x.view([2, -1]).shape == (2, 3)
    assert x.view(-1).shape == (6,)


def test_t_of_a_matrix_and_transpose_aliases() -> None:
    x = cr.tensor([[1.0, 2.0, 3.0]])
    assert x.T.shape == (3, 1) and x.transpose(0, 1).tolist() == x.T.tolist()
    assert cr.permute(x, (1, 0)).shape == (3, 1)


def test_squeeze_only_removes_size_one_dims() -> None:
    x = cr.zeros(1, 3, 1)
    assert x.squeeze().shape == (3,)
    assert x.squeeze(0).shape == (3, 1) and x.squeeze(1).shape == (1, 3, 1)
    assert x.squeeze(-1).shape == (1, 3)
    assert x.unsqueeze(0).shape == (1, 1, 3, 1) and x.unsqueeze(-1).shape == (1, 3, 1, 1)


def test_split_and_chunk_sizes_as_torch() -> None:
    x = cr.arange(10.0)
    assert [p.shape[0] for p in x.split(4)] == [4, 4, 2]
    assert [p.shape[0] for p in x.split([1, 9])] == [1, 9]
    assert [p.shape[0] for p in x.chunk(3)] == [4, 4, 2]
    assert [p.shape[0] for p in cr.arange(6.0).chunk(4)] == [2, 2, 2]  # torch gives 3 chunks


def test_expand_keeps_sizes_given_as_minus_one_and_adds_leading_dims() -> None:
    x = cr.ones(3, 1)
    assert x.expand(-1, 4).shape == (3, 4) and x.expand(2, 3, 4).shape == (2, 3, 4)
    assert x.expand_as(cr.ones(2, 3, 5)).shape == (2, 3, 5)


def test_flatten_of_a_scalar_is_one_element() -> None:
    assert cr.tensor(3.0).flatten().shape == (1,)


def test_cat_and_stack_with_negative_dims() -> None:
    a, b = cr.ones(2, 3), cr.zeros(2, 3)
    assert cr.cat([a, b], -1).shape == (2, 6) and cr.stack([a, b], -1).shape == (2, 3, 2)
    assert cr.stack([a, b], -3).shape == (2, 2, 3)


def test_views_share_memory_with_their_base() -> None:
    x = cr.arange(6.0)
    for v in (x.reshape(2, 3), x[1:4], x.unsqueeze(0), x.view(3, 2).T):
        assert np.shares_memory(v._data, x._data)


@pytest.mark.parametrize("call,error,match", [
    (lambda x: x.reshape(4, 2), ValueError,
     r"reshape: expected a shape with 6 elements \(the input has shape \(2, 3\)\), got \(4, 2\)"),
    (lambda x: x.permute(0, 0), ValueError, r"permute: expected a permutation of 2 dims"),
    (lambda x: x.transpose(0, 2), IndexError, r"transpose: expected dim in \[-2, 1\], got 2"),
    (lambda x: x.squeeze(3), IndexError, r"squeeze: expected dim in \[-2, 1\], got 3"),
    (lambda x: x.unsqueeze(4), IndexError, r"unsqueeze: expected dim in \[-3, 2\], got 4"),
    (lambda x: x.expand(3, 3), ValueError,
     r"expand: expected a shape that \(2, 3\) can broadcast to, got \(3, 3\)"),
    (lambda x: cr.cat([x, cr.ones(3, 3)], 1), ValueError,
     r"cat: expected tensors with the same shape except in dim 1, got \(2, 3\), \(3, 3\)"),
    (lambda x: cr.cat([x, x], 2), IndexError, r"cat: expected dim in \[-2, 1\], got 2"),
    (lambda x: cr.cat([]), ValueError, "cat: expected a non-empty sequence"),
    (lambda x: cr.stack([x, cr.ones(3)]), ValueError,
     r"stack: expected tensors of equal shape, got \(2, 3\), \(3,\)"),
    (lambda x: cr.stack([x, x], 3), IndexError, r"stack: expected dim in \[-3, 2\], got 3"),
    (lambda x: x.split(0), ValueError, "split: expected a positive split size, got 0"),
    (lambda x: x.split([1, 1], 1), ValueError, r"split: expected sizes that sum to 3"),
    (lambda x: x.chunk(0), ValueError, "chunk: expected a positive number of chunks"),
    (lambda x: cr.pad(x, (1,)), ValueError, "pad: expected an even number of sizes"),
    (lambda x: cr.pad(x, (1, 1), mode="reflect"), ValueError, "pad: expected mode='constant'"),
    (lambda x: cr.pad(x, (-1, 0)), ValueError, r"pad: expected non-negative sizes, got \(-1, 0\)"),
])
def test_shape_errors(call: Any, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        call(cr.ones(2, 3))
