"""chainrule.data: datasets, loaders, splits, scaling, generated and real data.

``Dataset``/``TensorDataset``/``DataLoader``/``random_split`` follow
``torch.utils.data``; ``train_test_split`` and ``StandardScaler`` follow
scikit-learn; generated 2-D sets (``xor``, ``moons``, ``spirals``, ...), small
real sets (``iris``, ...), MNIST and CSV files are reachable by name through
``load_dataset``.

Example
-------
>>> import chainrule as cr
>>> from chainrule.data import DataLoader, TensorDataset, moons
>>> X, y = moons(100, seed=0)
>>> loader = DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True,
...                     generator=cr.Generator().manual_seed(0))
>>> xb, yb = next(iter(loader)); tuple(xb.shape), yb.dtype, len(loader)
((32, 2), chainrule.int64, 4)
"""
from .bunch import DataBunch
from .csvfile import load_csv
from .collate import default_collate, default_convert
from .dataloader import DataLoader, get_worker_info
from .dataset import (ChainDataset, ConcatDataset, Dataset, IterableDataset, StackDataset,
                      Subset, TensorDataset)
from .download import get_cache_dir
from .idx import read_idx, write_idx
from .mnist import load_mnist
from .registry import DATASETS, DatasetInfo, list_datasets, load_dataset
from .sampler import (BatchSampler, RandomSampler, Sampler, SequentialSampler,
                      SubsetRandomSampler, WeightedRandomSampler)
from .scaler import NotFittedError, StandardScaler
from .split import random_split, train_test_split
from .synthetic import blobs, circles, linear, moons, plane, sine, spirals, xor
from .toy import breast_cancer, digits, iris, wine

__all__ = [
    "BatchSampler", "ChainDataset", "ConcatDataset", "DATASETS", "DataBunch", "DataLoader",
    "Dataset", "DatasetInfo", "IterableDataset", "NotFittedError", "RandomSampler", "Sampler",
    "SequentialSampler", "StackDataset", "StandardScaler", "Subset", "SubsetRandomSampler",
    "TensorDataset",
    "WeightedRandomSampler", "default_collate", "default_convert", "get_worker_info", "blobs",
    "breast_cancer", "circles", "digits",
    "get_cache_dir", "iris", "linear", "list_datasets", "load_csv",
    "load_dataset", "load_mnist", "moons", "plane", "random_split", "read_idx",
    "sine", "spirals", "train_test_split", "wine", "write_idx", "xor",
]
