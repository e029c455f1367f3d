"""PyTorch's top-level in-place functions (``torch.relu_(x)``, ``torch.exp_(x)`` ...): each
calls the Tensor method of the same name and returns the tensor."""
from __future__ import annotations

from typing import Any

NAMES = ("abs_ acos_ acosh_ addmv_ arccos_ arccosh_ arcsin_ arcsinh_ arctan_ arctanh_ asin_ "
         "asinh_ atan_ atanh_ ceil_ clamp_ clamp_max_ clamp_min_ clip_ cos_ cosh_ deg2rad_ "
         "detach_ erf_ erfc_ exp2_ exp_ expm1_ fill_ fix_ floor_ frac_ gcd_ index_put_ lcm_ "
         "ldexp_ log10_ log1p_ log2_ log_ nan_to_num_ neg_ negative_ rad2deg_ reciprocal_ relu_ "
         "round_ rsqrt_ sigmoid_ sin_ sinc_ sinh_ sqrt_ square_ tan_ tanh_ trunc_ xlogy_ "
         "zero_").split()


def _function(name: str) -> Any:
    def fn(input: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: A002
        return getattr(input, name)(*args, **kwargs)
    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"``input.{name}(...)``: in place, returns ``input``."
    return fn


for _n in NAMES:
    globals()[_n] = _function(_n)

__all__ = list(NAMES)
