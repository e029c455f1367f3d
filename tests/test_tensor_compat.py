"""Tensor surface that PyTorch programs touch, side by side with PyTorch: formatting, Size,
``.data``, NumPy interplay, conversions, grad modes and hooks."""
from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import chainrule as cr

torch = pytest.importorskip("torch")


def both(data: Any, **kw: Any) -> tuple[Any, Any]:
    return cr.tensor(data, **kw), torch.tensor(data, **kw)


# ---- formatting ------------------------------------------------------------------------------
@pytest.mark.parametrize("data,spec", [(1.5, ".3f"), (-2.25, "+.2f"), (3, "5d"), (0.25, ".1%"),
                                       (1.5, ">8"), (2.0, ""), (True, "d"), ([1.0, 2.0], ""),
                                       ([[1.5]], "")])
def test_format_with_a_spec_as_torch(data: Any, spec: str) -> None:
    x, t = both(data)
    assert format(x, spec) == format(t, spec)
    assert f"{x}" == f"{t}"


@pytest.mark.parametrize("data", [[2.0], [[2.0]], [1.0, 2.0]])
def test_format_spec_on_tensors_with_dims_raises_as_torch(data: Any) -> None:
    x, t = both(data)
    with pytest.raises(TypeError):
        format(t, ".2f")
    with pytest.raises(TypeError, match="unsupported format string"):
        format(x, ".2f")


def test_format_of_a_loss_that_requires_grad() -> None:
    w, tw = both([1.0, 2.0], requires_grad=True)
    assert f"{(w * w).sum():.4f}" == f"{(tw * tw).sum():.4f}" == "5.0000"
    assert "{:+.2f}".format(w.sum()) == "{:+.2f}".format(tw.sum())


# ---- Size ------------------------------------------------------------------------------------
def test_size_is_a_tuple_printed_as_torch_size() -> None:
    x, t = cr.zeros(2, 3), torch.zeros(2, 3)
    s = x.shape
    assert isinstance(s, cr.Size) and isinstance(s, tuple) and s == (2, 3) == t.shape
    assert repr(s) == repr(t.shape).replace("torch", "chainrule") == "chainrule.Size([2, 3])"
    assert str(s) == repr(s) and x.size() == s and x.size(1) == 3 == t.size(1)
    assert repr(s[1:]) == "chainrule.Size([3])" and s[0] == 2 and isinstance(s[0], int)
    assert repr(s + (4,)) == "chainrule.Size([2, 3, 4])" == repr((2, 3) + cr.Size([4]))
    assert repr((1,) + s) == "chainrule.Size([1, 2, 3])"
    assert s.numel() == t.shape.numel() == 6 and cr.Size([]).numel() == 1
    assert f"{s}" == "(2, 3)"  # messages print shapes as tuples (DESIGN.md)
    assert cr.zeros(()).shape == () and repr(cr.zeros(()).shape) == "chainrule.Size([])"
    with pytest.raises(TypeError):
        cr.Size([2.5])


# ---- .data -----------------------------------------------------------------------------------
def test_data_updates_as_torch_sgd_by_hand() -> None:
    """``p.data += -lr * p.grad``, ``.data.add_``, ``.data.zero_``, ``w.data = new``."""
    w, tw = both([0.5, -1.0, 2.0], requires_grad=True)
    for _ in range(3):
        for p in (w, tw):
            p.grad = None
        (w * w * w).sum().backward()
        (tw * tw * tw).sum().backward()
        w.data += -0.1 * w.grad
        tw.data += -0.1 * tw.grad
        w.data.add_(w.grad, alpha=-0.05)
        tw.data.add_(tw.grad, alpha=-0.05)
    np.testing.assert_allclose(w.detach().numpy(), tw.detach().numpy(), rtol=1e-6)
    assert w.requires_grad and w.is_leaf and w.grad_fn is None
    w.data.zero_(), tw.data.zero_()
    w.data.fill_(0.25), tw.data.fill_(0.25)
    assert w.tolist() == tw.tolist()
    w.data = cr.zeros(3, dtype=cr.float64)
    tw.data = torch.zeros(3, dtype=torch.float64)
    assert w.dtype == tw.detach().numpy().dtype and w.requires_grad == tw.requires_grad
    with pytest.raises(RuntimeError):
        tw.data = torch.zeros(3, dtype=torch.int64)
    with pytest.raises(RuntimeError, match="floating point"):
        w.data = cr.zeros(3, dtype=cr.int64)


def test_data_bypasses_the_version_counter_as_torch() -> None:
    w, tw = both([1.0, 2.0], requires_grad=True)
    y, ty = (w * w).sum(), (tw * tw).sum()
    w.data.mul_(2.0)   # the saved w changes: both libraries use the new values silently
    tw.data.mul_(2.0)
    y.backward(), ty.backward()
    assert w.grad.tolist() == tw.grad.tolist() == [4.0, 8.0]
    assert not w.data.requires_grad and w.data.grad_fn is None and w.data.is_leaf
    z, tz = w * 2, tw * 2
    assert (z.data.grad_fn, z.data.requires_grad) == (tz.data.grad_fn, tz.data.requires_grad)
    with pytest.raises(RuntimeError, match="in-place"):
        w.mul_(2.0)    # without .data: refused, as torch
    with pytest.raises(RuntimeError):
        tw.mul_(2.0)


