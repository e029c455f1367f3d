"""The device API (chainrule.device, Tensor.device/to/cpu/type, device= on creation, cuda and
backends queries, Module.to), compared with PyTorch where both run."""
from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import chainrule as cr
from chainrule import _device

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("args", [("cpu",), ("cpu", 0), ("cpu:1",), ("cuda",), ("cuda:1",),
                                  ("mps",), ("cuda", 2)])
def test_device_repr_str_type_index_as_torch(args: Any) -> None:
    d, t = cr.device(*args), torch.device(*args)
    assert (repr(d), str(d), d.type, d.index) == (repr(t), str(t), t.type, t.index)
    assert cr.device(d) == d and hash(cr.device(*args)) == hash(d)


def test_device_equality_as_torch() -> None:
    pairs = [(("cpu",), ("cpu",)), (("cpu",), ("cpu", 0)), (("cpu",), ("cuda",)),
             (("cuda:0",), ("cuda", 0))]
    for a, b in pairs:
        assert (cr.device(*a) == cr.device(*b)) == (torch.device(*a) == torch.device(*b))
    assert (cr.device("cpu") == "cpu") == (torch.device("cpu") == "cpu")
    assert str(cr.zeros(1).device) == "cpu" and cr.zeros(1).device.type == "cpu"


@pytest.mark.parametrize("bad", ["foo", "cpu:x", "cuda:-1"])
def test_bad_device_strings_raise_runtime_error_as_torch(bad: str) -> None:
    with pytest.raises(RuntimeError):
        torch.device(bad)
    with pytest.raises(RuntimeError):
        cr.device(bad)
    with pytest.raises(TypeError, match="device string"):
        cr.device(3.5)


def test_device_is_immutable_and_kinds_registry_has_cpu() -> None:
    with pytest.raises(AttributeError):
        cr.device("cpu").type = "cuda"  # type: ignore[misc]
    assert _device.KINDS["cpu"].xp is np and "cuda" in _device.KNOWN_TYPES


CREATORS = {
    "tensor": lambda m, **k: m.tensor([1.0, 2.0], **k),
    "as_tensor": lambda m, **k: m.as_tensor([1.0, 2.0], **k),
    "zeros": lambda m, **k: m.zeros(2, 3, **k),
    "ones": lambda m, **k: m.ones((2,), **k),
    "empty": lambda m, **k: m.empty(2, **k),
    "full": lambda m, **k: m.full((2,), 1.5, **k),
    "arange": lambda m, **k: m.arange(0, 4, 2, **k),
    "linspace": lambda m, **k: m.linspace(0, 1, 5, **k),
    "eye": lambda m, **k: m.eye(3, **k),
    "rand": lambda m, **k: m.rand(2, **k),
    "randn": lambda m, **k: m.randn(2, 2, **k),
    "randint": lambda m, **k: m.randint(0, 5, (3,), **k),
    "randperm": lambda m, **k: m.randperm(4, **k),
    "normal": lambda m, **k: m.normal(0.0, 1.0, (2,), **k),
    "zeros_like": lambda m, **k: m.zeros_like(m.ones(2), **k),
    "ones_like": lambda m, **k: m.ones_like(m.ones(2), **k),
    "empty_like": lambda m, **k: m.empty_like(m.ones(2), **k),
    "full_like": lambda m, **k: m.full_like(m.ones(2), 3.0, **k),
    "rand_like": lambda m, **k: m.rand_like(m.ones(2), **k),
    "randn_like": lambda m, **k: m.randn_like(m.ones(2), **k),
    "randint_like": lambda m, **k: m.randint_like(m.ones(2), 0, 3, **k),
}


@pytest.mark.parametrize("name", sorted(CREATORS))
def test_every_creation_function_accepts_device_like_torch(name: str) -> None:
    make = CREATORS[name]
    for dev in ("cpu", cr.device("cpu"), None):
        t = make(cr, device=dev)
        ref = make(torch, device=None if dev is None else str(dev))
        assert t.device == cr.device("cpu") and t.shape == tuple(ref.shape)
        assert t.dtype == ref.numpy().dtype, (t.dtype, ref.dtype)
    with pytest.raises(ValueError, match="runs on the CPU"):
        make(cr, device="cuda")


