"""state_dict / load_state_dict: keys, shared memory, round trip mid-training, one error
listing every problem, nothing changed on failure, strict=False, in-place copies."""
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


# ---- state_dict -------------------------------------------------------------------------------
def test_state_dict_keys_share_memory_and_skip_non_persistent():
    net = Net()
    sd = net.state_dict()
    assert list(sd) == ["steps", "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"]
    assert not sd["fc1.weight"].requires_grad
    assert np.shares_memory(sd["fc1.weight"]._data, net.fc1.weight._data)
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
        assert ka == kb and np.array_equal(va._data, vb._data)


def test_load_copies_in_place_never_rebinds():
    layer = nn.Linear(2, 2)
    before = layer.weight._data
    view = layer.weight._data.reshape(-1)  # e.g. an optimizer's view of the parameter
    layer.load_state_dict({"weight": cr.ones(2, 2), "bias": np.zeros(2)})
    assert layer.weight._data is before
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
        assert np.array_equal(v._data, before[k]._data)


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
    np.testing.assert_allclose(cm(cr.tensor(x))._data, tm(torch.tensor(x)).detach().numpy(),
                               rtol=1e-5, atol=1e-6)
