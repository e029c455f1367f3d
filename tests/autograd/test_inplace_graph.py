"""In-place ops inside the graph, against PyTorch: gradients, versions, errors, views."""
from __future__ import annotations

import re
from typing import Any, Callable

import numpy as np
import pytest

import chainrule as cr

torch = pytest.importorskip("torch")

RNG = np.random.default_rng(0)
XA = RNG.uniform(0.2, 1.2, (2, 3))   # positive: sqrt_/log_ are defined
WA = RNG.uniform(-1.0, 1.0, (2, 3))
CA = RNG.standard_normal((2, 3))     # the loss weights: gradients that are not all ones
MASK = np.array([[True, False, True], [False, False, True]])


def _both(a: np.ndarray, requires_grad: bool = True) -> tuple[Any, Any]:
    return (cr.tensor(a.copy(), requires_grad=requires_grad),
            torch.tensor(a.copy(), requires_grad=requires_grad))


def _ver(t: Any) -> int:
    """The version: an int in PyTorch, chainrule's shared counter [n, ...] (None: 0)."""
    v = t._version
    return v if isinstance(v, int) else 0 if v is None else v[0]


def _pick(lib: Any, pair: tuple[Any, Any]) -> Any:
    return pair[0] if lib is cr else pair[1]


# op(lib, y, w, w0) changes y in place; w (2, 3) and w0 (0-d) require grad
OPS: dict[str, Callable[..., Any]] = {
    "add_": lambda lib, y, w, w0: y.add_(w, alpha=0.5),
    "add_scalar": lambda lib, y, w, w0: y.add_(2.0),
    "sub_": lambda lib, y, w, w0: y.sub_(w),
    "mul_": lambda lib, y, w, w0: y.mul_(w),
    "mul_scalar": lambda lib, y, w, w0: y.mul_(3.0),
    "div_": lambda lib, y, w, w0: y.div_(w + 2.0),
    "pow_": lambda lib, y, w, w0: y.pow_(2),
    "iadd": lambda lib, y, w, w0: y.__iadd__(w),
    "isub": lambda lib, y, w, w0: y.__isub__(w),
    "imul": lambda lib, y, w, w0: y.__imul__(w),
    "itruediv": lambda lib, y, w, w0: y.__itruediv__(w + 2.0),
    "clamp_": lambda lib, y, w, w0: y.clamp_(0.5, 1.5),
    "clamp_min_": lambda lib, y, w, w0: y.clamp_min_(1.0),
    "relu_": lambda lib, y, w, w0: y.sub_(1.0).relu_(),
    "sigmoid_": lambda lib, y, w, w0: y.sigmoid_(),
    "tanh_": lambda lib, y, w, w0: y.tanh_(),
    "exp_": lambda lib, y, w, w0: y.exp_(),
    "log_": lambda lib, y, w, w0: y.log_(),
    "sqrt_": lambda lib, y, w, w0: y.sqrt_(),
    "neg_": lambda lib, y, w, w0: y.neg_(),
    "abs_": lambda lib, y, w, w0: y.sub_(1.0).abs_(),
    "lerp_": lambda lib, y, w, w0: y.lerp_(w, 0.3),
    "masked_fill_": lambda lib, y, w, w0: y.masked_fill_(lib.tensor(MASK), 0.0),
    "fill_": lambda lib, y, w, w0: y.fill_(2.0),
    "fill_tensor": lambda lib, y, w, w0: y.fill_(w0),
    "zero_": lambda lib, y, w, w0: y.zero_(),
    "copy_": lambda lib, y, w, w0: y.copy_(w),
    "copy_broadcast": lambda lib, y, w, w0: y.copy_(w[0]),
    "torch.relu_": lambda lib, y, w, w0: lib.relu_(y.sub_(1.0)),
    "setitem_row": lambda lib, y, w, w0: y.__setitem__(0, w[1] * 2),
    "setitem_scalar": lambda lib, y, w, w0: y.__setitem__((1, slice(1, None)), 7.0),
    "setitem_mask": lambda lib, y, w, w0: y.__setitem__(lib.tensor(MASK), 0.0),
    "setitem_mask_values": lambda lib, y, w, w0: y.__setitem__(lib.tensor(MASK),
                                                               w[lib.tensor(MASK)]),
    "setitem_0d": lambda lib, y, w, w0: y.__setitem__((0, 1), w0),
    "setitem_list": lambda lib, y, w, w0: y.__setitem__(([0, 1], [2, 0]), w0 * 3),
    "two_in_a_row": lambda lib, y, w, w0: y.mul_(w).add_(w0),
}