def test_tensor_to_forms_as_torch() -> None:
    x, tx = cr.tensor([1.0, 2.0], requires_grad=True), torch.tensor([1.0, 2.0], requires_grad=True)
    assert x.to("cpu") is x and tx.to("cpu") is tx
    assert x.to(cr.device("cpu")) is x and x.cpu() is x
    y, ty = x.to("cpu", cr.float64), tx.to("cpu", torch.float64)
    assert y.dtype == np.float64 and ty.dtype == torch.float64 and y.grad_fn is not None
    assert x.to(device="cpu", dtype=cr.float64).dtype == np.float64
    assert x.to(cr.zeros(1, dtype=cr.int64)).dtype == np.int64
    c, tc = x.to(cr.float32, copy=True), tx.to(torch.float32, copy=True)
    assert (c is x) == (tc is tx) and c.requires_grad and c.grad_fn is not None
    assert x.to() is x
    (y * 3).sum().backward()
    assert x.grad.tolist() == [3.0, 3.0]
    with pytest.raises(ValueError, match="runs on the CPU"):
        x.to("cuda")
    with pytest.raises(ValueError, match="runs on the CPU"):
        x.cuda()
    assert (x.is_cuda, x.is_cpu, x.get_device()) == (tx.is_cuda, tx.is_cpu, tx.get_device())


@pytest.mark.parametrize("name", ["float", "double", "half", "long", "int", "short", "char",
                                  "byte", "bool"])
def test_dtype_methods_and_type_names_as_torch(name: str) -> None:
    x, tx = cr.tensor([0.5, 2.0]), torch.tensor([0.5, 2.0])
    y, ty = getattr(x, name)(), getattr(tx, name)()
    assert y.dtype == ty.numpy().dtype and y.tolist() == ty.tolist()
    assert y.type().split(".")[1] == ty.type().split(".")[1]
    assert y.is_floating_point() == ty.is_floating_point()
    assert y.element_size() == ty.element_size()


def test_type_with_a_dtype_or_a_name_converts() -> None:
    x = cr.tensor([1.5])
    assert x.type(cr.float64).dtype == np.float64
    assert x.type("torch.LongTensor").dtype == np.int64
    assert x.type("chainrule.DoubleTensor").dtype == np.float64
    assert x.type_as(cr.tensor([1])).dtype == np.int64


def test_cuda_and_backends_queries_as_torch_without_a_gpu() -> None:
    assert cr.cuda.is_available() is False and cr.cuda.device_count() == 0
    assert cr.backends.mps.is_available() is False and cr.backends.mps.is_built() is False
    assert cr.backends.cudnn.is_available() is False
    cr.backends.cudnn.deterministic = True  # settable, as tutorials do
    cr.cuda.manual_seed(0)
    cr.cuda.manual_seed_all(0)
    with pytest.raises(RuntimeError, match="no CUDA device"):
        cr.cuda.current_device()
    device = "cuda" if cr.cuda.is_available() else "cpu"
    assert cr.zeros(2, device=device).device.type == "cpu"


def test_set_default_device() -> None:
    cr.set_default_device("cpu")
    assert cr.get_default_device() == cr.device("cpu")
    with pytest.raises(ValueError, match="runs on the CPU"):
        cr.set_default_device("cuda")
    cr.set_default_device(None)
    assert cr.get_default_device() == cr.device("cpu")


def test_module_to_forms() -> None:
    net = cr.nn.Sequential(cr.nn.Linear(2, 3), cr.nn.ReLU(), cr.nn.Linear(3, 1))
    assert net.to("cpu") is net and net.to(cr.device("cpu")) is net and net.cpu() is net
    assert net.to(cr.float64) is net and all(p.dtype == np.float64 for p in net.parameters())
    net.to(cr.zeros(1))  # a tensor gives its dtype
    assert all(p.dtype == np.float32 for p in net.parameters())
    net.to("cpu", cr.float64)
    assert net[0].weight.dtype == np.float64
    net.to(device="cpu", dtype=cr.float32)
    assert net.type(cr.float64)[0].weight.dtype == np.float64
    assert net.half()[0].weight.dtype == np.float16 and net.float()[0].weight.dtype == np.float32
    with pytest.raises(ValueError, match="runs on the CPU"):
        net.to("cuda")
    with pytest.raises(ValueError, match="runs on the CPU"):
        net.cuda()
    with pytest.raises(TypeError, match="floating point"):
        net.to(cr.int64)
