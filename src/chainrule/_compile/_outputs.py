"""What a replayed step returns: detached copies of returned tensors, ``.item()`` values."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..tensor import Tensor, _make
from ._steps import UnsupportedError


def outputs(plan: Any, result: Any) -> Callable[[], Any]:
    """A function returning what the step returns, from the plan's slots."""
    tape = plan.tape
    if result is None:
        return lambda: None
    if isinstance(result, Tensor):
        if result.requires_grad and result.grad_fn is None:
            return lambda: result  # a parameter itself
        found = plan.slot_of.get(id(result._data))
        if found is None or found not in plan.op_slot:
            raise UnsupportedError("the step returns a tensor made outside its ops")
        v, s = plan.v, found
        return lambda: _make(np.array(v[s]))
    if isinstance(result, float) and id(result) in tape.items:
        t = tape.items[id(result)]
        plan._items_used.add(id(result))
        item_slot = plan.slot_of.get(id(t._data))  # type: ignore[union-attr]
        if item_slot is None:
            raise UnsupportedError("the step returns .item() of a tensor made outside its ops")
        v, k = plan.v, item_slot
        return lambda: v[k].item()
    if isinstance(result, (tuple, list)):
        parts = [outputs(plan, r) for r in result]
        kind = type(result)
        if kind is tuple:
            return lambda: tuple(p() for p in parts)
        if kind is list:
            return lambda: [p() for p in parts]
        raise UnsupportedError(f"the step returns a {kind.__name__}")
    if isinstance(result, dict):
        items = [(key, outputs(plan, r)) for key, r in result.items()]
        return lambda: {key: p() for key, p in items}
    if isinstance(result, (int, str, bool)) or result is None:
        return lambda: result
    if isinstance(result, float):
        raise UnsupportedError("the step returns a float not from .item() on a result")
    raise UnsupportedError(f"the step returns a {type(result).__name__}")