@pytest.mark.parametrize("name", list(OPS))
def test_in_place_on_a_non_leaf_matches_torch(name: str) -> None:
    x, w, w0, c = _both(XA), _both(WA), _both(np.array(0.7)), _both(CA, False)
    out = []
    for lib in (cr, torch):
        xl, wl, w0l, cl = (_pick(lib, p) for p in (x, w, w0, c))
        y = xl * 1.5
        before = y.grad_fn
        r = OPS[name](lib, y, wl, w0l)
        assert r is y or name.startswith("setitem")
        assert y.grad_fn is not before and not y.is_leaf and y.requires_grad
        (y * cl).sum().backward()
        out.append((y.detach().numpy().copy(), _ver(y) > 0))
    np.testing.assert_allclose(out[0][0], out[1][0], rtol=1e-12, atol=1e-12)
    assert out[0][1] and out[1][1]
    for a, b in (x, w, w0):
        if b.grad is None:
            assert a.grad is None or not np.any(a.grad.numpy())
        else:
            np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=1e-12, atol=1e-12)


def test_the_new_node_takes_the_old_one_as_input_as_torch() -> None:
    x = cr.randn(3, requires_grad=True)
    y = x * 2
    mul = y.grad_fn
    y.add_(1)
    assert repr(y.grad_fn) == "<AddBackward>" and y.grad_fn.next_functions[0] is mul
    assert _ver(y) == 1


def test_a_tensor_without_grad_joins_the_graph_through_an_operand() -> None:
    x, tx = _both(np.array([1.0, 2.0, 3.0]))
    y, ty = cr.zeros(3, dtype=cr.float64), torch.zeros(3, dtype=torch.float64)
    y[0], ty[0] = x[1] * 2, tx[1] * 2
    assert y.requires_grad and not y.is_leaf and repr(y.grad_fn) == "<SetItemBackward>"
    y.mul_(x), ty.mul_(tx)
    y.sum().backward(), ty.sum().backward()
    assert x.grad.tolist() == tx.grad.tolist()


def test_clone_then_mask_the_common_torch_pattern() -> None:
    x, tx = _both(WA)
    y, ty = x.clone(), tx.clone()
    y[y < 0], ty[ty < 0] = 0, 0
    (y * y).sum().backward(), (ty * ty).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), rtol=1e-12)


def _torch_message(fn: Callable[[Any], Any]) -> str:
    with pytest.raises(RuntimeError) as info:
        fn(torch)
    return str(info.value)


@pytest.mark.parametrize("case", ["saved_input", "saved_output", "saved_output_no_grad",
                                  "twice", "leaf_no_grad"])
def test_a_saved_tensor_changed_in_place_raises_at_backward_as_torch(case: str) -> None:
    def run(lib: Any) -> None:
        x = lib.tensor([0.5, 1.0, 2.0], requires_grad=True)
        w = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
        if case == "saved_input":
            y = x * 2
            z = y * w
            y.add_(1)
        elif case == "saved_output":
            y = x.sigmoid()
            z = y.mul_(2)
        elif case == "saved_output_no_grad":
            z = x.exp()
            with lib.no_grad():
                z.add_(1)
        elif case == "twice":
            y = x * 1
            z = y.exp_() * w
            y.add_(1).add_(1)
        else:
            z = x * w
            with lib.no_grad():
                x.mul_(2)
        z.sum().backward()

    theirs = _torch_message(run)
    with pytest.raises(RuntimeError) as info:
        run(cr)
    ours = str(info.value)
    assert "modified by an in-place operation" in ours  # chainrule's older wording stays
    core = re.search(r"one of the variables .*? instead", theirs).group(0)  # type: ignore
    assert core.replace("torch.", "chainrule.") in ours, (ours, theirs)


