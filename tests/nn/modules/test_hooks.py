"""Forward hooks (module and global) and errors that name the failing layer's path."""
import pytest

import chainrule as cr
from chainrule import nn
from chainrule.nn.modules.module import register_module_forward_hook


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
