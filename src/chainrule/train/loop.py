"""The training loop: ``fit`` (Keras-like, returns a History), ``evaluate`` and ``predict``."""
from __future__ import annotations

import math
import time
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from .. import random as _random
from .._compile._fit import fit_step
from .._compile._record import NonFiniteStepError
from ..autograd.anomaly import state as _anomaly
from ..lint import state as _lint
from ..lint._fit import check_epochs, classes
from ._data import as_dataset, as_loader, check_positive_int, split_validation
from ._evaluation import (_evaluate_loader, _metrics, eval_step, evaluate, plain_modules, predict,
                          set_training)
from ._nonfinite import diagnose
from .callbacks import Callback, CallbackList, LearningRateScheduler
from .errors import NonFiniteLossError
from .history import History
from .progress import ProgressBar
from .streaming import Metric

__all__ = ["FitLoop", "evaluate", "fit", "predict"]


class FitLoop:
    """The state of a running ``fit``; callbacks see it as ``self.loop``.

    Attributes: ``model``, ``loss``, ``optimizer``, ``scheduler``, ``metrics``,
    ``train_loader``, ``val_loader``, ``generator`` (shuffling), ``epochs``,
    ``epoch`` (epochs done), ``step`` (batches done), ``steps_per_epoch``,
    ``history``, ``callbacks``, ``stop_training``.
    """

    def __init__(self, model: Any, loss: Any, optimizer: Any, train_loader: Any,
                 val_loader: Any, epochs: int, metrics: list[Metric], scheduler: Any,
                 callbacks: list[Callback], generator: _random.Generator) -> None:
        self.model, self.loss, self.optimizer, self.scheduler = model, loss, optimizer, scheduler
        self.train_loader, self.val_loader, self.generator = train_loader, val_loader, generator
        self.epochs, self.metrics = epochs, metrics
        self.epoch = self.step = 0
        self.steps_per_epoch = len(train_loader)
        self.history = History()
        self.stop_training = False
        self.callbacks = CallbackList(callbacks, self)
        self._total, self._count = 0.0, 0
        self._step = fit_step(model, loss, optimizer)  # captured (chainrule.compile)
        self._val_step = eval_step(model, loss)  # the validation pass, captured too
        self._lowest: float | None = None  # the lowest batch loss so far (non-finite report)
        self._linted = False  # a loss-curve lint fired: stop checking
        self._out_shape: tuple[int, ...] = ()

    def running_logs(self) -> dict[str, float]:
        """The current epoch's mean loss and metrics so far."""
        logs = {"loss": self._total / self._count if self._count else math.nan}
        logs.update({m.name: m.result() for m in self.metrics})
        return logs

    def run(self) -> History:
        cbs = self.callbacks
        try:
            cbs.on_train_begin()
            while self.epoch < self.epochs and not self.stop_training:
                epoch = self.epoch
                cbs.on_epoch_begin(epoch)
                with np.errstate(over="ignore", invalid="ignore"):  # a diverging loss is
                    logs = self._train_epoch(epoch)  # reported as NonFiniteLossError
                self.history.append(epoch, logs)
                self.epoch = epoch + 1
                keys = len(logs)
                cbs.on_epoch_end(epoch, logs)
                if len(logs) != keys:  # a callback added values: keep them too
                    self.history.update_last(logs)
                if _lint.on and not self._linted:
                    self._lint_epochs()
            cbs.on_train_end(self.history.last())
        finally:
            for cb in cbs.callbacks:
                if isinstance(cb, ProgressBar):
                    cb.close()
        return self.history

    def _train_epoch(self, epoch: int) -> dict[str, float]:
        t0 = time.perf_counter()
        model, loss_fn, opt, metrics = self.model, self.loss, self.optimizer, self.metrics
        begin, end = self.callbacks.batch_begin, self.callbacks.batch_end
        lr = float(opt.param_groups[0]["lr"])
        for m in metrics:
            m.reset()
        self._total, self._count = 0.0, 0
        last_finite: float | None = None
        modules = plain_modules(model)  # once per epoch: train and eval set flags, no walks
        set_training(model, True, modules)
        for batch, fields in enumerate(self.train_loader):
            if len(fields) != 2:
                raise ValueError(f"fit: expected batches (inputs, targets), got "
                                 f"{len(fields)} fields")
            xb, yb = fields
            for cb in begin:
                cb.on_batch_begin(batch, None)
            try:  # forward, loss, zero_grad, backward, step; no update if the loss is not finite
                out, loss = self._step(xb, yb)
                value = loss.item()
            except NonFiniteStepError as exc:
                value = exc.value
            if not math.isfinite(value):
                if self._nonfinite(epoch, batch, value, last_finite, xb, yb):
                    break
            n = len(yb._data)
            self._total += value * n
            self._count += n
            last_finite = value
            if self._lowest is None or value < self._lowest:
                self._lowest = value
            if metrics:
                o, t = out._data, yb._data
                for m in metrics:
                    m.update(o, t)
            self.step += 1
            if end:
                blogs = {"loss": value, "size": n}
                for cb in end:
                    cb.on_batch_end(batch, blogs)
        if self.step:
            self._out_shape = out.shape
        logs = self.running_logs()
        if self.val_loader is not None:
            val = _evaluate_loader(model, self.val_loader, loss_fn, metrics, self._val_step,
                                   modules)
            logs.update({f"val_{k}": v for k, v in val.items()})
        logs["lr"] = lr
        logs["time"] = time.perf_counter() - t0
        return logs

    def _nonfinite(self, epoch: int, batch: int, value: float, last_finite: float | None,
                   xb: Any, yb: Any) -> bool:
        """A non-finite loss in ``batch`` (0-based) of ``epoch``: raise, or let callbacks stop."""
        handlers = [cb for cb in self.callbacks.callbacks
                    if getattr(cb, "handles_nonfinite", False)]
        if not handlers:
            raise self.nonfinite_error(epoch, batch, value, last_finite, xb, yb)
        for cb in handlers:
            cb.on_nonfinite(epoch, batch, value)  # type: ignore[attr-defined]
        self.stop_training = True
        return True

    def nonfinite_error(self, epoch: int, batch: int, value: float, last_finite: float | None,
                        xb: Any, yb: Any) -> NonFiniteLossError:
        """The error for a non-finite loss, saying what was found first (``epoch`` and
        ``batch`` 0-based here, counted from 1 in the message)."""
        if last_finite is None and len(self.history):  # the first batch of an epoch
            last_finite = self.history["loss"][-1]
        detail, diverged = diagnose(self.model, self.loss, xb, yb, batch + 1, last_finite,
                                    self._lowest)
        return NonFiniteLossError(epoch + 1, batch + 1, value, last_finite, detail, diverged)

    def _lint_epochs(self) -> None:
        """The loss-curve lints (rising, flat at log C) on the epochs so far."""
        self._linted = check_epochs(self.history["loss"], classes(self.loss, self._out_shape))