def test_no_error_when_what_was_saved_is_not_changed() -> None:
    x, tx = _both(XA)
    w, tw = _both(WA)
    for a, b in ((x, w), (tx, tw)):
        h = a * b            # saves a and b, not h
        h.relu_()            # saves its result
        (h * 2).sum().backward()
        g = a * b
        g[0] = g[0] + 3      # the right side reads g before the write (g[0] * 3: see below)
        g.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), rtol=1e-12)
    np.testing.assert_allclose(w.grad.numpy(), tw.grad.numpy(), rtol=1e-12)


@pytest.mark.parametrize("op", [lambda x: x.add_(1), lambda x: x.relu_(),
                                lambda x: x.__setitem__(0, 1.0), lambda x: x.zero_(),
                                lambda x: x.copy_(x * 2), lambda x: x.normal_()],
                         ids=["add_", "relu_", "setitem", "zero_", "copy_", "normal_"])
def test_a_leaf_that_requires_grad_still_raises_as_torch(op: Any) -> None:
    x, tx = _both(np.array([1.0, 2.0]))
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad is being used in "
                                           "an in-place operation"):
        op(x)
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
        op(tx)
    assert x.tolist() == [1.0, 2.0] and x.is_leaf and _ver(x) == 0


@pytest.mark.parametrize("name", ["ReLU", "LeakyReLU", "ELU", "Hardtanh", "ReLU6", "SiLU"])
def test_inplace_activation_modules_in_the_graph_match_torch(name: str) -> None:
    x, tx = _both(WA)
    c = torch.tensor(CA)
    ours = getattr(cr.nn, name)(inplace=True)(x * 2)
    theirs = getattr(torch.nn, name)(inplace=True)(tx * 2)
    (ours * cr.tensor(CA)).sum().backward(), (theirs * c).sum().backward()
    np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), rtol=1e-12)


def test_functional_relu_inplace_in_the_graph_matches_torch() -> None:
    x, tx = _both(WA)
    y, ty = cr.nn.functional.relu(x * 2, inplace=True), torch.nn.functional.relu(tx * 2, True)
    (y * y).sum().backward(), (ty * ty).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), rtol=1e-12)


def test_dtype_of_the_changed_tensor_is_kept_and_operand_grads_keep_theirs() -> None:
    x = cr.tensor([1.0, 2.0], dtype=cr.float32, requires_grad=True)
    w = cr.tensor([3.0, 4.0], dtype=cr.float64, requires_grad=True)
    tx = torch.tensor([1.0, 2.0], dtype=torch.float32, requires_grad=True)
    tw = torch.tensor([3.0, 4.0], dtype=torch.float64, requires_grad=True)
    y, ty = x * 1, tx * 1
    y.mul_(w), ty.mul_(tw)
    assert y.dtype == cr.float32
    y.sum().backward(), ty.sum().backward()
    assert x.grad.dtype == cr.float32 and w.grad.dtype == cr.float64
    assert x.grad.tolist() == tx.grad.tolist() and w.grad.tolist() == tw.grad.tolist()


def test_errors_before_writing_leave_the_tensor_unchanged() -> None:
    x = cr.tensor(XA, requires_grad=True)
    y = x * 1
    with pytest.raises(ValueError, match="add_: expected a value broadcastable to"):
        y.add_(cr.ones(4, 2, 3, requires_grad=True))
    n = cr.tensor([1, 2])
    with pytest.raises(RuntimeError, match="can't be cast"):
        n.mul_(cr.tensor([0.5, 0.5], requires_grad=True))
    assert n.tolist() == [1, 2] and y.grad_fn.name == "Mul"


