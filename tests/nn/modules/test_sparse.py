"""Embedding and F.embedding against torch: values, gradients, padding_idx, max_norm, init."""
from __future__ import annotations

import numpy as np
import pytest

import chainrule as cr
import chainrule.nn.functional as F

torch = pytest.importorskip("torch")


def _pair(W: np.ndarray, idx: np.ndarray, **kwargs: object) -> None:  # noqa: N803
    w1 = cr.tensor(W, requires_grad=True)
    w2 = torch.tensor(W, requires_grad=True)
    g = np.random.default_rng(1).normal(size=idx.shape + W.shape[1:])
    y1 = F.embedding(cr.tensor(idx), w1, **kwargs)
    y2 = torch.nn.functional.embedding(torch.tensor(idx), w2, **kwargs)
    np.testing.assert_allclose(y1.detach().numpy(), y2.detach().numpy(), rtol=1e-6)
    (y1 * cr.tensor(g)).sum().backward()
    (y2 * torch.tensor(g)).sum().backward()
    np.testing.assert_allclose(w1.grad.numpy(), w2.grad.numpy(), rtol=1e-6, atol=1e-12)
    np.testing.assert_allclose(w1.detach().numpy(), w2.detach().numpy(), rtol=1e-6)


@pytest.mark.parametrize("kwargs", [{}, {"padding_idx": 0}, {"padding_idx": -1},
                                    {"scale_grad_by_freq": True}, {"max_norm": 1.0},
                                    {"max_norm": 0.5, "norm_type": 1.0}])
def test_embedding_matches_torch(kwargs: dict[str, object]) -> None:
    rng = np.random.default_rng(0)
    W = rng.normal(size=(7, 3))
    idx = np.array([[0, 2, 2, 6], [1, 0, 5, 2]])
    _pair(W, idx, **kwargs)
    _pair(W, idx[0], **kwargs)


def test_embedding_module_init_padding_and_repr() -> None:
    cr.manual_seed(0)
    emb = cr.nn.Embedding(1000, 20, padding_idx=3)
    w = emb.weight.detach().numpy()
    assert w.dtype == np.float32 and (w[3] == 0).all()
    assert abs(w.mean()) < 0.02 and abs(w.std() - 1) < 0.02  # N(0, 1) as torch
    assert repr(emb) == repr(torch.nn.Embedding(1000, 20, padding_idx=3))
    out = emb(cr.tensor([[3, 4]]))
    out.sum().backward()
    assert tuple(out.shape) == (1, 2, 20) and (emb.weight.grad.numpy()[3] == 0).all()
    assert emb.weight.grad.numpy()[4].tolist() == [1.0] * 20


def test_from_pretrained_shares_and_freezes() -> None:
    table = cr.tensor([[1.0, 2.0], [3.0, 4.0]])
    emb = cr.nn.Embedding.from_pretrained(table)
    assert not emb.weight.requires_grad and len(list(emb.parameters())) == 1
    assert emb(cr.tensor([1, 1])).tolist() == [[3.0, 4.0], [3.0, 4.0]]
    assert cr.nn.Embedding.from_pretrained(table, freeze=False).weight.requires_grad
    assert emb.state_dict()["weight"].tolist() == [[1.0, 2.0], [3.0, 4.0]]


def test_embedding_errors() -> None:
    emb = cr.nn.Embedding(5, 2)
    with pytest.raises(IndexError, match=r"expected indices in \[0, 5\)"):
        emb(cr.tensor([5]))
    with pytest.raises(TypeError, match="integer indices"):
        emb(cr.tensor([1.0]))
    with pytest.raises(ValueError, match="padding_idx"):
        cr.nn.Embedding(5, 2, padding_idx=5)
