"""Stochastic solvers of the MLP estimators, in place on the flat parameter vector.

``sgd`` and ``adam`` follow scikit-learn's MLP exactly (its momentum and
Nesterov forms, Adam's bias correction folded into the step size, the
'invscaling' and 'adaptive' schedules, ``trigger_stopping``); ``adamw`` adds
decoupled weight decay (Loshchilov & Hutter). A chainrule learning-rate
scheduler (``lr_scheduler``) can drive the rate instead of ``learning_rate``.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

_PER_BATCH = ("OneCycleLR", "CyclicLR")


class Solver:
    """Base: holds the rate, reacts to epochs' ends and to a stalled loss."""

    def __init__(self, params: np.ndarray, learning_rate_init: float,
                 lr_schedule: str = "constant", power_t: float = 0.5,
                 scheduler: Any = None) -> None:
        self.params = params
        self.learning_rate_init = self.learning_rate = float(learning_rate_init)
        self.lr_schedule, self.power_t = lr_schedule, power_t
        self.scheduler = scheduler
        self._holder: Any = None if scheduler is None else scheduler.optimizer
        self._per_batch = type(scheduler).__name__ in _PER_BATCH
        self._tmp = np.empty_like(params)

    def _rate(self) -> float:
        if self._holder is not None:
            return float(self._holder.param_groups[0]["lr"])
        return self.learning_rate

    def update(self, grads: np.ndarray) -> None:
        self._step(grads, self._rate())
        if self._per_batch:
            self._advance()

    def _advance(self) -> None:
        self._holder.step()  # a no-op over the holder's gradient-less parameter; keeps the
        self.scheduler.step()  # optimizer-then-scheduler order that schedulers expect

    def _step(self, grads: np.ndarray, lr: float) -> None:
        raise NotImplementedError

    def iteration_ends(self, time_step: int) -> None:
        """After each epoch (``time_step`` = samples seen, scikit-learn's ``t_``)."""
        if self.scheduler is not None and not self._per_batch:
            self._advance()
        elif self.lr_schedule == "invscaling":
            self.learning_rate = self.learning_rate_init / (time_step + 1) ** self.power_t

    def trigger_stopping(self, msg: str, verbose: bool) -> bool:
        """The loss stalled: stop, or (schedule 'adaptive', sgd) divide the rate by 5."""
        if self.lr_schedule != "adaptive" or not isinstance(self, SGDSolver):
            if verbose:
                print(msg + " Stopping.")
            return True
        if self.learning_rate <= 1e-6:
            if verbose:
                print(msg + " Learning rate too small. Stopping.")
            return True
        self.learning_rate /= 5.0
        if verbose:
            print(msg + f" Setting learning rate to {self.learning_rate:f}")
        return False


class SGDSolver(Solver):
    """v = momentum·v - lr·g; p += v, or (Nesterov, scikit-learn's form) p += momentum·v - lr·g."""

    def __init__(self, params: np.ndarray, learning_rate_init: float, lr_schedule: str,
                 momentum: float, nesterov: bool, power_t: float, scheduler: Any = None) -> None:
        super().__init__(params, learning_rate_init, lr_schedule, power_t, scheduler)
        self.momentum, self.nesterov = momentum, nesterov
        self.velocity = np.zeros_like(params)

    def _step(self, grads: np.ndarray, lr: float) -> None:
        v, tmp = self.velocity, self._tmp
        v *= self.momentum
        np.multiply(grads, lr, out=tmp)
        v -= tmp
        if self.nesterov:
            np.multiply(v, self.momentum, out=tmp)
            np.multiply(grads, lr, out=grads)
            tmp -= grads
            self.params += tmp
        else:
            self.params += v


