"""The Optimizer base: groups, validation, zero_grad, closures and state_dict."""
from __future__ import annotations

import copy
import json

import numpy as np
import pytest

import chainrule as cr
from chainrule.optim.optimizer import Optimizer, required


def _params(n: int = 3) -> list[cr.nn.Parameter]:
    return [cr.nn.Parameter(np.full(2, float(i + 1))) for i in range(n)]


def _trained_adam(steps: int = 3) -> tuple[list[cr.nn.Parameter], cr.optim.Adam]:
    ps = _params()
    opt = cr.optim.Adam([{"params": ps[:1]}, {"params": ps[1:], "lr": 0.1}], lr=0.01)
    for _ in range(steps):
        opt.zero_grad()
        sum((p * p).sum() for p in ps).backward()
        opt.step()
    return ps, opt


def test_empty_parameter_list_is_refused() -> None:
    with pytest.raises(ValueError, match="optimizer got an empty parameter list"):
        cr.optim.SGD([], lr=0.1)


@pytest.mark.parametrize("params, error, match", [
    (cr.nn.Parameter(cr.zeros(2)), TypeError, "expected params as an iterable of Tensors"),
    ([np.zeros(2)], TypeError, "expected Tensors as parameters, got ndarray at index 0"),
    ([cr.tensor([1, 2])], TypeError, "expected floating point parameters, got dtype int64"),
    ({cr.nn.Parameter(cr.zeros(2))}, TypeError, "ordered collection"),
])
def test_bad_params_are_refused(params: object, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        cr.optim.SGD(params, lr=0.1)  # type: ignore[arg-type]


def test_non_leaf_tensor_is_refused() -> None:
    w = cr.nn.Parameter(cr.zeros(2))
    with pytest.raises(ValueError, match="can't optimize a non-leaf Tensor"):
        cr.optim.SGD([w * 2], lr=0.1)


def test_a_parameter_in_two_groups_is_refused_and_nothing_changes() -> None:
    a, b = _params(2)
    with pytest.raises(ValueError, match="some parameters appear in more than one parameter"):
        cr.optim.SGD([{"params": [a]}, {"params": [a, b]}], lr=0.1)
    opt = cr.optim.SGD([a], lr=0.1)
    with pytest.raises(ValueError, match="some parameters appear in more than one"):
        opt.add_param_group({"params": [b, a]})
    with pytest.raises(ValueError, match="same parameter twice"):
        opt.add_param_group({"params": [b, b]})
    assert len(opt.param_groups) == 1 and opt.param_groups[0]["params"] == [a]


def test_groups_take_defaults_and_are_validated() -> None:
    a, b, c = _params()
    opt = cr.optim.SGD([{"params": [a]}, {"params": [b], "lr": 0.5}], lr=0.1, momentum=0.9)
    assert [g["lr"] for g in opt.param_groups] == [0.1, 0.5]
    assert opt.param_groups[1]["momentum"] == 0.9
    with pytest.raises(ValueError, match="Invalid learning rate: -1"):
        opt.add_param_group({"params": [c], "lr": -1})
    assert len(opt.param_groups) == 2
    opt.add_param_group({"params": c, "momentum": 0.0})  # a single tensor is accepted
    assert opt.param_groups[2]["params"] == [c] and opt.param_groups[2]["lr"] == 0.1


def test_required_hyperparameter() -> None:
    class Plain(Optimizer):
        def __init__(self, params: list) -> None:
            super().__init__(params, dict(lr=required))

    with pytest.raises(ValueError, match="didn't specify a value of required optimization "
                                         "parameter lr"):
        Plain(_params(1))
    assert Plain([{"params": _params(1), "lr": 0.3}]).param_groups[0]["lr"] == 0.3


def test_zero_grad_sets_none_or_zeros() -> None:
    w = cr.nn.Parameter(cr.ones(2))
    opt = cr.optim.SGD([w], lr=0.1)
    (w * 3).sum().backward()
    opt.zero_grad(set_to_none=False)
    assert w.grad is not None and w.grad.tolist() == [0.0, 0.0]
    opt.zero_grad()
    assert w.grad is None


def test_step_runs_the_closure_with_grad_enabled_and_returns_its_loss() -> None:
    w = cr.nn.Parameter(cr.ones(2))
    opt = cr.optim.SGD([w], lr=0.5)

    def closure() -> cr.Tensor:
        opt.zero_grad()
        loss = (w * w).sum()
        loss.backward()
        return loss

    with cr.no_grad():
        loss = opt.step(closure)
    assert loss.item() == 2.0 and w.tolist() == [0.0, 0.0]


def test_step_counts_as_an_in_place_change_for_saved_tensors() -> None:
    w = cr.nn.Parameter(cr.ones(2))
    opt = cr.optim.SGD([w], lr=0.5)
    loss = (w * w).sum()
    loss.backward(retain_graph=True)
    opt.step()
    with pytest.raises(RuntimeError, match="modified by an in-place operation"):
        loss.backward()


def test_state_dict_layout_matches_torch() -> None:
    ps, opt = _trained_adam()
    sd = opt.state_dict()
    assert [g["params"] for g in sd["param_groups"]] == [[0], [1, 2]]
    assert [g["lr"] for g in sd["param_groups"]] == [0.01, 0.1]
    assert sorted(sd["state"]) == [0, 1, 2]
    assert set(sd["state"][1]) == {"step", "exp_avg", "exp_avg_sq"}
    assert sd["state"][1]["step"] == 3 and isinstance(sd["state"][1]["exp_avg"], cr.Tensor)


def test_state_dict_is_a_snapshot() -> None:
    ps, opt = _trained_adam()
    sd = opt.state_dict()
    before = sd["state"][0]["exp_avg"]._data.copy()
    opt.step()
    np.testing.assert_array_equal(sd["state"][0]["exp_avg"]._data, before)


def test_load_state_dict_copies_and_casts_to_the_parameter_dtype() -> None:
    ps, opt = _trained_adam()
    sd = opt.state_dict()
    ps32 = [cr.nn.Parameter(p._data.astype(np.float32)) for p in ps]
    opt32 = cr.optim.Adam([{"params": ps32[:1]}, {"params": ps32[1:]}])
    opt32.load_state_dict(sd)
    assert opt32.state[ps32[0]]["exp_avg"].dtype == np.float32
    assert opt32.param_groups[1]["lr"] == 0.1 and opt32.param_groups[1]["params"] == ps32[1:]
    sd["state"][0]["exp_avg"]._data[...] = 123.0
    assert not np.any(opt32.state[ps32[0]]["exp_avg"]._data == 123.0)


@pytest.mark.parametrize("change, match", [
    (lambda sd: sd["param_groups"].pop(), "different number of parameter groups"),
    (lambda sd: sd["param_groups"][1]["params"].pop(), "doesn't match the size"),
    (lambda sd: sd["state"][0].update(exp_avg=cr.zeros(3)), "expected state 'exp_avg' of "
                                                            r"parameter 0 with shape \(2,\)"),
    (lambda sd: sd["state"].update({7: {}}), "expected state keys among the parameter"),
    (lambda sd: sd.pop("state"), "expected a dict with 'state' and 'param_groups'"),
])
def test_load_state_dict_errors_leave_the_optimizer_unchanged(change: object,
                                                             match: str) -> None:
    ps, opt = _trained_adam()
    sd = opt.state_dict()
    bad = copy.deepcopy(sd)
    change(bad)  # type: ignore[operator]
    fresh = cr.optim.Adam([{"params": ps[:1]}, {"params": ps[1:]}], lr=0.5)
    with pytest.raises(ValueError, match=match):
        fresh.load_state_dict(bad)
    assert len(fresh.state) == 0 and [g["lr"] for g in fresh.param_groups] == [0.5, 0.5]


def test_state_dict_survives_a_json_round_trip() -> None:
    """Plain numbers and lists after tensors become lists: the layout is JSON-able."""
    ps, opt = _trained_adam()
    sd = opt.state_dict()
    text = json.dumps({"state": {i: {k: (v.tolist() if isinstance(v, cr.Tensor) else v)
                                     for k, v in s.items()} for i, s in sd["state"].items()},
                       "param_groups": sd["param_groups"]})
    loaded = json.loads(text)
    loaded["state"] = {i: {k: (cr.tensor(v, dtype=cr.float64) if isinstance(v, list) else v)
                           for k, v in s.items()} for i, s in loaded["state"].items()}
    loaded["param_groups"] = [{**g, "betas": tuple(g["betas"])} for g in loaded["param_groups"]]
    twin = [cr.nn.Parameter(p._data.copy()) for p in ps]
    opt2 = cr.optim.Adam([{"params": twin[:1]}, {"params": twin[1:]}])
    opt2.load_state_dict(loaded)  # keys "0", "1", "2" are accepted
    for o, q in ((opt, ps), (opt2, twin)):
        o.zero_grad()
        sum((p * p).sum() for p in q).backward()
        o.step()
    for p, q in zip(ps, twin):
        np.testing.assert_array_equal(p._data, q._data)


def test_repr_lists_the_groups() -> None:
    text = repr(cr.optim.SGD(_params(1), lr=0.1))
    assert text.startswith("SGD (") and "Parameter Group 0" in text and "lr: 0.1" in text
