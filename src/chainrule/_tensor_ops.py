"""The Tensor's operators and math methods, each routed to a function in ``chainrule.ops``."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from .tensor import Tensor
F: Any = None  # the chainrule.ops module, set by chainrule/__init__ once ops can be imported
_Float = float
_Int = int


def _dims(dims: tuple[Any, ...]) -> Any:
    """``x.flip(0, 1)`` and ``x.flip((0, 1))`` both mean dims (0, 1)."""
    return dims[0] if len(dims) == 1 else dims


class TensorOps:
    """Mixin: ``a + b``, ``a @ b``, ``x.sum(dim)``, ``x.relu()``, ... as PyTorch spells them."""

    __slots__ = ()
    if TYPE_CHECKING:
        _data: np.ndarray

    # arithmetic
    def __add__(self, o: Any) -> Tensor: return F.add(self, o)  # noqa: E704
    def __radd__(self, o: Any) -> Tensor: return F.add(o, self)  # noqa: E704
    def __sub__(self, o: Any) -> Tensor: return F.sub(self, o)  # noqa: E704
    def __rsub__(self, o: Any) -> Tensor: return F.sub(o, self)  # noqa: E704
    def __mul__(self, o: Any) -> Tensor: return F.mul(self, o)  # noqa: E704
    def __rmul__(self, o: Any) -> Tensor: return F.mul(o, self)  # noqa: E704
    def __truediv__(self, o: Any) -> Tensor: return F.div(self, o)  # noqa: E704
    def __rtruediv__(self, o: Any) -> Tensor:
        if isinstance(o, (_Int, _Float)) and not isinstance(o, bool):
            return F.mul(F.reciprocal(self), o)  # c / x as PyTorch computes it: saves 1/x
        return F.div(o, self)
    def __pow__(self, o: Any) -> Tensor: return F.pow(self, o)  # noqa: E704
    def __rpow__(self, o: Any) -> Tensor: return F.pow(o, self)  # noqa: E704
    def __matmul__(self, o: Any) -> Tensor: return F.matmul(self, o)  # noqa: E704
    def __rmatmul__(self, o: Any) -> Tensor: return F.matmul(o, self)  # noqa: E704
    def __neg__(self) -> Tensor: return F.neg(self)  # noqa: E704
    def __abs__(self) -> Tensor: return F.abs(self)  # noqa: E704
    def __getitem__(self, index: Any) -> Tensor: return F.getitem(self, index)  # noqa: E704

    # comparisons (bool tensors, no gradient)
    def __eq__(self, o: Any) -> Tensor: return F.eq(self, o)  # type: ignore[override] # noqa: E704
    def __ne__(self, o: Any) -> Tensor: return F.ne(self, o)  # type: ignore[override] # noqa: E704
    def __lt__(self, o: Any) -> Tensor: return F.lt(self, o)  # noqa: E704
    def __le__(self, o: Any) -> Tensor: return F.le(self, o)  # noqa: E704
    def __gt__(self, o: Any) -> Tensor: return F.gt(self, o)  # noqa: E704
    def __ge__(self, o: Any) -> Tensor: return F.ge(self, o)  # noqa: E704

    # bitwise: bool masks (``(x > 0) & (x < 1)``) and integer bits (no gradient)
    def __and__(self, o: Any) -> Tensor: return F.bitwise_and(self, o)  # noqa: E704
    def __rand__(self, o: Any) -> Tensor: return F.bitwise_and(o, self)  # noqa: E704
    def __or__(self, o: Any) -> Tensor: return F.bitwise_or(self, o)  # noqa: E704
    def __ror__(self, o: Any) -> Tensor: return F.bitwise_or(o, self)  # noqa: E704
    def __xor__(self, o: Any) -> Tensor: return F.bitwise_xor(self, o)  # noqa: E704
    def __rxor__(self, o: Any) -> Tensor: return F.bitwise_xor(o, self)  # noqa: E704
    def __invert__(self) -> Tensor: return F.bitwise_not(self)  # noqa: E704
    def __lshift__(self, o: Any) -> Tensor: return F.bitwise_left_shift(self, o)  # noqa: E704
    def __rlshift__(self, o: Any) -> Tensor: return F.bitwise_left_shift(o, self)  # noqa: E704
    def __rshift__(self, o: Any) -> Tensor: return F.bitwise_right_shift(self, o)  # noqa: E704
    def __rrshift__(self, o: Any) -> Tensor: return F.bitwise_right_shift(o, self)  # noqa: E704

    def add(self, o: Any, alpha: _Float = 1) -> Tensor: return F.add(self, o, alpha)  # noqa: E704
    def sub(self, o: Any, alpha: _Float = 1) -> Tensor: return F.sub(self, o, alpha)  # noqa: E704
    def mul(self, o: Any) -> Tensor: return F.mul(self, o)  # noqa: E704
    def div(self, o: Any) -> Tensor: return F.div(self, o)  # noqa: E704
    def pow(self, o: Any) -> Tensor: return F.pow(self, o)  # noqa: E704
    def matmul(self, o: Any) -> Tensor: return F.matmul(self, o)  # noqa: E704
    def neg(self) -> Tensor: return F.neg(self)  # noqa: E704
    def abs(self) -> Tensor: return F.abs(self)  # noqa: E704
    def exp(self) -> Tensor: return F.exp(self)  # noqa: E704
    def log(self) -> Tensor: return F.log(self)  # noqa: E704
    def log1p(self) -> Tensor: return F.log1p(self)  # noqa: E704
    def sqrt(self) -> Tensor: return F.sqrt(self)  # noqa: E704
    def sin(self) -> Tensor: return F.sin(self)  # noqa: E704
    def cos(self) -> Tensor: return F.cos(self)  # noqa: E704
    def sign(self) -> Tensor: return F.sign(self)  # noqa: E704
    def log10(self) -> Tensor: return F.log10(self)  # noqa: E704
    def log2(self) -> Tensor: return F.log2(self)  # noqa: E704
    def sinh(self) -> Tensor: return F.sinh(self)  # noqa: E704
    def cosh(self) -> Tensor: return F.cosh(self)  # noqa: E704
    def tan(self) -> Tensor: return F.tan(self)  # noqa: E704
    def expm1(self) -> Tensor: return F.expm1(self)  # noqa: E704
    def square(self) -> Tensor: return F.square(self)  # noqa: E704
    def reciprocal(self) -> Tensor: return F.reciprocal(self)  # noqa: E704
    def rsqrt(self) -> Tensor: return F.rsqrt(self)  # noqa: E704
    def mm(self, mat2: Any) -> Tensor: return F.mm(self, mat2)  # noqa: E704
    def bmm(self, mat2: Any) -> Tensor: return F.bmm(self, mat2)  # noqa: E704
    def dot(self, o: Any) -> Tensor: return F.dot(self, o)  # noqa: E704
    def outer(self, o: Any) -> Tensor: return F.outer(self, o)  # noqa: E704
    def masked_fill(self, mask: Any, value: Any) -> Tensor: return F.masked_fill(self, mask, value)  # noqa: E704,E501
    def floor(self) -> Tensor: return F.floor(self)  # noqa: E704
    def round(self, decimals: _Int = 0) -> Tensor: return F.round(self, decimals)  # noqa: E704
    def maximum(self, o: Any) -> Tensor: return F.maximum(self, o)  # noqa: E704
    def minimum(self, o: Any) -> Tensor: return F.minimum(self, o)  # noqa: E704
    def eq(self, o: Any) -> Tensor: return F.eq(self, o)  # noqa: E704
    def ne(self, o: Any) -> Tensor: return F.ne(self, o)  # noqa: E704
    def lt(self, o: Any) -> Tensor: return F.lt(self, o)  # noqa: E704
    def le(self, o: Any) -> Tensor: return F.le(self, o)  # noqa: E704
    def gt(self, o: Any) -> Tensor: return F.gt(self, o)  # noqa: E704
    def ge(self, o: Any) -> Tensor: return F.ge(self, o)  # noqa: E704

    def clamp(self, min: Any = None, max: Any = None) -> Tensor:  # noqa: A002
        return F.clamp(self, min, max)

    clip = clamp

    def where(self, condition: Any, other: Any) -> Tensor:
        return F.where(condition, self, other)

    # reductions
    def sum(self, dim: Any = None, keepdim: bool = False, **kw: Any) -> Tensor:
        return F.sum(self, dim, keepdim, **kw)

    def mean(self, dim: Any = None, keepdim: bool = False, **kw: Any) -> Tensor:
        return F.mean(self, dim, keepdim, **kw)

    def prod(self, dim: Any = None, keepdim: bool = False, **kw: Any) -> Tensor:
        return F.prod(self, dim, keepdim, **kw)

    def var(self, dim: Any = None, **kw: Any) -> Tensor:
        return F.var(self, dim, **kw)

    def std(self, dim: Any = None, **kw: Any) -> Tensor:
        return F.std(self, dim, **kw)

    def logsumexp(self, dim: Any = None, keepdim: bool = False, **kw: Any) -> Tensor:
        return F.logsumexp(self, dim, keepdim, **kw)

    def max(self, dim: Any = None, keepdim: bool = False, **kw: Any) -> Any:
        return F.max(self, dim, keepdim, **kw)

    def min(self, dim: Any = None, keepdim: bool = False, **kw: Any) -> Any:
        return F.min(self, dim, keepdim, **kw)

    def argmax(self, dim: Any = None, keepdim: bool = False, **kw: Any) -> Tensor:
        return F.argmax(self, dim, keepdim, **kw)

    def argmin(self, dim: Any = None, keepdim: bool = False, **kw: Any) -> Tensor:
        return F.argmin(self, dim, keepdim, **kw)

    def norm(self, p: Any = 2, dim: Any = None, keepdim: bool = False) -> Tensor:
        return F.norm(self, p, dim, keepdim)

    def cumsum(self, dim: _Int, *, dtype: Any = None) -> Tensor:
        return F.cumsum(self, dim, dtype=dtype)

    # comparing, sorting, counting (no gradient, except the values of sort/topk)
    def all(self, dim: Any = None, keepdim: bool = False) -> Tensor:
        return F.all(self, dim, keepdim)

    def any(self, dim: Any = None, keepdim: bool = False) -> Tensor:
        return F.any(self, dim, keepdim)

    def allclose(self, other: Any, rtol: _Float = 1e-05, atol: _Float = 1e-08,
                 equal_nan: bool = False) -> bool:
        return F.allclose(self, other, rtol, atol, equal_nan)

    def isclose(self, other: Any, rtol: _Float = 1e-05, atol: _Float = 1e-08,
                equal_nan: bool = False) -> Tensor:
        return F.isclose(self, other, rtol, atol, equal_nan)

    def equal(self, other: Any) -> bool: return F.equal(self, other)  # noqa: E704

    def sort(self, dim: _Int = -1, descending: bool = False, stable: bool = False) -> Any:
        return F.sort(self, dim, descending, stable)

    def argsort(self, dim: _Int = -1, descending: bool = False, stable: bool = False) -> Tensor:
        return F.argsort(self, dim, descending, stable)

    def topk(self, k: _Int, dim: _Int = -1, largest: bool = True,
             sorted: bool = True) -> Any:  # noqa: A002
        return F.topk(self, k, dim, largest, sorted)

    def unique(self, sorted: bool = True, return_inverse: bool = False,  # noqa: A002
               return_counts: bool = False, dim: Any = None) -> Any:
        return F.unique(self, sorted, return_inverse, return_counts, dim)

    def bincount(self, weights: Any = None, minlength: _Int = 0) -> Tensor:
        return F.bincount(self, weights, minlength)

    def histc(self, bins: _Int = 100, min: _Float = 0, max: _Float = 0) -> Tensor:  # noqa: A002
        return F.histc(self, bins, min, max)

    def nonzero(self, *, as_tuple: bool = False) -> Any:
        return F.nonzero(self, as_tuple=as_tuple)

    def count_nonzero(self, dim: Any = None) -> Tensor: return F.count_nonzero(self, dim)  # noqa: E704

    def multinomial(self, num_samples: _Int, replacement: bool = False, *,
                    generator: Any = None) -> Tensor:
        from .sampling import multinomial
        return multinomial(self, num_samples, replacement, generator=generator)  # type: ignore

    # shape
    def reshape(self, *shape: Any) -> Tensor: return F.reshape(self, *shape)  # noqa: E704
    def view(self, *shape: Any) -> Tensor: return F.reshape(self, *shape)  # noqa: E704
    def permute(self, *dims: Any) -> Tensor: return F.permute(self, *dims)  # noqa: E704
    def expand(self, *sizes: Any) -> Tensor: return F.expand(self, *sizes)  # noqa: E704
    def unsqueeze(self, dim: _Int) -> Tensor: return F.unsqueeze(self, dim)  # noqa: E704
    def squeeze(self, dim: Any = None) -> Tensor: return F.squeeze(self, dim)  # noqa: E704
    def clone(self) -> Tensor: return F.clone(self)  # noqa: E704

    def flatten(self, start_dim: _Int = 0, end_dim: _Int = -1) -> Tensor:
        return F.flatten(self, start_dim, end_dim)

    def transpose(self, dim0: _Int, dim1: _Int) -> Tensor:
        return F.transpose(self, dim0, dim1)

    @property
    def T(self) -> Tensor:  # noqa: N802
        return F.permute(self, *reversed(range(self._data.ndim)))

    @property
    def mT(self) -> Tensor:  # noqa: N802
        return F.mT(self)

    def t(self) -> Tensor: return F.t(self)  # noqa: E704
    def flip(self, *dims: Any) -> Tensor: return F.flip(self, _dims(dims))  # noqa: E704
    def roll(self, shifts: Any, dims: Any = None) -> Tensor: return F.roll(self, shifts, dims)  # noqa: E704,E501
    def tril(self, diagonal: _Int = 0) -> Tensor: return F.tril(self, diagonal)  # noqa: E704
    def triu(self, diagonal: _Int = 0) -> Tensor: return F.triu(self, diagonal)  # noqa: E704

    def broadcast_to(self, shape: Any) -> Tensor:
        return F.broadcast_to(self, shape)

    def expand_as(self, other: Tensor) -> Tensor:
        return F.broadcast_to(self, other.shape)

    def view_as(self, other: Tensor) -> Tensor:
        return F.reshape(self, other.shape)

    def split(self, split_size: Any, dim: _Int = 0) -> tuple[Tensor, ...]:
        return F.split(self, split_size, dim)

    def chunk(self, chunks: _Int, dim: _Int = 0) -> tuple[Tensor, ...]:
        return F.chunk(self, chunks, dim)

    def index_select(self, dim: _Int, index: Any) -> Tensor:
        return F.index_select(self, dim, index)

    def gather(self, dim: _Int, index: Any) -> Tensor:
        return F.gather(self, dim, index)

    # activations
    def relu(self) -> Tensor: return F.relu(self)  # noqa: E704
    def sigmoid(self) -> Tensor: return F.sigmoid(self)  # noqa: E704
    def tanh(self) -> Tensor: return F.tanh(self)  # noqa: E704
    def silu(self) -> Tensor: return F.silu(self)  # noqa: E704
    def softmax(self, dim: _Int = -1) -> Tensor: return F.softmax(self, dim)  # noqa: E704
    def log_softmax(self, dim: _Int = -1) -> Tensor: return F.log_softmax(self, dim)  # noqa: E704

    def leaky_relu(self, negative_slope: _Float = 0.01) -> Tensor:
        return F.leaky_relu(self, negative_slope)

    def gelu(self, approximate: str = "none") -> Tensor:
        return F.gelu(self, approximate)

    def elu(self, alpha: _Float = 1.0) -> Tensor:
        return F.elu(self, alpha)

    def softplus(self, beta: _Float = 1.0, threshold: _Float = 20.0) -> Tensor:
        return F.softplus(self, beta, threshold)


def _method(name: str) -> Any:
    def method(self: Any, *args: Any, **kwargs: Any) -> Any:
        return getattr(F, name)(self, *args, **kwargs)
    method.__name__ = method.__qualname__ = name
    method.__doc__ = f"``chainrule.{name}(self, ...)``, as PyTorch's ``Tensor.{name}``."
    return method


# methods that forward to the function of the same name (PyTorch's Tensor has them all)
for _name in ("absolute acos acosh arccos arccosh arcsin arcsinh arctan arctan2 arctanh asin asinh "
              "atan atan2 atanh clamp_max clamp_min deg2rad divide erf erfc exp2 fmod frac hypot "
              "lerp logaddexp multiply negative positive rad2deg remainder subtract true_divide "
              "xlogy amax amin aminmax diag diagonal diff fliplr flipud masked_select moveaxis "
              "movedim nanmean nansum narrow ravel repeat repeat_interleave scatter scatter_add "
              "select swapaxes swapdims take take_along_dim tensor_split tile trace unbind "
              # no gradient
              "ceil fix floor_divide greater greater_equal isfinite isinf isnan isneginf isposinf "
              "less less_equal logical_and logical_not logical_or logical_xor not_equal signbit "
              "trunc "
              # second batch
              "mv inner vdot ger kron addmm addmv addbmm baddbmm addr addcmul addcdiv cross dist "
              "cov corrcoef cumprod logcumsumexp kthvalue median msort quantile sinc logaddexp2 "
              "ldexp fmax fmin float_power copysign nan_to_num rot90 vsplit hsplit dsplit "
              "diagflat unflatten "
              # no gradient
              "argwhere heaviside gcd lcm bitwise_and bitwise_or bitwise_xor bitwise_not "
              "bitwise_left_shift bitwise_right_shift unique_consecutive "
              # third batch: selections, scatters, index ops
              "cummax cummin mode nanmedian frexp nextafter renorm sgn hardshrink diag_embed "
              "diagonal_scatter select_scatter slice_scatter masked_scatter put index_add "
              "index_copy index_fill index_put index_reduce scatter_reduce").split():
    setattr(TensorOps, _name, _method(_name))
