"""chainrule.compile: captured steps give eager's numbers bitwise, re-capture, fall back."""
from __future__ import annotations

import warnings

import numpy as np
import pytest

import chainrule as cr

OPTIMIZERS = {
    "sgd": lambda p: cr.optim.SGD(p, lr=0.05),
    "sgd_momentum": lambda p: cr.optim.SGD(p, lr=0.05, momentum=0.9),
    "sgd_nesterov_wd": lambda p: cr.optim.SGD(p, lr=0.05, momentum=0.9, nesterov=True,
                                              weight_decay=1e-3),
    "sgd_dampening": lambda p: cr.optim.SGD(p, lr=0.05, momentum=0.5, dampening=0.3),
    "adam": lambda p: cr.optim.Adam(p, lr=1e-2),
    "adam_wd": lambda p: cr.optim.Adam(p, lr=1e-2, weight_decay=1e-2),
    "adamw": lambda p: cr.optim.AdamW(p, lr=1e-2, weight_decay=0.1),
    "rmsprop": lambda p: cr.optim.RMSprop(p, lr=1e-3),  # not flat: replayed through step()
}


def _model(seed: int = 0, act: type = cr.nn.ReLU) -> cr.nn.Module:
    cr.manual_seed(seed)
    return cr.nn.Sequential(cr.nn.Linear(12, 16), act(), cr.nn.Linear(16, 8), act(),
                            cr.nn.Linear(8, 4))


def _batches(n: int, sizes: tuple[int, ...] = (10, 10, 10, 7)) -> list[tuple[cr.Tensor, ...]]:
    rng = np.random.default_rng(1)
    out = []
    for i in range(n):
        m = sizes[i % len(sizes)]
        out.append((cr.tensor(rng.standard_normal((m, 12)).astype(np.float32)),
                    cr.tensor(rng.integers(0, 4, m))))
    return out