class Adam(Solver):
    """m, v moment estimates; p -= lr·√(1-β₂ᵗ)/(1-β₁ᵗ) · m/(√v + ε) (scikit-learn's form).

    The moments are kept unscaled (m̃ = m/(1-β₁), ṽ = v/(1-β₂)), which saves two passes
    over the parameters per step: m̃ = β₁m̃ + g, ṽ = β₂ṽ + g², and the step is
    lr·√(1-β₂ᵗ)(1-β₁)/((1-β₁ᵗ)√(1-β₂)) · m̃/(√ṽ + ε/√(1-β₂)).
    With ``weight_decay`` (AdamW) the weights also shrink by lr·weight_decay·p each step.
    """

    def __init__(self, params: np.ndarray, learning_rate_init: float, beta_1: float,
                 beta_2: float, epsilon: float, weight_decay: float = 0.0,
                 decay_mask: slice | None = None, scheduler: Any = None) -> None:
        super().__init__(params, learning_rate_init, "constant", 0.5, scheduler)
        self.beta_1, self.beta_2, self.epsilon = beta_1, beta_2, epsilon
        self.weight_decay, self.decay_mask = weight_decay, decay_mask
        self.t = 0
        self.ms = np.zeros_like(params)  # m / (1 - beta_1)
        self.vs = np.zeros_like(params)  # v / (1 - beta_2)

    def _step(self, grads: np.ndarray, lr: float) -> None:
        b1, b2, m, v, tmp = self.beta_1, self.beta_2, self.ms, self.vs, self._tmp
        self.t += 1
        if self.weight_decay:
            w = self.params[self.decay_mask] if self.decay_mask is not None else self.params
            w *= 1 - lr * self.weight_decay
        m *= b1
        m += grads
        v *= b2
        np.multiply(grads, grads, out=tmp)
        v += tmp
        root = np.sqrt(1 - b2)
        step = lr * np.sqrt(1 - b2 ** self.t) / (1 - b1 ** self.t) * (1 - b1) / root
        np.sqrt(v, out=tmp)
        tmp += self.epsilon / root
        np.divide(m, tmp, out=tmp)
        tmp *= step
        self.params -= tmp


def make_scheduler(spec: Any, lr: float, max_iter: int, steps_per_epoch: int) -> Any:
    """A chainrule scheduler over a one-parameter holder optimizer, from ``lr_scheduler``:
    None, "cosine" (per epoch over max_iter), "onecycle" (per batch), or a callable
    taking an optimizer and returning a scheduler."""
    if spec is None:
        return None
    from ..nn import Parameter
    from ..optim import SGD
    from ..optim import lr_scheduler as lrs
    from ..creation import zeros
    holder = SGD([Parameter(zeros(1))], lr=lr)
    if spec == "cosine":
        return lrs.CosineAnnealingLR(holder, T_max=max_iter)
    if spec == "onecycle":
        return lrs.OneCycleLR(holder, max_lr=lr, total_steps=max_iter * steps_per_epoch + 1)
    if callable(spec):
        return _call(spec, holder)
    raise ValueError(f"lr_scheduler: expected None, 'cosine', 'onecycle' or a callable "
                     f"optimizer -> scheduler, got {spec!r}")


def _call(spec: Callable[[Any], Any], holder: Any) -> Any:
    sched = spec(holder)
    if not hasattr(sched, "step"):
        raise TypeError(f"lr_scheduler: expected the callable to return a scheduler, got "
                        f"{type(sched).__name__}")
    return sched


def lbfgs(fun: Callable[[np.ndarray], tuple[float, np.ndarray]], x0: np.ndarray,
          max_iter: int, max_fun: int, tol: float, verbose: bool) -> Any:
    """SciPy's L-BFGS-B with scikit-learn's options (maxfun, maxiter, gtol); float64 inside."""
    import scipy.optimize

    def f(x: np.ndarray) -> tuple[float, np.ndarray]:
        loss, grad = fun(x.astype(x0.dtype, copy=False))
        return loss, grad.astype(np.float64)

    return scipy.optimize.minimize(f, x0.astype(np.float64), method="L-BFGS-B", jac=True,
                                   options={"maxfun": max_fun, "maxiter": max_iter,
                                            "gtol": tol})