def fit(model: Any, train_data: Any, *, loss: Any, optimizer: Any, epochs: int,
        batch_size: int = 32, val_data: Any = None, val_split: float | None = None,
        metrics: Sequence[str | Metric] = (), scheduler: Any = None,
        callbacks: Sequence[Callback] = (), verbose: int = 1, seed: int | None = None,
        shuffle: bool = True, resume: str | Path | None = None,
        capture: bool = True) -> History:
    """Train ``model`` for ``epochs`` epochs and return the :class:`History` of logs.

    ``train_data`` is ``(X, y)`` (arrays or Tensors), a Dataset or a DataLoader
    (then ``batch_size`` and ``shuffle`` are its own). Each epoch logs the mean
    ``loss``, the ``metrics`` (names such as "accuracy", "f1", "mae", "r2", or
    :class:`Metric` objects), the same prefixed ``val_`` on ``val_data`` (or a
    random ``val_split`` fraction held out), ``lr`` (at the start of the epoch)
    and ``time``. ``scheduler`` steps per epoch (per batch for OneCycleLR and
    CyclicLR; ReduceLROnPlateau on ``val_loss``, else ``loss``). ``seed`` seeds
    dropout (the library's generator) and shuffling; seed initialisation with
    ``chainrule.manual_seed`` before building the model. ``resume`` continues
    from a checkpoint folder (see :func:`save_checkpoint`) to ``epochs`` in total.
    A NaN or infinite loss raises :class:`NonFiniteLossError` (unless a
    :class:`TerminateOnNaN` callback is given) before the bad step is applied.
    The step is captured and replayed (:func:`chainrule.compile`: same numbers, less
    overhead) where it can be; ``capture=False`` runs it eagerly.

    Shape
    -----
    X: (N, *features); y: (N,) class indices, or the shape of the model's output.

    Example
    -------
    >>> import numpy as np, chainrule as cr
    >>> from chainrule.train import fit
    >>> X = np.linspace(-1, 1, 64, dtype=np.float32).reshape(-1, 1); y = 3 * X
    >>> model = cr.nn.Linear(1, 1)
    >>> h = fit(model, (X, y), loss=cr.nn.MSELoss(), epochs=30, batch_size=16, verbose=0,
    ...         optimizer=cr.optim.SGD(model.parameters(), lr=0.3), seed=0)
    >>> h["loss"][-1] < 1e-3
    True
    """
    where = "fit"
    epochs = check_positive_int(epochs, where, "epochs", minimum=0)
    batch_size = check_positive_int(batch_size, where, "batch_size")
    if verbose not in (0, 1, 2):
        raise ValueError(f"{where}: expected verbose 0, 1 or 2, got {verbose!r}")
    if val_split is not None:
        if val_data is not None:
            raise ValueError(f"{where}: expected val_data or val_split, got both")
        if not isinstance(val_split, (float, int)) or not 0 < val_split < 1:
            raise ValueError(f"{where}: expected val_split in (0, 1), got {val_split!r}")
    if seed is not None:
        _random.manual_seed(seed)
        generator = _random.Generator().manual_seed(int(seed) + 1)
    else:
        generator = _random.Generator().manual_seed(int(_random.default_generator.np
                                                        .integers(2**62)))
    metric_objs = _metrics(metrics, loss)
    dataset = as_dataset(train_data, model, where)
    if dataset is None:
        if val_split is not None:
            raise ValueError(f"{where}: expected (X, y) or a Dataset with val_split, got a "
                             "DataLoader; split the data before making the loader")
        train_loader = train_data
        generator = getattr(train_loader, "generator", None) or generator
    else:
        from ..data import DataLoader
        if val_split is not None:
            dataset, held_out = split_validation(dataset, float(val_split), generator)
            val_data = held_out
        train_loader = DataLoader(dataset, batch_size=batch_size, shuffle=shuffle,
                                  generator=generator)
    if len(train_loader) == 0:
        raise ValueError(f"{where}: expected at least one training batch, got none")
    val_loader = None if val_data is None else \
        as_loader(val_data, model, max(batch_size, 512), where)
    cb_list: list[Callback] = []
    if scheduler is not None:
        cb_list.append(scheduler if isinstance(scheduler, LearningRateScheduler)
                       else LearningRateScheduler(scheduler))
        scheduler = cb_list[0].scheduler  # type: ignore[attr-defined]
    user = list(callbacks)
    cb_list += [cb for cb in user if not getattr(cb, "saves_checkpoints", False)]
    cb_list += [cb for cb in user if getattr(cb, "saves_checkpoints", False)]
    if verbose:
        cb_list.append(ProgressBar(verbose))
    loop = FitLoop(model, loss, optimizer, train_loader, val_loader, epochs, metric_objs,
                   scheduler, cb_list, generator)
    if not capture or _anomaly.on:  # anomaly mode checks every op: the eager step
        loop._step = fit_step(model, loss, optimizer, capture=False)
        loop._val_step = eval_step(model, loss, capture=False)
    if resume is not None:
        from .checkpoint import load_checkpoint
        load_checkpoint(resume, loop)
    return loop.run()