def _train(make_opt, captured: bool | str, n: int = 24, act: type = cr.nn.ReLU,
           loss_fn=None):
    model = _model(act=act)
    opt = make_opt(model.parameters())
    loss_fn = loss_fn or cr.nn.CrossEntropyLoss()

    def step(x, y):
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        return loss

    run = cr.compile(step) if captured else step
    losses, flags = [], []
    reasons = set()
    for i, (x, y) in enumerate(_batches(n)):
        if captured == "switch":  # alternate captured / eager every 5 steps
            fn = run if (i // 5) % 2 == 0 else step
        else:
            fn = run
        losses.append(fn(x, y).item())
        flags.append(getattr(run, "captured", False))
        reasons.add(getattr(run, "fallback_reason", None))
    _train.reasons = reasons  # type: ignore[attr-defined]
    return model, opt, losses, flags


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_bitwise_parity_with_eager(name):
    m1, o1, l1, _ = _train(OPTIMIZERS[name], False)
    m2, o2, l2, flags = _train(OPTIMIZERS[name], True)
    assert l1 == l2
    for p, q in zip(m1.parameters(), m2.parameters()):
        assert np.array_equal(p.numpy(force=True), q.numpy(force=True))
        assert np.array_equal(p.grad.numpy(), q.grad.numpy())
    s1, s2 = o1.state_dict(), o2.state_dict()
    for k in s1["state"]:
        for key, v in s1["state"][k].items():
            w = s2["state"][k][key]
            assert np.array_equal(np.asarray(v), np.asarray(w)), (k, key)
    assert sum(flags) >= 16, _train.reasons  # replayed after two recordings per batch shape


@pytest.mark.parametrize("act", [cr.nn.Tanh, cr.nn.Sigmoid])
def test_other_activations_and_mse(act):
    def mse(out, y):
        return cr.nn.functional.mse_loss(out, cr.nn.functional.one_hot(y, 4).float())
    _, _, l1, _ = _train(OPTIMIZERS["adam"], False, act=act, loss_fn=mse)
    _, _, l2, flags = _train(OPTIMIZERS["adam"], True, act=act, loss_fn=mse)
    assert l1 == l2


def test_switching_eager_and_captured_mid_run():
    for name in ("sgd_momentum", "adam"):
        m1, _, l1, _ = _train(OPTIMIZERS[name], False, n=30)
        m2, _, l2, flags = _train(OPTIMIZERS[name], "switch", n=30)
        assert l1 == l2
        assert any(flags)
        for p, q in zip(m1.parameters(), m2.parameters()):
            assert np.array_equal(p.numpy(force=True), q.numpy(force=True))


def test_recapture_on_last_smaller_batch_and_mode_change():
    model, opt, _, _ = _train(OPTIMIZERS["sgd_momentum"], True, n=4)
    loss_fn = cr.nn.CrossEntropyLoss()

    def step(x, y):
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        return loss
    run = cr.compile(step)
    batches = _batches(12, sizes=(10, 10, 3))
    seen = []
    for x, y in batches:
        run(x, y)
        seen.append(run.captured)
    # each shape is recorded twice, then replayed: 10 at calls 1, 2; 3 at calls 3, 6
    assert seen == [False, False, False, True, True, False, True, True, True, True, True, True]
    model.eval()
    x, y = batches[0]
    run(x, y)
    assert not run.captured  # eval mode: recorded again
    model.train()
    run(x, y)
    assert run.captured


def test_structure_change_recaptures():
    model, opt, _, _ = _train(OPTIMIZERS["sgd"], False, n=1)
    loss_fn = cr.nn.CrossEntropyLoss()

    def step(x, y):
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        return loss
    run = cr.compile(step)
    x, y = _batches(1)[0]
    for _ in range(3):
        run(x, y)
    assert run.captured
    model[4] = cr.nn.Linear(8, 4)
    opt.add_param_group({"params": list(model[4].parameters())})
    run(x, y)
    assert not run.captured and run.fallback_reason is None


def test_state_dict_round_trip_and_params_stay_views():
    model, opt, _, flags = _train(OPTIMIZERS["adam"], True, n=12)
    assert flags[-1]
    sd = {k: v.clone() for k, v in model.state_dict().items()}
    osd = opt.state_dict()
    m2, o2, _, _ = _train(OPTIMIZERS["adam"], False, n=1)
    m2.load_state_dict(sd)
    o2.load_state_dict(osd)
    x, y = _batches(1)[0]
    for m, o in ((model, opt), (m2, o2)):
        o.zero_grad()
        cr.nn.functional.cross_entropy(m(x), y).backward()
        o.step()
    for p, q in zip(model.parameters(), m2.parameters()):
        assert np.array_equal(p.numpy(force=True), q.numpy(force=True))
    flat = opt._flat_groups[0]
    assert all(np.shares_memory(p.numpy(force=True), flat.data) for p in model.parameters())


@pytest.mark.parametrize("case", ["item_branch", "dropout", "hook", "clip", "inplace",
                                  "no_zero_grad", "two_backward", "closure", "print"])
def test_fallback_cases_match_eager(case):
    def make():
        cr.manual_seed(0)
        layers = [cr.nn.Linear(12, 16), cr.nn.ReLU()]
        if case == "dropout":
            layers.append(cr.nn.Dropout(0.3))
        model = cr.nn.Sequential(*layers, cr.nn.Linear(16, 4))
        if case == "hook":
            model[0].weight.register_hook(lambda g: g * 2)
        return model, cr.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)

    def steps(model, opt):
        def step(x, y):
            if case != "no_zero_grad":
                opt.zero_grad()
            loss = cr.nn.functional.cross_entropy(model(x), y)
            if case == "item_branch" and loss.item() > 100:
                loss = loss * 0.5
            if case == "print":
                f"{loss}"
            loss.backward()
            if case == "two_backward":
                cr.nn.functional.cross_entropy(model(x), y).backward()
            if case == "clip":
                cr.nn.utils.clip_grad_norm_(model.parameters(), 0.1)
            if case == "inplace":
                with cr.no_grad():
                    model[0].bias.mul_(1.0)
            if case == "closure":
                opt.step(lambda: None)
            else:
                opt.step()
            return loss
        return step

    results = []
    for captured in (False, True):
        model, opt = make()
        step = steps(model, opt)
        run = cr.compile(step) if captured else step
        cr.manual_seed(5)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            losses = [run(x, y).item() for x, y in _batches(8)]
        results.append((losses, [p.numpy(force=True).copy() for p in model.parameters()]))
        if captured:
            assert not run.captured and run.fallback_reason
    assert results[0][0] == results[1][0]
    for p, q in zip(results[0][1], results[1][1]):
        assert np.array_equal(p, q)