def test_data_normal_and_uniform_initialise_in_place() -> None:
    lin = cr.nn.Linear(100, 50)
    g = cr.Generator().manual_seed(0)
    lin.weight.data.normal_(0, 0.01, generator=g)
    lin.bias.data.uniform_(-0.1, 0.1)
    w = lin.weight.detach().numpy()
    assert abs(float(w.std()) - 0.01) < 1e-3 and abs(float(w.mean())) < 1e-3
    assert lin.weight.requires_grad and w.dtype == np.float32
    assert float(lin.bias.detach().numpy().max()) <= 0.1
    again = cr.nn.Linear(100, 50)
    again.weight.data.normal_(0, 0.01, generator=cr.Generator().manual_seed(0))
    np.testing.assert_array_equal(again.weight.detach().numpy(), w)


# ---- NumPy interplay -------------------------------------------------------------------------
def test_numpy_functions_on_tensors_as_torch() -> None:
    x, t = both([1.0, 2.0])
    y, ty = np.exp(x), np.exp(t)
    assert isinstance(y, cr.Tensor) and isinstance(ty, torch.Tensor)
    np.testing.assert_allclose(y.numpy(), ty.numpy()) and y.dtype == ty.numpy().dtype
    assert isinstance(np.ones(2) + x, cr.Tensor)  # ndarray (op) Tensor: the Tensor's operator
    w, tw = both([1.0], requires_grad=True)
    with pytest.raises(RuntimeError):
        np.exp(tw)
    with pytest.raises(RuntimeError, match="requires grad"):
        np.exp(w)
    assert np.asarray(x).dtype == np.float32 and x.numpy() is np.asarray(x)
    with pytest.raises(RuntimeError, match="detach"):
        w.numpy()
    assert w.numpy(force=True).tolist() == tw.numpy(force=True).tolist()


def test_from_numpy_and_as_tensor_share_memory_as_torch() -> None:
    a = np.zeros(3, np.float32)
    for m in (cr, torch):
        t = m.from_numpy(a)
        a[0] = 1.0
        assert t.tolist()[0] == 1.0
        u = m.as_tensor(a)
        a[1] = 2.0
        assert u.tolist()[1] == 2.0
        v = m.as_tensor(a, dtype=m.float64)  # another dtype: a copy
        a[2] = 3.0
        assert v.tolist()[2] == 0.0
        a[:] = 0
    x = cr.ones(2)
    assert cr.as_tensor(x) is x and cr.as_tensor([1, 2]).dtype == np.int64


def test_item_tolist_numel_nelement_as_torch() -> None:
    for data in (2.5, [1, 2], [[1.0, 2.0], [3.0, 4.0]]):
        x, t = both(data)
        assert x.tolist() == t.tolist() and x.numel() == t.numel() == x.nelement()
        assert cr.numel(x) == torch.numel(t) and x.dim() == t.dim()
    assert both(2.5)[0].item() == 2.5 and isinstance(cr.tensor(3).item(), int)
    with pytest.raises(ValueError, match="one element"):
        cr.tensor([1.0, 2.0]).item()


# ---- grad modes and hooks --------------------------------------------------------------------
@pytest.mark.parametrize("mode", ["no_grad", "inference_mode"])
def test_grad_off_as_decorator_bare_called_and_context(mode: str) -> None:
    for m in (cr, torch):
        w = m.ones(2, requires_grad=True)
        ctx = getattr(m, mode)

        @ctx
        def bare(x: Any) -> Any:
            return x * 2

        @ctx()
        def called(x: Any) -> Any:
            return x * 2

        with ctx():
            inside = w * 2
        assert not bare(w).requires_grad and not called(w).requires_grad
        assert not inside.requires_grad and (w * 2).requires_grad
        assert bare.__name__ == "bare"
    with cr.inference_mode():
        assert cr.is_inference_mode_enabled() and not cr.is_grad_enabled()
    with cr.inference_mode(False):
        assert not cr.is_inference_mode_enabled() and cr.is_grad_enabled()


def test_requires_grad_retain_grad_register_hook_as_torch() -> None:
    res = []
    for m in (cr, torch):
        x = m.tensor([1.0, 2.0]).requires_grad_()
        y = x * 3
        y.retain_grad()
        seen: list[Any] = []
        y.register_hook(seen.append)
        h = x.register_hook(lambda g: g * 10)
        (y * y).sum().backward()
        res.append((x.grad.tolist(), y.grad.tolist(), [g.tolist() for g in seen], x.is_leaf,
                    y.is_leaf))
        h.remove()
    assert res[0] == res[1]
    with pytest.raises(TypeError, match="floating point"):
        cr.tensor([1, 2]).requires_grad_()
