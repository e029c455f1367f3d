"""Recording the graph for inspection (``chainrule.explain``, ``chainrule.viz.draw_graph``).

Off by default and free when off: ``Function.apply`` checks one flag. Under
:func:`record`, every new node keeps a :class:`Record`: its inputs (tensors and
constants), its output array, a weak reference to its output tensor (for the
``.name`` given after the op) and what forward saved, which survives
``backward`` freeing the node's own saved arrays.
"""
from __future__ import annotations

import weakref
from contextlib import contextmanager
from typing import Any, Iterator, NamedTuple

import numpy as np


class Record(NamedTuple):
    """What :func:`record` keeps on a node (``node._record``)."""

    inputs: tuple[Any, ...]
    output: np.ndarray
    tensor: Any  # weakref.ref to the output Tensor
    saved: tuple[Any, ...]


class _State:
    __slots__ = ("on",)

    def __init__(self) -> None:
        self.on = False


state = _State()


@contextmanager
def record() -> Iterator[None]:
    """Keep inputs, outputs and names on every graph node built inside the block.

    Example
    -------
    >>> import chainrule as cr
    >>> from chainrule.autograd.graph import record
    >>> x = cr.tensor(3.0, requires_grad=True)
    >>> with record():
    ...     y = x * 2.0
    >>> y.grad_fn._record.inputs[1], float(y.grad_fn._record.output)
    (2.0, 6.0)
    """
    previous = state.on
    state.on = True
    try:
        yield
    finally:
        state.on = previous


def is_recording() -> bool:
    """True inside :func:`record`."""
    return state.on


def keep(node: Any, inputs: tuple[Any, ...], result: Any) -> None:
    """Called by ``Function.apply`` under :func:`record` for each new node."""
    node._record = Record(tuple(inputs), result._data, weakref.ref(result),
                          tuple(node.saved_arrays))