def test_random_fills_and_shape_changes_in_the_graph() -> None:
    x, tx = _both(XA)
    for a in (x, tx):
        y = a * 2
        y.normal_()
        y.uniform_()
        y.sum().backward()
    assert x.grad.tolist() == tx.grad.tolist() == np.zeros((2, 3)).tolist()
    x, tx = _both(XA)
    for a in (x, tx):
        y = a * 2
        y.unsqueeze_(0)
        assert tuple(y.shape) == (1, 2, 3)
        (y * 3).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), tx.grad.numpy())


def test_compile_falls_back_for_a_graph_in_place_op() -> None:
    def run(compiled: bool) -> list[float]:
        cr.manual_seed(0)
        lin = cr.nn.Linear(3, 2)
        opt = cr.optim.SGD(lin.parameters(), lr=0.1)

        def step(x: Any) -> Any:
            opt.zero_grad()
            h = lin(x)
            h.tanh_()
            loss = h.sum()
            loss.backward()
            opt.step()
            return loss
        fn = cr.compile(step) if compiled else step
        return [fn(cr.tensor(XA, dtype=cr.float32)).item() for _ in range(4)]
    assert run(True) == run(False)


def test_mul_by_a_constant_then_setitem_like_torch() -> None:
    """PyTorch's y[0] * 3 saves nothing of y[0], so writing y[0] afterwards is legal: chainrule's
    Mul checks only the operands a needed gradient reads (it used to raise here)."""
    grads = []
    for lib, x in zip((cr, torch), _both(XA)):
        y = x * 2
        y[0] = y[0] * 3
        (y * _pick(lib, (cr.tensor(CA), torch.tensor(CA)))).sum().backward()
        grads.append(np.asarray(x.grad.detach().numpy()))
    np.testing.assert_allclose(grads[0], grads[1], rtol=1e-12)


@pytest.mark.parametrize("layer", ["BatchNorm1d", "LayerNorm", "ELU", "pow"])
def test_residual_add_after_a_layer_that_saves_its_output_here_but_not_in_torch(layer: str) -> None:
    """ResNet's ``out = bn(x); out += identity``: PyTorch's BatchNorm saves its input, chainrule's
    fused one its output, which keeps a private copy so the in-place add stays legal."""
    x, tx = _both(WA)
    for lib, a in ((cr, x), (torch, tx)):
        f = (getattr(lib.nn, layer)(3).double() if "Norm" in layer else lib.nn.ELU()
             if layer == "ELU" else (lambda t: t ** 3))
        out = f(a * 2)
        out += a
        (out * lib.tensor(CA)).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), rtol=1e-10, atol=1e-12)


def test_retain_grad_follows_the_latest_version_and_hooks_stay_with_the_old_one() -> None:
    x, tx = _both(XA)
    got = []
    for a in (x, tx):
        y = a * 2
        y.retain_grad()
        y.register_hook(lambda g: got.append(np.array(g.detach().numpy())))
        y.mul_(3)
        (y * y).sum().backward()
        got.append(y.grad.numpy().copy())
    np.testing.assert_allclose(got[0], got[2], rtol=1e-12)  # hook: gradient of the old y
    np.testing.assert_allclose(got[1], got[3], rtol=1e-12)  # .grad: gradient of the new y


@pytest.mark.parametrize("name,args", [("elu", ()), ("leaky_relu", (0.1,)), ("hardtanh", ()),
                                       ("celu", ()), ("selu", ())])
def test_apply_inplace_writes_a_function_result_as_torch_in_place_variants(name: str,
                                                                           args: Any) -> None:
    """``Tensor._apply_inplace`` is what ``F.elu_`` and friends need (copy_(F.elu(x)) changes
    the input ELU saved, so backward raises where torch's elu_ does not)."""
    x, tx = _both(WA)
    y, ty = x * 2, tx * 2
    r = y._apply_inplace(f"{name}_", getattr(cr.nn.functional, name), *args)
    tr = getattr(torch.nn.functional, f"{name}_")(ty, *args)
    assert r is y and tr is ty
    (r * r).sum().backward(), (tr * tr).sum().backward()
    np.testing.assert_allclose(y.detach().numpy(), ty.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), rtol=1e-12)
