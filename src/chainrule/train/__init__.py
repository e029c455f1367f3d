"""Training workflow: the fit loop, callbacks, metrics, progress display, files and checkpoints.

Example
-------
>>> import numpy as np, chainrule as cr
>>> from chainrule import train
>>> X = np.random.default_rng(0).normal(size=(128, 2)).astype(np.float32)
>>> y = (X[:, 0] > 0).astype(np.int64)
>>> _ = cr.manual_seed(0); model = cr.nn.Linear(2, 2)
>>> opt = cr.optim.SGD(model.parameters(), lr=0.5)
>>> h = train.fit(model, (X, y), loss=cr.nn.CrossEntropyLoss(), optimizer=opt, epochs=10,
...               metrics=["accuracy"], verbose=0, seed=0)
>>> h["accuracy"][-1] > 0.9
True
"""
from . import metrics
from .callbacks import (Callback, CallbackList, CSVLogger, EarlyStopping, LambdaCallback,
                        LearningRateScheduler, ModelCheckpoint, TerminateOnNaN)
from .checkpoint import BackupAndRestore, load_checkpoint, save_checkpoint
from .errors import CorruptFileError, ModelFileError, NonFiniteLossError
from .files import load_weights, save_weights
from .history import History
from .loop import FitLoop, evaluate, fit, predict
from .progress import ProgressBar
from .streaming import (Accuracy, F1Score, MeanAbsoluteError, MeanSquaredError, Metric,
                        Precision, R2Score, Recall, TopKAccuracy, get_metric)

__all__ = [
    "Accuracy", "BackupAndRestore", "CSVLogger", "Callback", "CallbackList", "CorruptFileError",
    "EarlyStopping", "F1Score", "FitLoop", "History", "LambdaCallback", "LearningRateScheduler",
    "MeanAbsoluteError", "MeanSquaredError", "Metric", "ModelCheckpoint", "ModelFileError",
    "NonFiniteLossError", "Precision", "ProgressBar", "R2Score", "Recall", "TerminateOnNaN",
    "TopKAccuracy", "evaluate", "fit", "get_metric", "load_checkpoint", "load_weights",
    "metrics", "predict", "save_checkpoint", "save_weights",
]
