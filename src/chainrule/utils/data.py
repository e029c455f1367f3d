"""``chainrule.utils.data``: the names of ``torch.utils.data``.

Datasets, samplers, the DataLoader, ``default_collate`` and ``random_split``
live in :mod:`chainrule.data` (with the bundled and generated datasets); this
module gives them PyTorch's import path, so ``from torch.utils.data import
DataLoader, TensorDataset`` ports as ``from chainrule.utils.data import ...``.

Example
-------
>>> import chainrule as torch
>>> from chainrule.utils.data import DataLoader, TensorDataset, random_split
>>> ds = TensorDataset(torch.arange(10.0).reshape(5, 2), torch.arange(5))
>>> train, val = random_split(ds, [0.8, 0.2], generator=torch.Generator().manual_seed(0))
>>> len(train), len(val), len(DataLoader(train, batch_size=3))
(4, 1, 2)
"""
import sys as _sys

from .. import data as _data
from ..data.collate import default_collate, default_convert
from ..data.dataloader import DataLoader, get_worker_info
from ..data.dataset import (ChainDataset, ConcatDataset, Dataset, IterableDataset,
                            StackDataset, Subset, TensorDataset)
from ..data.sampler import (BatchSampler, RandomSampler, Sampler, SequentialSampler,
                            SubsetRandomSampler, WeightedRandomSampler)
from ..data.split import random_split

# PyTorch's submodule paths (``from torch.utils.data.dataloader import default_collate``):
# an empty __path__ makes this module a package whose submodules are already imported
__path__: list[str] = []
_sys.modules.update({f"{__name__}.{name}": module for name, module in (
    ("dataset", _data.dataset), ("dataloader", _data.dataloader), ("sampler", _data.sampler))})

__all__ = [
    "BatchSampler", "ChainDataset", "ConcatDataset", "DataLoader", "Dataset", "IterableDataset",
    "RandomSampler", "Sampler", "SequentialSampler", "StackDataset", "Subset",
    "SubsetRandomSampler",
    "TensorDataset", "WeightedRandomSampler", "default_collate", "default_convert",
    "get_worker_info", "random_split",
]


def __getattr__(name: str) -> object:
    """PyTorch names chainrule leaves out raise an AttributeError that says what to use."""
    from .._compat_hints import missing
    raise missing(__name__, "data", name)
