"""Module: registration, iteration, modes, hooks, located errors, state_dict, repr."""
import copy

import numpy as np
import pytest

import chainrule as cr
from chainrule import nn
from chainrule.nn.modules.module import register_module_forward_hook


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


# ---- hooks ------------------------------------------------------------------------------------
def test_forward_hooks_and_removal():
    layer = nn.Linear(2, 2)
    calls = []
    h1 = layer.register_forward_pre_hook(lambda m, args: calls.append("pre"))
    h2 = layer.register_forward_hook(lambda m, args, out: calls.append(("post", out.shape)))
    layer(cr.zeros(3, 2))
    assert calls == ["pre", ("post", (3, 2))]
    h1.remove()
    h2.remove()
    layer(cr.zeros(1, 2))
    assert len(calls) == 2 and "_hooked" not in layer.__dict__


def test_hooks_can_replace_inputs_and_outputs():
    m = nn.Identity()
    m.register_forward_pre_hook(lambda mod, args: (args[0] * 2,))
    with m.register_forward_hook(lambda mod, args, out: out + 1):
        assert m(cr.tensor(3.0)).item() == 7.0
    assert m(cr.tensor(3.0)).item() == 6.0


def test_prepend_puts_hook_first():
    m, order = nn.Identity(), []
    m.register_forward_hook(lambda *a: order.append("a"))
    m.register_forward_hook(lambda *a: order.append("b"), prepend=True)
    m(cr.zeros(1))
    assert order == ["b", "a"]


def test_global_forward_hook_sees_every_module():
    model = nn.Sequential(nn.Linear(2, 3), nn.ReLU())
    seen = []
    hooked_before = nn.Module._hooked  # another part of the library may keep a global hook
    handle = register_module_forward_hook(lambda m, i, o: seen.append((type(m).__name__,
                                                                       o.shape)))
    try:
        model(cr.zeros(4, 2))
    finally:
        handle.remove()
    assert seen == [("Linear", (4, 3)), ("ReLU", (4, 3)), ("Sequential", (4, 3))]
    assert nn.Module._hooked is hooked_before
    model(cr.zeros(1, 2))
    assert len(seen) == 3


def test_hook_must_be_callable():
    with pytest.raises(TypeError, match="expected a callable"):
        nn.Identity().register_forward_hook(3)


# ---- errors name the layer ----------------------------------------------------------------
def test_sequential_names_the_failing_child():
    model = nn.Sequential(nn.Linear(5, 64), nn.ReLU(), nn.Linear(64, 10))
    with pytest.raises(ValueError, match=r"^model\.0 \(Linear 5->64\): expected input with last "
                       r"dimension 5, got shape \(8, 3\)$"):
        model(cr.zeros(8, 3))
    bad = nn.Sequential(nn.Linear(5, 63), nn.ReLU(), nn.Linear(64, 10))
    with pytest.raises(ValueError, match=r"^model\.2 \(Linear 64->10\): expected input with last "
                       r"dimension 64, got shape \(8, 63\)$"):
        bad(cr.zeros(8, 5))


def test_nested_containers_and_custom_modules_give_the_full_path():
    model = nn.Sequential(nn.Sequential(nn.Linear(2, 2), nn.Linear(3, 1)))
    with pytest.raises(ValueError, match=r"^model\.0\.1 \(Linear 3->1\): "):
        model(cr.zeros(1, 2))

    class Wrapper(nn.Module):
        def __init__(self):
            super().__init__()
            self.body = nn.Sequential(nn.Linear(2, 4), nn.Linear(5, 1))

        def forward(self, x):
            return self.body(x)
    with pytest.raises(ValueError, match=r"^model\.body\.1 \(Linear 5->1\): expected input"):
        Wrapper()(cr.zeros(1, 2))


def test_a_layer_called_alone_keeps_its_own_name():
    with pytest.raises(ValueError, match=r"^Linear\(in_features=4, out_features=3, bias=True\): "
                       r"expected input with last dimension 4, got shape \(8, 5\)$"):
        nn.Linear(4, 3)(cr.zeros(8, 5))


def test_errors_from_ops_in_a_custom_forward_are_located():
    class Bad(nn.Module):
        def forward(self, x):
            return x @ cr.zeros(7, 1)
    with pytest.raises(ValueError, match=r"^model\.1 \(Bad\): matmul: expected the inner"):
        nn.Sequential(nn.Identity(), Bad())(cr.zeros(2, 3))


