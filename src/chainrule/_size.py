"""``Size``: a tensor's shape, a tuple of ints printed as PyTorch prints ``torch.Size``."""
from __future__ import annotations

import operator
from typing import Any, Iterable, SupportsIndex


class Size(tuple):  # type: ignore[type-arg]
    """The shape of a tensor: a tuple of ints (``x.shape``, ``x.size()``).

    ``print(x.shape)`` shows ``chainrule.Size([2, 3])``, as PyTorch's ``torch.Size([2, 3])``;
    in f-strings and error messages it reads as the tuple ``(2, 3)``. It compares equal to
    a tuple with the same sizes.

    Example
    -------
    >>> import chainrule as cr
    >>> s = cr.zeros(2, 3).shape
    >>> s, s == (2, 3), s.numel(), f"{s}"
    (chainrule.Size([2, 3]), True, 6, '(2, 3)')
    """

    __slots__ = ()

    def __new__(cls, sizes: Iterable[Any] = ()) -> Size:
        try:
            return tuple.__new__(cls, [operator.index(s) for s in sizes])
        except TypeError:
            raise TypeError(f"Size: expected an iterable of ints, got {sizes!r}") from None

    def __repr__(self) -> str:
        return f"chainrule.Size({list(self)})"

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        return format(tuple(self), spec)  # messages print shapes as tuples (DESIGN.md)

    def __getitem__(self, index: Any) -> Any:  # type: ignore[override]
        out = tuple.__getitem__(self, index)
        return Size(out) if isinstance(index, slice) else out

    def __add__(self, other: Any) -> Size:  # type: ignore[override]
        return Size(tuple.__add__(self, tuple(other)))

    def __radd__(self, other: Any) -> Size:
        return Size(tuple(other) + tuple(self))

    def __mul__(self, n: SupportsIndex) -> Size:
        return Size(tuple.__mul__(self, n))

    __rmul__ = __mul__

    def numel(self) -> int:
        """The number of elements of a tensor of this shape (1 for ``Size([])``)."""
        n = 1
        for s in self:
            n *= s
        return n

    def __reduce__(self) -> Any:
        return (Size, (tuple(self),))
