"""Random tensors: PyTorch's signatures, shapes and dtypes (streams differ: NumPy's), the
distributions they draw from, and generator= on every random function."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest

import chainrule as cr

torch = pytest.importorskip("torch")

# every random function, called the same way in both libraries (m is the module)
RANDOM: dict[str, Callable[..., Any]] = {
    "rand": lambda m, **k: m.rand(2, 3, **k),
    "randn": lambda m, **k: m.randn((4,), **k),
    "randint": lambda m, **k: m.randint(3, 9, (5,), **k),
    "randint-high": lambda m, **k: m.randint(9, (2, 2), **k),
    "randperm": lambda m, **k: m.randperm(6, **k),
    "normal-floats": lambda m, **k: m.normal(1.0, 2.0, (3, 2), **k),
    "normal-tensors": lambda m, **k: m.normal(m.zeros(2, 3), m.ones(2, 3), **k),
    "normal-mean-tensor": lambda m, **k: m.normal(m.zeros(4, dtype=m.float64), 0.5, **k),
    "normal-std-tensor": lambda m, **k: m.normal(2.0, m.ones(3), **k),
    "multinomial": lambda m, **k: m.multinomial(m.tensor([0.2, 0.3, 0.5]), 2, **k),
    "multinomial-2d-repl": lambda m, **k: m.multinomial(m.tensor([[1.0, 0.0], [0.5, 0.5]]), 4,
                                                        replacement=True, **k),
    "bernoulli": lambda m, **k: m.bernoulli(m.full((3,), 0.5), **k),
    "Tensor.normal_": lambda m, **k: m.zeros(3).normal_(0.0, 1.0, **k),
    "Tensor.uniform_": lambda m, **k: m.zeros(3).uniform_(-1.0, 1.0, **k),
    "Tensor.multinomial": lambda m, **k: m.tensor([0.5, 0.5]).multinomial(3, True, **k),
}


@pytest.mark.parametrize("name", sorted(RANDOM))
def test_random_functions_match_torch_signature_shape_dtype_and_take_a_generator(name: str) -> None:
    fn = RANDOM[name]
    t = fn(torch, generator=torch.Generator().manual_seed(0))
    a = fn(cr, generator=cr.Generator().manual_seed(0))
    b = fn(cr, generator=cr.Generator().manual_seed(0))
    assert a.shape == tuple(t.shape) and a.dtype == t.numpy().dtype, (a.dtype, t.dtype)
    np.testing.assert_array_equal(a.numpy(), b.numpy())  # the generator makes it repeatable
    cr.manual_seed(3)
    c = fn(cr)
    cr.manual_seed(3)
    np.testing.assert_array_equal(c.numpy(), fn(cr).numpy())  # and so does manual_seed


def test_normal_forms_draw_from_the_right_distribution() -> None:
    g = cr.Generator().manual_seed(1)
    x = cr.normal(3.0, 0.5, (20000,), generator=g).numpy()
    assert abs(x.mean() - 3.0) < 0.02 and abs(x.std() - 0.5) < 0.02
    mean = cr.tensor([0.0, 10.0]).expand(10000, 2)
    y = cr.normal(mean, cr.tensor([1.0, 0.1]), generator=g).numpy()
    np.testing.assert_allclose(y.mean(0), [0.0, 10.0], atol=0.03)
    np.testing.assert_allclose(y.std(0), [1.0, 0.1], rtol=0.05)
    with pytest.raises(ValueError, match="std >= 0"):
        cr.normal(0.0, -1.0, (2,))
    with pytest.raises(TypeError, match="size"):
        cr.normal(0.0, 1.0)


def test_multinomial_frequencies_and_without_replacement() -> None:
    g = cr.Generator().manual_seed(0)
    p = cr.tensor([1.0, 3.0, 0.0, 6.0])  # unnormalised weights, as torch accepts
    draws = cr.multinomial(p, 20000, replacement=True, generator=g).numpy()
    np.testing.assert_allclose(np.bincount(draws, minlength=4) / 20000, [0.1, 0.3, 0.0, 0.6],
                               atol=0.015)
    rows = cr.multinomial(cr.tensor([[1.0, 1.0, 1.0], [0.0, 2.0, 1.0]]), 2, generator=g).numpy()
    assert all(len(set(r)) == 2 for r in rows) and 0 not in rows[1]
    perm = cr.multinomial(cr.ones(5), 5, generator=g).numpy()
    assert sorted(perm) == [0, 1, 2, 3, 4]
    t = torch.multinomial(torch.tensor([0.0, 1.0]), 2)  # zero weights come last, as torch
    assert cr.multinomial(cr.tensor([0.0, 1.0]), 2).tolist() == t.tolist() == [1, 0]
    first = [int(cr.multinomial(cr.tensor([1.0, 3.0]), 2, generator=g)[0]) for _ in range(4000)]
    assert abs(np.mean(first) - 0.75) < 0.03  # the first draw follows the weights


@pytest.mark.parametrize("bad,args,exc", [([-0.1, 1.0], (1,), RuntimeError),
                                          ([0.0, 0.0], (1,), RuntimeError),
                                          ([0.0, 1.0], (3,), RuntimeError),
                                          ([[[1.0]]], (1,), ValueError)])
def test_multinomial_bad_input_raises_as_torch(bad: Any, args: Any, exc: type) -> None:
    with pytest.raises(RuntimeError):
        torch.multinomial(torch.tensor(bad), *args)
    with pytest.raises(exc, match="multinomial"):
        cr.multinomial(cr.tensor(bad), *args)


def test_generator_api_and_seeds() -> None:
    g = cr.Generator()
    assert g.manual_seed(5) is g and g.initial_seed() == 5
    state = g.get_state()
    a = cr.rand(3, generator=g)
    g.set_state(state)
    np.testing.assert_array_equal(cr.rand(3, generator=g).numpy(), a.numpy())
    cr.manual_seed(7)
    assert cr.initial_seed() == 7
    s = cr.seed()
    assert isinstance(s, int) and cr.initial_seed() == s
    perm = cr.randperm(10, generator=cr.Generator().manual_seed(0)).numpy()
    assert sorted(perm) == list(range(10))
