"""gradcheck: compare analytic gradients with float64 central differences."""
from __future__ import annotations

import warnings
from typing import Any, Callable, Sequence

import numpy as np

from ..tensor import Tensor
from .engine import grad as _grad
from .grad_mode import no_grad


class GradcheckError(RuntimeError):
    """The analytic and numerical Jacobians differ."""


def _outputs(fn: Callable[..., Any], inputs: Sequence[Any]) -> list[Tensor]:
    out = fn(*inputs)
    return [out] if isinstance(out, Tensor) else [o for o in out if isinstance(o, Tensor)]


def gradcheck(fn: Callable[..., Any], inputs: Any, eps: float = 1e-6, atol: float = 1e-5,
              rtol: float = 1e-3, raise_exception: bool = True) -> bool:
    """Check every d(output)/d(input) of ``fn`` by float64 central differences.

    The analytic Jacobian is built row by row from vector-Jacobian products
    (one backward per output element); the numerical one column by column from
    (f(x + eps) - f(x - eps)) / 2eps. A mismatch names the output and input and
    shows the worst entries.

    Example
    -------
    >>> import chainrule as cr
    >>> x = cr.randn(3, dtype=cr.float64, requires_grad=True)
    >>> cr.gradcheck(lambda x: (x * x).sum(), (x,))
    True
    """
    inputs = (inputs,) if isinstance(inputs, Tensor) else tuple(inputs)
    where = [i for i, t in enumerate(inputs) if isinstance(t, Tensor) and t.requires_grad]
    diff = [inputs[i] for i in where]
    if not diff:
        raise ValueError("gradcheck: expected at least one input with requires_grad=True, got none")
    for i, t in zip(where, diff):
        if not t._data.flags.writeable:
            raise ValueError(f"gradcheck: expected inputs with writable data, got input {i} "
                             "read-only (an expand/broadcast view?); pass a copy (.clone())")
    if any(t.dtype != np.float64 for t in diff):
        warnings.warn("gradcheck: inputs are not float64; central differences will be "
                      "imprecise (use dtype=chainrule.float64)", UserWarning, stacklevel=2)
    outs = _outputs(fn, inputs)
    for oi, out in enumerate(outs):
        if not out.requires_grad:
            continue
        analytic = [np.zeros((out._data.size, t._data.size)) for t in diff]
        for r in range(out._data.size):
            g = np.zeros(out.shape, out.dtype)
            g.reshape(-1)[r] = 1
            grads = _grad(out, diff, grad_outputs=[g], retain_graph=True, allow_unused=True)
            for k, gk in enumerate(grads):
                if gk is not None:
                    analytic[k][r] = gk._data.reshape(-1)
        for k, t in enumerate(diff):
            numeric = np.zeros_like(analytic[k])
            data = t._data  # perturbed in place through an index: views need not be contiguous
            for c in range(data.size):
                idx = np.unravel_index(c, data.shape)
                orig = data[idx]
                with no_grad():
                    data[idx] = orig + eps
                    plus = _outputs(fn, inputs)[oi]._data.astype(np.float64).reshape(-1)
                    data[idx] = orig - eps
                    minus = _outputs(fn, inputs)[oi]._data.astype(np.float64).reshape(-1)
                data[idx] = orig
                numeric[:, c] = (plus - minus) / (2 * eps)
            bad = ~np.isclose(analytic[k], numeric, rtol=rtol, atol=atol, equal_nan=True)
            if bad.any():
                if not raise_exception:
                    return False
                err = np.abs(analytic[k] - numeric)
                worst = np.argsort(np.where(bad, err, -1), axis=None)[::-1][:5]
                rows = "\n".join(
                    f"  d out[{i // numeric.shape[1]}] / d in[{i % numeric.shape[1]}]: "
                    f"analytic {analytic[k].flat[i]:.8g}, numerical {numeric.flat[i]:.8g}"
                    for i in worst if bad.flat[i])
                raise GradcheckError(
                    f"gradcheck: Jacobian mismatch for output {oi} with respect to input "
                    f"{where[k]} "
                    f"(shape {t.shape}); expected |analytic - numerical| <= "
                    f"atol + rtol*|numerical| "
                    f"(atol={atol}, rtol={rtol}), worst entries:\n{rows}")
    return True
