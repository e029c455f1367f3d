"""chainrule.autograd.backward (several roots, grad_tensors, inputs=) and
chainrule.autograd.inference_mode, beside torch.autograd."""
from __future__ import annotations

import numpy as np
import pytest

import chainrule as cr

torch = pytest.importorskip("torch")


def test_backward_of_several_tensors_equals_torch() -> None:
    x = np.array([0.5, -1.0, 2.0])
    ours = [cr.tensor(x, requires_grad=True), cr.tensor(2.0, dtype=cr.float64, requires_grad=True)]
    theirs = [torch.tensor(x, requires_grad=True), torch.tensor(2.0, dtype=torch.float64,
                                                                requires_grad=True)]
    g = np.array([1.0, 2.0, 3.0])
    for mod, (a, b), gt in ((cr, ours, cr.tensor(g)), (torch, theirs, torch.tensor(g))):
        y1 = (a * b).exp()          # non-scalar: needs its grad tensor
        y2 = (a * a).sum() * b      # scalar: None means 1
        mod.autograd.backward([y1, y2], [gt, None])
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=1e-12)


def test_backward_inputs_accumulates_only_there_and_retain_graph() -> None:
    a, b = cr.tensor(3.0, requires_grad=True), cr.tensor(4.0, requires_grad=True)
    y = a * b
    cr.autograd.backward(y, inputs=[b], retain_graph=True)
    assert a.grad is None and b.grad.item() == 3.0
    cr.autograd.backward([y], inputs=b)
    assert b.grad.item() == 6.0                         # accumulated
    z = a * a
    cr.autograd.backward(z, grad_tensors=cr.tensor(2.0))
    assert a.grad.item() == 12.0


def test_backward_errors() -> None:
    with pytest.raises(RuntimeError, match="element 1 of tensors does not require grad"):
        cr.autograd.backward([cr.tensor(1.0, requires_grad=True) * 2, cr.tensor(1.0)])
    with pytest.raises(RuntimeError, match="grad can be implicitly created only for scalar"):
        cr.autograd.backward(cr.ones(2, requires_grad=True) * 2)
    with pytest.raises(ValueError, match="expected 2 grad_tensors"):
        w = cr.tensor(1.0, requires_grad=True)
        cr.autograd.backward([w * 2, w * 3], [None])
    with pytest.raises(NotImplementedError, match="create_graph=True"):
        cr.autograd.backward(cr.tensor(1.0, requires_grad=True) * 2, create_graph=True)


def test_inference_mode_is_reachable_from_autograd() -> None:
    w = cr.ones(2, requires_grad=True)
    with cr.autograd.inference_mode():
        y = w * 2
    assert not y.requires_grad and cr.autograd.inference_mode is cr.inference_mode

    @cr.autograd.inference_mode()
    def f(t: cr.Tensor) -> cr.Tensor:
        return t * 3
    assert not f(w).requires_grad
