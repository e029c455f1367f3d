"""ParameterList / ParameterDict: registration, names, conversion, as torch."""
from __future__ import annotations

import pytest

import chainrule as cr
import chainrule.nn as nn

torch = pytest.importorskip("torch")


def test_parameter_list_registers_in_order_like_torch() -> None:
    class Net(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.ws = nn.ParameterList([nn.Parameter(cr.zeros(2, 3)), cr.ones(3)])
            self.ws.append(nn.Parameter(cr.zeros(1)))

    net = Net()
    assert [n for n, _ in net.named_parameters()] == ["ws.0", "ws.1", "ws.2"]
    assert isinstance(net.ws[1], nn.Parameter) and net.ws[1].requires_grad
    assert len(net.ws) == 3 and [tuple(p.shape) for p in net.ws] == [(2, 3), (3,), (1,)]
    assert list(net.state_dict()) == ["ws.0", "ws.1", "ws.2"]
    net.ws[0] = nn.Parameter(cr.ones(4))
    assert tuple(net.ws[-3].shape) == (4,)
    tl = torch.nn.ParameterList([torch.nn.Parameter(torch.zeros(2)),
                                 torch.nn.Parameter(torch.zeros(2, 3))])
    ours = nn.ParameterList([nn.Parameter(cr.zeros(2)), nn.Parameter(cr.zeros(2, 3))])
    assert repr(ours) == repr(tl).replace("torch.", "chainrule.")
    with pytest.raises(IndexError):
        ours[2]


def test_parameter_dict_like_torch() -> None:
    pd = nn.ParameterDict({"b": nn.Parameter(cr.zeros(1)), "a": cr.ones(2)})
    pd["c"] = nn.Parameter(cr.zeros(3))
    assert list(pd.keys()) == ["b", "a", "c"] and "a" in pd and len(pd) == 3
    assert [n for n, _ in pd.named_parameters()] == ["b", "a", "c"]
    assert isinstance(pd["a"], nn.Parameter)
    assert tuple(pd.pop("b").shape) == (1,) and list(pd) == ["a", "c"]
    assert [n for n, _ in pd.named_parameters()] == ["a", "c"]
    with pytest.raises(KeyError):
        pd["zz"]
    opt = cr.optim.SGD(pd.parameters(), lr=0.1)
    assert len(opt.param_groups[0]["params"]) == 2


def test_parameter_dict_repr_like_torch() -> None:
    ours = nn.ParameterDict({"bias": nn.Parameter(cr.zeros(3))})
    theirs = torch.nn.ParameterDict({"bias": torch.nn.Parameter(torch.zeros(3))})
    assert repr(ours).replace("chainrule", "torch") == repr(theirs)
    ours["w"] = nn.Parameter(cr.zeros(2, 2, dtype=cr.float64))
    theirs["w"] = torch.nn.Parameter(torch.zeros(2, 2, dtype=torch.float64))
    assert repr(ours).replace("chainrule", "torch") == repr(theirs)
