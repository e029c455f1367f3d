"""Every layer's default initialisation follows torch's distribution (bounds and moments),
and chainrule.manual_seed repeats it."""
from __future__ import annotations

import numpy as np
import pytest

import chainrule as cr

torch = pytest.importorskip("torch")

LAYERS = [
    ("Linear", (300, 200)), ("Linear", (7, 500)), ("Embedding", (400, 50)),
    ("Embedding", (400, 50, 3)), ("BatchNorm1d", (40,)), ("LayerNorm", (40,)), ("PReLU", (5,)),
]


@pytest.mark.parametrize("name, args", LAYERS)
def test_default_init_matches_torch_distribution(name: str, args: tuple[int, ...]) -> None:
    cr.manual_seed(0)
    torch.manual_seed(0)
    ours = dict(getattr(cr.nn, name)(*args).named_parameters())
    theirs = dict(getattr(torch.nn, name)(*args).named_parameters())
    assert list(ours) == list(theirs)
    for key, t in theirs.items():
        a, b = ours[key].detach().numpy(), t.detach().numpy()
        assert a.shape == b.shape and a.dtype == b.dtype, key
        if b.std() == 0:  # constants: ones, zeros, 0.25
            np.testing.assert_array_equal(a, b)
            continue
        spread = float(b.std())
        assert abs(a.mean() - b.mean()) < 0.05 * spread * 4, key
        assert abs(a.std() / b.std() - 1) < 0.08, key
        assert a.min() >= b.min() - 0.5 * spread and a.max() <= b.max() + 0.5 * spread, key


def test_manual_seed_repeats_every_layer() -> None:
    def build() -> list[np.ndarray]:
        cr.manual_seed(123)
        model = cr.nn.Sequential(cr.nn.Embedding(10, 4), cr.nn.Flatten(), cr.nn.Linear(8, 3))
        return [p.detach().numpy().copy() for p in model.parameters()]

    first, again = build(), build()
    assert all(np.array_equal(a, b) for a, b in zip(first, again))
    cr.manual_seed(124)
    other = cr.nn.Embedding(10, 4).weight.detach().numpy()
    assert not np.array_equal(first[0], other)
