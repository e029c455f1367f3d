"""Module: registration, iteration, modes, hooks, located errors, state_dict, repr."""
import copy

import numpy as np
import pytest

import chainrule as cr
from chainrule import nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(3, 4)
        self.act = nn.ReLU()
        self.fc2 = nn.Linear(4, 2)
        self.register_buffer("steps", cr.zeros(1))
        self.register_buffer("scratch", cr.zeros(2), persistent=False)

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


def test_attribute_assignment_registers():
    net = Net()
    assert [n for n, _ in net.named_parameters()] == ["fc1.weight", "fc1.bias", "fc2.weight",
                                                      "fc2.bias"]
    assert [n for n, _ in net.named_children()] == ["fc1", "act", "fc2"]
    assert [n for n, _ in net.named_modules()] == ["", "fc1", "act", "fc2"]
    assert [n for n, _ in net.named_buffers()] == ["steps", "scratch"]
    assert len(list(net.parameters())) == 4 and len(list(net.children())) == 3
    assert len(list(net.modules())) == 4 and len(list(net.buffers())) == 2
    assert net.fc1.weight is net.fc1._parameters["weight"]


def test_shared_parameters_are_listed_once():
    a = nn.Linear(2, 2)
    model = nn.Sequential(a, nn.Tanh(), a)
    assert [n for n, _ in model.named_parameters()] == ["0.weight", "0.bias"]
    assert len(list(model.named_parameters(remove_duplicate=False))) == 4
    assert [n for n, _ in model.named_modules()] == ["", "0", "1"]


def test_register_parameter_buffer_module_and_reassignment():
    m = nn.Module()
    m.register_parameter("w", nn.Parameter(cr.ones(2)))
    m.add_module("child", nn.Linear(1, 1))
    m.register_buffer("b", cr.zeros(3))
    m.b = cr.ones(3)  # buffers are updated by assignment
    assert m._buffers["b"] is m.b and float(m.b.sum()) == 3.0
    m.w = None
    assert m._parameters["w"] is None and list(m.parameters()) == list(m.child.parameters())
    m.x = 5  # plain attributes are not registered
    assert "x" not in m._parameters and m.x == 5
    m.x = nn.Parameter(cr.zeros(1))  # a plain attribute can become a parameter
    assert "x" in m._parameters
    del m.child
    assert "child" not in m._modules and not hasattr(m, "child")


def test_reassignment_keeps_the_registration_order():
    layer = nn.Linear(2, 2)
    layer.weight = nn.Parameter(cr.zeros(2, 2))
    assert list(layer.state_dict()) == ["weight", "bias"] and float(layer.weight.sum()) == 0
    model = nn.Sequential(nn.Linear(1, 1), nn.ReLU(), nn.Linear(1, 1))
    model[1] = nn.Tanh()
    assert [type(m).__name__ for m in model] == ["Linear", "Tanh", "Linear"]


def test_registration_errors():
    m = nn.Linear(2, 2)
    with pytest.raises(TypeError, match="expected chainrule.nn.Parameter or None for parameter "
                       "'weight', got Tensor"):
        m.weight = cr.zeros(2, 2)
    with pytest.raises(KeyError, match="without '.'"):
        m.register_buffer("a.b", cr.zeros(1))
    with pytest.raises(KeyError, match="an attribute of that name already exists"):
        m.register_buffer("train", cr.zeros(1))
    with pytest.raises(TypeError, match="expected a Tensor or None for buffer"):
        m.register_buffer("buf", np.zeros(2))

    class Early(nn.Module):
        def __init__(self):
            self.fc = nn.Linear(1, 1)
    with pytest.raises(AttributeError, match="before Module.__init__"):
        Early()


def test_forward_missing_raises():
    with pytest.raises(NotImplementedError, match='missing the required "forward"'):
        nn.Module()(cr.zeros(1))


def test_train_eval_recursive():
    model = nn.Sequential(nn.Linear(2, 2), nn.Sequential(nn.Dropout(), nn.ReLU()))
    assert model.eval() is model
    assert not any(m.training for m in model.modules())
    model.train()
    assert all(m.training for m in model.modules())
    with pytest.raises(TypeError, match="expected mode to be a bool"):
        model.train("no")


def test_zero_grad_and_requires_grad():
    net = Net()
    net(cr.randn(5, 3)).sum().backward()
    assert all(p.grad is not None for p in net.parameters())
    net.zero_grad(set_to_none=False)
    assert all(float(p.grad.abs().sum()) == 0 for p in net.parameters())
    net.zero_grad()
    assert all(p.grad is None for p in net.parameters())
    net.requires_grad_(False)
    assert not any(p.requires_grad for p in net.parameters())


def test_apply_visits_children_first():
    seen = []
    net = Net()
    assert net.apply(lambda m: seen.append(type(m).__name__)) is net
    assert seen == ["Linear", "ReLU", "Linear", "Net"]


def test_to_double_and_float():
    net = Net().double()
    assert all(p.dtype == np.float64 for p in net.parameters())
    assert net.steps.dtype == np.float64
    assert net(cr.randn(2, 3, dtype=cr.float64)).dtype == np.float64
    assert net.float().fc1.weight.dtype == np.float32
    assert net.to("cpu") is net
    with pytest.raises(ValueError, match="expected device 'cpu'"):
        net.to("cuda")
    bn = nn.BatchNorm1d(2).double()
    assert bn.num_batches_tracked.dtype == np.int64


def test_get_submodule():
    model = nn.Sequential(nn.Linear(1, 1), nn.Sequential(nn.ReLU()))
    assert isinstance(model.get_submodule("1.0"), nn.ReLU)
    with pytest.raises(AttributeError, match="no '2'"):
        model.get_submodule("2")


def test_deepcopy_gives_independent_module():
    net = Net()
    twin = copy.deepcopy(net)
    with cr.no_grad():
        twin.fc1.weight.fill_(0.0)
    assert float(net.fc1.weight.abs().sum()) > 0
    assert [n for n, _ in twin.named_parameters()] == [n for n, _ in net.named_parameters()]


# ---- repr -------------------------------------------------------------------------------------
def test_repr_matches_torch():
    torch = pytest.importorskip("torch")
    tn = torch.nn
    t = tn.Sequential(tn.Linear(2, 3), tn.ReLU(), tn.Dropout(0.2), tn.BatchNorm1d(3),
                      tn.LayerNorm(3), tn.Sequential(tn.Linear(3, 1, bias=False), tn.Sigmoid()),
                      tn.ModuleList([tn.Tanh(), tn.Tanh(), tn.GELU()]),
                      tn.ModuleDict({"a": tn.Softmax(dim=1), "b": tn.Flatten()}))
    c = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Dropout(0.2), nn.BatchNorm1d(3),
                      nn.LayerNorm(3), nn.Sequential(nn.Linear(3, 1, bias=False), nn.Sigmoid()),
                      nn.ModuleList([nn.Tanh(), nn.Tanh(), nn.GELU()]),
                      nn.ModuleDict({"a": nn.Softmax(dim=1), "b": nn.Flatten()}))
    assert repr(c) == repr(t)
    assert repr(Net()).startswith("Net(\n  (fc1): Linear(in_features=3, out_features=4, bias=True)")
