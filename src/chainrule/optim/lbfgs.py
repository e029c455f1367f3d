"""L-BFGS: a quasi-Newton method from the last few steps and gradient changes (Nocedal 1980)."""
from __future__ import annotations

from typing import Any, Callable, Iterable

import numpy as np

from ..tensor import Tensor, _make
from ._line_search import strong_wolfe
from ._validate import check_lr
from .optimizer import Optimizer

__all__ = ["LBFGS"]


class LBFGS(Optimizer):
    """L-BFGS (PyTorch's ``torch.optim.LBFGS``): each ``step(closure)`` runs up to ``max_iter``
    iterations.

    Each iteration takes the direction d = -H g, with H the inverse Hessian
    estimated from the last ``history_size`` pairs (s = step, y = gradient change)
    by the two-loop recursion, then moves by ``lr`` along d, or by the step a
    strong-Wolfe line search finds (``line_search_fn="strong_wolfe"``). The
    closure re-evaluates the model, calls ``backward`` and returns the loss.
    One parameter group only.

    Shape
    -----
    Parameters of any shape; the state holds flat vectors of the total size.

    Example
    -------
    >>> import chainrule as cr
    >>> w = cr.nn.Parameter(cr.tensor([1.0, -2.0], dtype=cr.float64))
    >>> opt = cr.optim.LBFGS([w], line_search_fn="strong_wolfe")
    >>> def closure():
    ...     opt.zero_grad(); loss = ((w - 3.0) ** 2).sum(); loss.backward(); return loss
    >>> _ = opt.step(closure); w
    Parameter containing:
    tensor([3.0000, 3.0000], dtype=chainrule.float64, requires_grad=True)
    """

    def __init__(self, params: Iterable[Any], lr: float = 1, max_iter: int = 20,
                 max_eval: int | None = None, tolerance_grad: float = 1e-7,
                 tolerance_change: float = 1e-9, history_size: int = 100,
                 line_search_fn: str | None = None) -> None:
        if max_eval is None:
            max_eval = max_iter * 5 // 4
        defaults = dict(lr=lr, max_iter=max_iter, max_eval=max_eval,
                        tolerance_grad=tolerance_grad, tolerance_change=tolerance_change,
                        history_size=history_size, line_search_fn=line_search_fn)
        self._check_hyper(defaults)
        super().__init__(params, defaults)
        if len(self.param_groups) != 1:
            raise ValueError("LBFGS doesn't support per-parameter options (parameter groups)")
        self._params: list[Tensor] = self.param_groups[0]["params"]

    @staticmethod
    def _check_hyper(group: dict[str, Any]) -> None:
        check_lr(group["lr"])
        for name in ("max_iter", "max_eval", "history_size"):
            if isinstance(group[name], bool) or not isinstance(group[name], (int, np.integer)) \
                    or group[name] < 1:
                raise ValueError(f"LBFGS: expected a positive integer {name}, got "
                                 f"{group[name]!r}")
        if group["line_search_fn"] not in (None, "strong_wolfe"):
            raise ValueError(f"LBFGS: expected line_search_fn None or 'strong_wolfe', got "
                             f"{group['line_search_fn']!r}")

    def add_param_group(self, param_group: dict[str, Any]) -> None:
        if getattr(self, "param_groups", None):
            raise ValueError("LBFGS doesn't support per-parameter options (parameter groups)")
        super().add_param_group(param_group)

    # ---- flat views of the parameters ---------------------------------------------
    def _flat_grad(self) -> np.ndarray:
        return np.concatenate([np.zeros(p._data.size, p._data.dtype) if p.grad is None
                               else p.grad._data.ravel() for p in self._params])

    def _add(self, t: float, d: np.ndarray) -> None:
        """θ = θ + t d, d split back into the parameters' shapes."""
        offset = 0
        for p in self._params:
            n = p._data.size
            p._data += t * d[offset:offset + n].reshape(p._data.shape)
            offset += n
        self._bump_versions(self._params)

    def _set(self, values: list[np.ndarray]) -> None:
        for p, v in zip(self._params, values):
            p._data[...] = v
        self._bump_versions(self._params)

    # ---- the algorithm ----------------------------------------------------------------
    def step(self, closure: Callable[[], Any] | None = None) -> Any:  # type: ignore[override]
        """Minimise the closure's loss for up to ``max_iter`` iterations; returns the first loss."""
        if closure is None:
            raise TypeError("LBFGS.step: expected a closure that clears the gradients, "
                            "computes the loss, calls backward() and returns the loss; got None")
        group = self.param_groups[0]
        lr, max_iter, max_eval = group["lr"], group["max_iter"], group["max_eval"]
        tolerance_grad, tolerance_change = group["tolerance_grad"], group["tolerance_change"]
        history_size = group["history_size"]
        state = self.state[self._params[0]]  # the state is global; stored on the first param
        state.setdefault("func_evals", 0)
        state.setdefault("n_iter", 0)

        orig_loss = self._evaluate(closure)
        loss = float(orig_loss)
        evals = 1
        state["func_evals"] += 1
        flat_grad = self._flat_grad()
        if np.abs(flat_grad).max() <= tolerance_grad:
            return orig_loss

        d, prev_flat_grad = _array(state.get("d")), _array(state.get("prev_flat_grad"))
        t, prev_loss = state.get("t"), state.get("prev_loss")
        h_diag: float = state.get("H_diag", 1.0)
        old_dirs = [_array(y) for y in state.get("old_dirs", [])]  # y_k: gradient changes
        old_stps = [_array(s) for s in state.get("old_stps", [])]  # s_k: steps
        ro = list(state.get("ro", []))                             # 1 / (y_k · s_k)
        n_iter = 0
        while n_iter < max_iter:
            n_iter += 1
            state["n_iter"] += 1
            # -- direction d = -H g
            if state["n_iter"] == 1:
                d = -flat_grad
                old_dirs, old_stps, ro, h_diag = [], [], [], 1.0
            else:
                y = flat_grad - prev_flat_grad
                s = d * t
                ys = float(y @ s)
                if ys > 1e-10:  # keep the pair only if the curvature is positive
                    if len(old_dirs) == history_size:
                        del old_dirs[0], old_stps[0], ro[0]
                    old_dirs.append(y)
                    old_stps.append(s)
                    ro.append(1.0 / ys)
                    h_diag = ys / float(y @ y)  # initial inverse Hessian H0 = (y·s / y·y) I
                d = _two_loop(-flat_grad, old_stps, old_dirs, ro, h_diag)
            prev_flat_grad = flat_grad.copy()
            prev_loss = loss
            # -- step length
            if state["n_iter"] == 1:
                t = min(1.0, 1.0 / float(np.abs(flat_grad).sum())) * lr
            else:
                t = lr
            gtd = float(flat_grad @ d)  # directional derivative
            if gtd > -tolerance_change:
                break
            ls_evals = 0
            if group["line_search_fn"] == "strong_wolfe":
                x_init = [p._data.copy() for p in self._params]

                def objective(step: float, d: np.ndarray = d,
                              x_init: list[np.ndarray] = x_init) -> tuple[float, np.ndarray]:
                    self._add(step, d)
                    f = float(self._evaluate(closure))
                    g = self._flat_grad()
                    self._set(x_init)
                    return f, g

                loss, flat_grad, t, ls_evals = strong_wolfe(
                    objective, t, d, loss, flat_grad, gtd, tolerance_change=tolerance_change,
                    max_ls=max_eval - evals)
                self._add(t, d)
                opt_cond = np.abs(flat_grad).max() <= tolerance_grad
            else:
                self._add(t, d)
                opt_cond = False
                if n_iter != max_iter:  # re-evaluate except after the last iteration
                    loss = float(self._evaluate(closure))
                    flat_grad = self._flat_grad()
                    opt_cond = np.abs(flat_grad).max() <= tolerance_grad
                    ls_evals = 1
            evals += ls_evals
            state["func_evals"] += ls_evals
            # -- stopping tests
            if n_iter == max_iter or evals >= max_eval or opt_cond:
                break
            if np.abs(d * t).max() <= tolerance_change:  # the step is too small
                break
            if abs(loss - prev_loss) < tolerance_change:  # the loss stopped changing
                break

        state.update(d=_make(d), t=t, old_dirs=[_make(y) for y in old_dirs],
                     old_stps=[_make(s) for s in old_stps], ro=ro, H_diag=h_diag,
                     prev_flat_grad=_make(prev_flat_grad), prev_loss=prev_loss)
        return orig_loss


def _two_loop(q: np.ndarray, old_stps: list[np.ndarray], old_dirs: list[np.ndarray],
              ro: list[float], h_diag: float) -> np.ndarray:
    """The L-BFGS two-loop recursion: H q for the implicit inverse Hessian H (q is consumed)."""
    alpha = [0.0] * len(old_dirs)
    for i in range(len(old_dirs) - 1, -1, -1):
        alpha[i] = float(old_stps[i] @ q) * ro[i]
        q -= alpha[i] * old_dirs[i]
    r = q * h_diag
    for i in range(len(old_dirs)):
        beta = float(old_dirs[i] @ r) * ro[i]
        r += (alpha[i] - beta) * old_stps[i]
    return r


def _array(value: Any) -> Any:
    return value._data if isinstance(value, Tensor) else value