# ---- state_dict -------------------------------------------------------------------------------
def test_state_dict_keys_share_memory_and_skip_non_persistent():
    net = Net()
    sd = net.state_dict()
    assert list(sd) == ["steps", "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"]
    assert not sd["fc1.weight"].requires_grad
    assert np.shares_memory(sd["fc1.weight"].data, net.fc1.weight.data)
    assert net.state_dict(keep_vars=True)["fc1.weight"] is net.fc1.weight


def _sgd_step(model, x, y, lr=0.1):
    loss = nn.functional.mse_loss(model(x), y)
    model.zero_grad()
    loss.backward()
    with cr.no_grad():
        for p in model.parameters():
            p -= lr * p.grad
    return loss.item()


def test_state_dict_round_trip_mid_training_continues_identically():
    cr.manual_seed(0)
    x, y = cr.randn(16, 3), cr.randn(16, 1)
    a = nn.Sequential(nn.Linear(3, 8), nn.BatchNorm1d(8), nn.Tanh(), nn.Linear(8, 1))
    for _ in range(3):
        _sgd_step(a, x, y)
    snapshot = {k: v.clone() for k, v in a.state_dict().items()}
    b = nn.Sequential(nn.Linear(3, 8), nn.BatchNorm1d(8), nn.Tanh(), nn.Linear(8, 1))
    assert repr(b.load_state_dict(snapshot)) == "<All keys matched successfully>"
    losses_a = [_sgd_step(a, x, y) for _ in range(3)]
    losses_b = [_sgd_step(b, x, y) for _ in range(3)]
    assert losses_a == losses_b
    for (ka, va), (kb, vb) in zip(a.state_dict().items(), b.state_dict().items()):
        assert ka == kb and np.array_equal(va.data, vb.data)


def test_load_copies_in_place_never_rebinds():
    layer = nn.Linear(2, 2)
    before = layer.weight.data
    view = layer.weight.data.reshape(-1)  # e.g. an optimizer's view of the parameter
    layer.load_state_dict({"weight": cr.ones(2, 2), "bias": np.zeros(2)})
    assert layer.weight.data is before
    assert np.array_equal(view, np.ones(4, np.float32))


def test_load_state_dict_reports_every_problem_in_one_error_and_changes_nothing():
    net = Net()
    before = {k: v.clone() for k, v in net.state_dict().items()}
    sd = {k: v.clone() for k, v in net.state_dict().items()}
    del sd["fc1.bias"], sd["steps"]
    sd["fc2.weight"] = cr.zeros(3, 4)
    sd["extra.weight"] = cr.zeros(1)
    sd["fc1.weight"] = cr.zeros(4, 3)  # valid: must not be copied either
    with pytest.raises(RuntimeError) as info:
        net.load_state_dict(sd)
    msg = str(info.value)
    assert msg.startswith("load_state_dict: expected the keys and shapes of Net's state_dict, "
                          "got 2 missing, 1 unexpected, 1 mismatched (nothing was loaded):")
    assert 'missing keys: "steps", "fc1.bias"' in msg
    assert 'unexpected keys: "extra.weight"' in msg
    assert 'size mismatch for "fc2.weight": expected shape (2, 4), got (3, 4)' in msg
    assert isinstance(info.value, ValueError)
    for k, v in net.state_dict().items():
        assert np.array_equal(v.data, before[k].data)


def test_load_state_dict_non_strict_returns_missing_and_unexpected():
    net = Net()
    result = net.load_state_dict({"fc1.weight": cr.zeros(4, 3), "other": cr.zeros(1)},
                                 strict=False)
    assert result.missing_keys == ["steps", "fc1.bias", "fc2.weight", "fc2.bias"]
    assert result.unexpected_keys == ["other"]
    assert float(net.fc1.weight.abs().sum()) == 0.0
    with pytest.raises(RuntimeError, match=r'size mismatch for "fc1.weight"'):
        net.load_state_dict({"fc1.weight": cr.zeros(3, 3)}, strict=False)
    with pytest.raises(TypeError, match="expected a mapping"):
        net.load_state_dict([1, 2])


def test_load_state_dict_matches_torch_keys():
    torch = pytest.importorskip("torch")
    tm = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4), torch.nn.ReLU(),
                             torch.nn.Linear(4, 2))
    cm = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 2))
    assert list(cm.state_dict()) == list(tm.state_dict())
    cm.load_state_dict({k: v.numpy() for k, v in tm.state_dict().items()})
    x = np.random.default_rng(0).standard_normal((5, 3)).astype(np.float32)
    cm.eval()
    tm.eval()
    np.testing.assert_allclose(cm(cr.tensor(x)).data, tm(torch.tensor(x)).detach().numpy(),
                               rtol=1e-5, atol=1e-6)


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
