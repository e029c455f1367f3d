"""Sequential, ModuleList, ModuleDict: indexing, slicing, mutation, registration, repr."""
from collections import OrderedDict

import pytest

import chainrule as cr
from chainrule import nn


def test_sequential_indexing_slicing_len_iteration():
    layers = [nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1)]
    model = nn.Sequential(*layers)
    assert len(model) == 3 and list(model) == layers
    assert model[0] is layers[0] and model[-1] is layers[2]
    head = model[:2]
    assert isinstance(head, nn.Sequential) and list(head) == layers[:2]
    assert head(cr.zeros(4, 2)).shape == (4, 3)
    with pytest.raises(IndexError, match=r"Sequential: expected an index in \[-3, 3\), got 3"):
        model[3]
    with pytest.raises(TypeError, match="expected an int index or a slice"):
        model["0"]


def test_sequential_from_ordered_dict_keeps_names():
    model = nn.Sequential(OrderedDict([("fc", nn.Linear(2, 2)), ("act", nn.Tanh())]))
    assert list(model.state_dict()) == ["fc.weight", "fc.bias"]
    assert isinstance(model.act, nn.Tanh) and isinstance(model[1], nn.Tanh)
    assert list(model[1:]._modules) == ["act"]


def test_sequential_append_insert_delete_renumber():
    model = nn.Sequential(nn.Linear(1, 2))
    assert model.append(nn.ReLU()) is model
    model.extend([nn.Linear(2, 1)])
    assert list(model._modules) == ["0", "1", "2"]
    model.insert(1, nn.Dropout(0.1))
    assert [type(m).__name__ for m in model] == ["Linear", "Dropout", "ReLU", "Linear"]
    del model[1]
    assert list(model._modules) == ["0", "1", "2"] and isinstance(model[1], nn.ReLU)
    popped = model.pop(1)
    assert isinstance(popped, nn.ReLU) and len(model) == 2
    model[1] = nn.Linear(2, 3)
    assert model(cr.zeros(1, 1)).shape == (1, 3)
    assert len(list(model.parameters())) == 4
    with pytest.raises(TypeError, match=r"Sequential.append: expected a Module, got function"):
        model.append(lambda x: x)
    with pytest.raises(TypeError, match="Sequential: expected a Module, got int"):
        nn.Sequential(nn.ReLU(), 3)


def test_module_list_registers_and_mutates():
    layers = nn.ModuleList([nn.Linear(2, 2), nn.Linear(2, 2)])
    layers.append(nn.Linear(2, 1))
    layers += [nn.Sigmoid()]
    assert len(layers) == 4 and len(list(layers.parameters())) == 6
    assert isinstance(layers[1:3], nn.ModuleList) and len(layers[1:3]) == 2
    layers.insert(0, nn.Identity())
    assert isinstance(layers[0], nn.Identity) and list(layers._modules)[-1] == "4"
    del layers[0]
    assert isinstance(layers[0], nn.Linear)
    x = cr.zeros(3, 2)
    for layer in layers:
        x = layer(x)
    assert x.shape == (3, 1)
    with pytest.raises(NotImplementedError, match="ModuleList"):
        layers(x)
    assert len(layers + nn.ModuleList([nn.ReLU()])) == 5


def test_module_dict():
    d = nn.ModuleDict({"a": nn.Linear(1, 2)})
    d["b"] = nn.ReLU()
    d.update([("c", nn.Tanh())])
    assert list(d) == ["a", "b", "c"] and "b" in d and len(d) == 3
    assert list(d.keys()) == ["a", "b", "c"] and isinstance(d["c"], nn.Tanh)
    assert [k for k, _ in d.items()] == ["a", "b", "c"] and len(list(d.values())) == 3
    assert isinstance(d.pop("b"), nn.ReLU) and "b" not in d
    assert list(d.state_dict()) == ["a.weight", "a.bias"]
    with pytest.raises(KeyError, match=r"expected one of the keys \['a', 'c'\], got 'z'"):
        d["z"]
    d.clear()
    assert len(d) == 0 and list(d.parameters()) == []


def test_container_reprs_match_torch():
    torch = pytest.importorskip("torch")
    tn = torch.nn
    t = tn.ModuleList([tn.Linear(2, 2) for _ in range(3)] + [tn.ReLU(), tn.ReLU(), tn.Tanh()])
    c = nn.ModuleList([nn.Linear(2, 2) for _ in range(3)] + [nn.ReLU(), nn.ReLU(), nn.Tanh()])
    assert repr(c) == repr(t)
    assert repr(nn.ModuleList()) == repr(tn.ModuleList())
    assert repr(nn.Sequential()) == repr(tn.Sequential())
    nested_t = tn.ModuleList([tn.Sequential(tn.Linear(1, 1), tn.ReLU())] * 2)
    nested_c = nn.ModuleList([nn.Sequential(nn.Linear(1, 1), nn.ReLU())] * 2)
    assert repr(nested_c) == repr(nested_t)
