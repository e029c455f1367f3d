"""The replay as one generated Python function: one line per NumPy call, no closure dispatch.

A plan's steps emit source lines into a :class:`Source`; the objects those lines use
(buffers, parameter views, NumPy functions, the few remaining closures) are bound as globals
of the generated function, so a line such as ``matmul(v[0], w_3, out=y_5)`` costs the call
itself and a few local/global loads. Slots whose array never changes (preallocated buffers,
flat parameter views) are bound names; slots that change at each call (the step's arguments,
outputs of ops replayed generically) are read from the slot list ``v``.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..autograd.engine import sum_to_shape

_NUMPY = {name: getattr(np, name) for name in (
    "matmul", "add", "subtract", "multiply", "divide", "maximum", "greater", "exp", "log",
    "copyto", "asarray", "array", "isfinite")}
_NUMPY.update(add_reduce=np.add.reduce, max_reduce=np.maximum.reduce)
_CODE: dict[str, Any] = {}  # source text -> its compiled code, oldest first
_CODE_CACHE = 64


class Source:
    """Lines of the generated function and the namespace they run in."""

    def __init__(self) -> None:
        self.ns: dict[str, Any] = dict(_NUMPY)
        self.ns["deliver"] = deliver
        self._names: dict[int, str] = {}
        self.owned: dict[int, str] = {}  # op -> the rule buffer that alone is its gradient
        self.text = ""

    def bind(self, obj: Any, hint: str = "c") -> str:
        """A global name for ``obj`` in the generated function (the same name for the same
        object; the namespace keeps it alive, so its id stays unique)."""
        name = self._names.get(id(obj))
        if name is None:
            name = self._names[id(obj)] = f"{hint}_{len(self.ns)}"
            self.ns[name] = obj
        return name

    def function(self, lines: list[str], name: str = "replay",
                 params: str = "args") -> Callable[..., Any]:
        body = "".join(f"    {line}\n" for line in lines) or "    pass\n"
        self.text = f"def {name}({params}):\n{body}"
        code = _CODE.get(self.text)
        if code is None:  # compiling is most of a plan's cost; the text names only bound globals,
            code = compile(self.text, f"<chainrule.compile {name}>", "exec")  # so equal texts
            if len(_CODE) >= _CODE_CACHE:                 # (another batch size, another fit of
                _CODE.pop(next(iter(_CODE)), None)        # the same model) share one code object
            _CODE[self.text] = code
        exec(code, self.ns)  # noqa: S102
        return self.ns[name]  # type: ignore[no-any-return]


def deliver(t: tuple[Any, ...], gi: np.ndarray, pend: list[Any]) -> None:
    """Send one input gradient where the engine would: a leaf's buffer or a pending sum."""
    kind, where, first, shape, dtype = t
    if gi.shape != shape:
        gi = sum_to_shape(gi, shape)
    if gi.dtype != dtype:
        gi = gi.astype(dtype)
    if kind == "leaf":
        if first:
            np.copyto(where, gi)
        else:
            where += gi
    elif first:
        pend[where] = gi
    else:
        pend[where] = pend[where] + gi


def send(src: Source, t: tuple[Any, ...], expr: str, shape: tuple[int, ...],
         dtype: np.dtype) -> str:
    """The line that delivers gradient ``expr`` (a rule's buffer name, of known shape and
    dtype) to target ``t``. Records in ``src.owned`` whether that buffer alone is an op's
    gradient (then that op's backward may work in place on it)."""
    kind, where, first, t_shape, t_dtype = t
    if kind == "node":
        src.owned.pop(where, None)
    if shape == t_shape and dtype == t_dtype and first:
        if kind == "node":
            src.owned[where] = expr  # a rule's own buffer: its reader may write into it
            return f"pend[{where}] = {expr}"
        return f"copyto({src.bind(where, 'g')}, {expr})"
    return f"deliver({src.bind(t, 't')}, {expr}, pend)"
