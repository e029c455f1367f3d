"""``chainrule.utils``: PyTorch's ``torch.utils`` namespace (today ``utils.data``).

Example
-------
>>> import chainrule as torch
>>> from chainrule.utils.data import DataLoader, TensorDataset
>>> loader = DataLoader(TensorDataset(torch.arange(6.0).reshape(3, 2)), batch_size=2)
>>> [tuple(xb.shape) for (xb,) in loader]
[(2, 2), (1, 2)]
"""
from . import data

__all__ = ["data"]