def test_fullgraph_raises_with_the_reason():
    model = _model()
    opt = cr.optim.SGD(model.parameters(), lr=0.1)

    def step(x, y):
        opt.zero_grad()
        loss = cr.nn.functional.cross_entropy(model(x), y)
        if loss.item() > 0:
            loss.backward()
        opt.step()
    run = cr.compile(step, fullgraph=True)
    x, y = _batches(1)[0]
    with pytest.raises(RuntimeError, match="reads a value"):
        run(x, y)


def test_returns_item_and_outputs_and_bad_labels_raise():
    model = _model()
    opt = cr.optim.SGD(model.parameters(), lr=0.1)

    def step(x, y):
        opt.zero_grad()
        out = model(x)
        loss = cr.nn.functional.cross_entropy(out, y)
        loss.backward()
        opt.step()
        return loss.item(), out
    run = cr.compile(step)
    x, y = _batches(1)[0]
    for _ in range(3):
        value, out = run(x, y)
    assert run.captured and isinstance(value, float) and out.shape == (10, 4)
    assert not out.requires_grad
    bad = cr.tensor(np.full(10, 7))
    with pytest.raises(IndexError, match="class indices"):
        run(x, bad)
    bad = cr.tensor(np.full(10, -1))
    with pytest.raises(IndexError, match="class indices"):
        run(x, bad)


def test_inputs_made_outside_the_ops_fall_back():  # `out > 0.3` is computed by NumPy
    model = _model()
    opt = cr.optim.SGD(model.parameters(), lr=0.05)

    def step(x, y):
        opt.zero_grad()
        out = model(x)
        loss = cr.nn.functional.cross_entropy(out, y) + out[out > 0.3].sum() * 0.01
        loss.backward()
        opt.step()
        return loss

    m2 = _model()
    o2 = cr.optim.SGD(m2.parameters(), lr=0.05)

    def eager(x, y):
        o2.zero_grad()
        out = m2(x)
        loss = cr.nn.functional.cross_entropy(out, y) + out[out > 0.3].sum() * 0.01
        loss.backward()
        o2.step()
        return loss
    run = cr.compile(step)
    x, y = _batches(1)[0]
    flags = []
    for i in range(8):
        xi = x * (1.0, 1.0, 1.0, 1.5, 1.0, 2.0, 1.0, 3.0)[i]  # selected entries change
        assert run(xi, y).item() == eager(xi, y).item()
        flags.append((run.captured, run.fallback_reason or ""))
    assert not any(c for c, _ in flags)
    assert "made outside chainrule's ops" in flags[-1][1]
    for p, q in zip(model.parameters(), m2.parameters()):
        assert np.array_equal(p.numpy(force=True), q.numpy(force=True))


def test_forward_only_function_is_captured_too():
    model = _model()
    model.eval()

    @cr.compile
    def predict(x):
        with cr.no_grad():
            return cr.softmax(model(x), dim=1)
    x, _ = _batches(1)[0]
    outs = [predict(x) for _ in range(3)]
    assert predict.captured
    with cr.no_grad():
        ref = cr.softmax(model(x), dim=1)
    assert all(np.array_equal(o.numpy(), ref.numpy()) for o in outs)
    outs[2].numpy()[...] = 0  # a returned tensor is a copy: the next call is unaffected
    assert np.array_equal(predict(x).numpy(), ref.numpy())
