"""PyTorch weights in and out: state_dicts, and safetensors files written by safetensors.torch,
load into the same architecture on the other side with equal outputs."""
from __future__ import annotations

import numpy as np
import pytest

import chainrule as cr
from chainrule import nn
from chainrule.train import load_weights, save_weights

torch = pytest.importorskip("torch")
st_torch = pytest.importorskip("safetensors.torch")

# (chainrule factory, torch factory) pairs: every activation, both norms
ACTS = [(nn.ReLU, torch.nn.ReLU), (nn.Sigmoid, torch.nn.Sigmoid), (nn.Tanh, torch.nn.Tanh),
        (lambda: nn.LeakyReLU(0.1), lambda: torch.nn.LeakyReLU(0.1)),
        (lambda: nn.ELU(0.5), lambda: torch.nn.ELU(0.5)), (nn.GELU, torch.nn.GELU),
        (lambda: nn.GELU("tanh"), lambda: torch.nn.GELU(approximate="tanh")),
        (nn.SiLU, torch.nn.SiLU), (nn.Softplus, torch.nn.Softplus), (nn.PReLU, torch.nn.PReLU),
        (nn.Identity, torch.nn.Identity)]


def pair(seed: int):
    """The same random architecture in chainrule and in PyTorch."""
    rng = np.random.default_rng(seed)
    ours, theirs = [], []
    width = n_in = int(rng.integers(1, 7))
    for _ in range(int(rng.integers(1, 4))):
        h = int(rng.integers(2, 17))
        ours.append(nn.Linear(width, h))
        theirs.append(torch.nn.Linear(width, h))
        norm = int(rng.integers(0, 3))
        if norm == 1:
            ours.append(nn.BatchNorm1d(h))
            theirs.append(torch.nn.BatchNorm1d(h))
        elif norm == 2:
            ours.append(nn.LayerNorm(h))
            theirs.append(torch.nn.LayerNorm(h))
        a, b = ACTS[int(rng.integers(len(ACTS)))]
        ours.append(a())
        theirs.append(b())
        width = h
    out = int(rng.integers(1, 5))
    ours.append(nn.Linear(width, out))
    theirs.append(torch.nn.Linear(width, out))
    return nn.Sequential(*ours), torch.nn.Sequential(*theirs), n_in


def _train_stats(torch_model, n_in: int, seed: int) -> None:
    """Give the torch model non-trivial weights and BatchNorm statistics."""
    torch.manual_seed(seed)
    torch_model.train()
    with torch.no_grad():
        for p in torch_model.parameters():
            p.add_(torch.randn_like(p) * 0.1)
        torch_model(torch.randn(32, n_in) * 2 + 0.5)
    torch_model.eval()


def _close(ours, theirs, n_in: int, seed: int) -> float:
    x = np.random.default_rng(seed).normal(size=(9, n_in)).astype(np.float32)
    a = ours(cr.tensor(x)).detach().numpy()
    b = theirs(torch.from_numpy(x)).detach().numpy()
    np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    return float(np.abs(a - b).max())


@pytest.mark.parametrize("seed", range(20))
def test_torch_state_dict_loads_directly(seed):
    ours, theirs, n_in = pair(seed)
    _train_stats(theirs, n_in, seed)
    ours.load_state_dict(theirs.state_dict())
    _close(ours.eval(), theirs, n_in, seed)


@pytest.mark.parametrize("seed", range(20))
def test_safetensors_file_from_torch_loads(seed, tmp_path):
    ours, theirs, n_in = pair(seed)
    _train_stats(theirs, n_in, seed)
    st_torch.save_file(theirs.state_dict(), str(tmp_path / "model.safetensors"))
    load_weights(ours, tmp_path / "model.safetensors")
    _close(ours.eval(), theirs, n_in, seed)


@pytest.mark.parametrize("seed", range(20))
def test_chainrule_weights_load_into_torch(seed, tmp_path):
    ours, theirs, n_in = pair(seed)
    cr.manual_seed(seed)
    ours.train()
    ours(cr.randn(32, n_in) * 2 + 0.5)  # BatchNorm statistics
    ours.eval()
    theirs.load_state_dict({k: torch.from_numpy(v.numpy().copy())
                            for k, v in ours.state_dict().items()})
    _close(ours, theirs.eval(), n_in, seed)
    save_weights(ours, tmp_path / "w.safetensors")  # and as a file, read by safetensors.torch
    theirs.load_state_dict(st_torch.load_file(str(tmp_path / "w.safetensors")))
    _close(ours, theirs, n_in, seed)
