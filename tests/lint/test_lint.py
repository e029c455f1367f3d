"""Every lint fires on its mistake, names the fix and the user's line, and stays quiet on the
correct loop; once per place; silenced by filters and set_lint(False)."""
from __future__ import annotations

import inspect
import warnings
from contextlib import contextmanager
from typing import Any, Iterator

import numpy as np
import pytest

import chainrule as cr
from chainrule import nn


@contextmanager
def lints() -> Iterator[list[warnings.WarningMessage]]:
    """Record LintWarnings (each place once, the default action); fail on any other warning."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("default")
        out: list[warnings.WarningMessage] = []
        yield out
    out.extend(w for w in caught if issubclass(w.category, cr.LintWarning))


def _line() -> int:
    frame = inspect.currentframe()
    assert frame is not None and frame.f_back is not None
    return frame.f_back.f_lineno


def one(caught: list[warnings.WarningMessage], *words: str) -> str:
    assert len(caught) == 1, [str(w.message) for w in caught]
    w = caught[0]
    assert w.filename == __file__  # the user's line, not a library frame
    msg = str(w.message)
    for word in words:
        assert word in msg, (word, msg)
    return msg


def mlp(dropout: float = 0.0, norm: bool = False, out: int = 3) -> nn.Module:
    cr.manual_seed(0)
    layers: list[nn.Module] = [nn.Linear(4, 8)]
    if norm:
        layers.append(nn.BatchNorm1d(8))
    layers.append(nn.ReLU())
    if dropout:
        layers.append(nn.Dropout(dropout))
    layers.append(nn.Linear(8, out))
    return nn.Sequential(*layers)


X = cr.randn(32, 4)
Y = cr.randint(0, 3, (32,))


def correct_step(model: nn.Module, opt: Any, loss_fn: Any, x: Any = X, y: Any = Y) -> Any:
    model.train()
    opt.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    opt.step()
    return loss


# ---- what feeds the loss -----------------------------------------------------------------
@pytest.mark.parametrize("layer", [nn.Softmax(dim=1), nn.LogSoftmax(dim=1)])
def test_probabilities_into_cross_entropy(layer: nn.Module) -> None:
    model = nn.Sequential(mlp(), layer)
    with lints() as caught:
        line = _line() + 1
        nn.CrossEntropyLoss()(model(X), Y)
    msg = one(caught, "CrossEntropyLoss", type(layer).__name__, "logits", "fix: remove")
    assert caught[0].lineno == line
    assert msg


def test_sigmoid_into_bce_with_logits_and_logits_into_bce_and_nll() -> None:
    y = cr.randint(0, 2, (32, 1)).float()
    with lints() as caught:
        nn.BCEWithLogitsLoss()(mlp(out=1)(X).sigmoid(), y)
    one(caught, "BCEWithLogitsLoss", "Sigmoid", "fix: remove the Sigmoid")
    lin = nn.Linear(4, 1)
    nn.init.zeros_(lin.weight)
    nn.init.constant_(lin.bias, 0.5)  # raw scores that happen to lie in [0, 1]
    with lints() as caught:
        nn.BCELoss()(lin(X), y)
    one(caught, "BCELoss got raw scores", "fix: add Sigmoid", "BCEWithLogitsLoss")
    with lints() as caught:
        nn.NLLLoss()(mlp()(X), Y)
    one(caught, "NLLLoss got raw scores", "fix: add LogSoftmax", "CrossEntropyLoss")


def test_float_and_n_by_1_class_targets_raise_naming_the_fix() -> None:
    out = mlp()(X)
    with pytest.raises(TypeError, match=r"use target\.long\(\)"):
        nn.CrossEntropyLoss()(out, Y.float())
    with pytest.raises(ValueError, match=r"\(N, 1\)\? use target\.view\(-1\)"):
        nn.CrossEntropyLoss()(out, Y.view(-1, 1))
    with pytest.raises(ValueError, match=r"use target\.view\(-1\)\.long\(\)"):
        nn.CrossEntropyLoss()(out, Y.view(-1, 1).float())


def test_float64_input_into_float32_model() -> None:
    model, loss_fn = mlp(), nn.CrossEntropyLoss()
    with lints() as caught:
        loss_fn(model(cr.tensor(X.numpy().astype(np.float64))), Y)
    one(caught, "float64 input into a float32 model", "X.astype(np.float32)")
    with lints() as caught:  # a float64 model on float64 data is fine
        loss_fn(mlp().double()(cr.tensor(X.numpy().astype(np.float64))), Y)
    assert caught == []


# ---- the step ----------------------------------------------------------------------------
def test_gradients_never_zeroed_across_steps() -> None:
    model = mlp()
    opt = cr.optim.SGD(model.parameters(), lr=0.01)
    with lints() as caught:
        for _ in range(3):
            nn.CrossEntropyLoss()(model(X), Y).backward()
            line = _line() + 1
            opt.step()
    msg = one(caught, "never zeroed", "fix: call optimizer.zero_grad()", "filterwarnings")
    assert caught[0].lineno == line
    # accumulation on purpose (zero after each step) and model.zero_grad() are fine
    opt.zero_grad()
    with lints() as caught:
        for _ in range(3):
            for half in (slice(0, 16), slice(16, 32)):
                nn.CrossEntropyLoss()(model(X[half]), Y[half]).backward()
            opt.step()
            model.zero_grad()
        for _ in range(2):
            opt.zero_grad(set_to_none=False)
            nn.CrossEntropyLoss()(model(X), Y).backward()
            opt.step()
    assert caught == [], msg


def test_the_silencing_filter_named_in_the_message_works() -> None:
    model = mlp()
    opt = cr.optim.SGD(model.parameters(), lr=0.01)
    with lints() as caught:
        warnings.filterwarnings("ignore", message=".*never zeroed", category=cr.LintWarning)
        for _ in range(3):
            nn.CrossEntropyLoss()(model(X), Y).backward()
            opt.step()
    assert caught == []


def test_scheduler_step_before_optimizer_step() -> None:
    opt = cr.optim.SGD(mlp().parameters(), lr=0.1)
    sched = cr.optim.lr_scheduler.StepLR(opt, step_size=1)
    with lints() as caught:
        sched.step()
    one(caught, "before optimizer.step()", "fix: call optimizer.step() first")
    model = mlp()
    opt = cr.optim.SGD(model.parameters(), lr=0.1)
    sched = cr.optim.lr_scheduler.StepLR(opt, step_size=1)
    with lints() as caught:
        correct_step(model, opt, nn.CrossEntropyLoss())
        sched.step()
    assert caught == []


def test_parameters_outside_the_optimizer_and_never_reached() -> None:
    model = mlp()
    opt = cr.optim.SGD(list(model[0].parameters()), lr=0.1)  # forgot the last layer
    with lints() as caught:
        correct_step(model, opt, nn.CrossEntropyLoss())
    one(caught, "belong to no optimizer", "(3, 8)", "fix: build the optimizer from "
        "model.parameters()")

    class Unused(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.used, self.unused = nn.Linear(4, 3), nn.Linear(4, 3)

        def forward(self, x: Any) -> Any:
            return self.used(x)

    model2 = Unused()
    opt = cr.optim.SGD(model2.parameters(), lr=0.1)
    with lints() as caught:
        for _ in range(3):
            correct_step(model2, opt, nn.CrossEntropyLoss())
    one(caught, "never got a gradient", "not used in forward")
    model3 = mlp()
    model3[0].requires_grad_(False)
    opt = cr.optim.SGD(model3.parameters(), lr=0.1)
    with lints() as caught:
        for _ in range(3):
            correct_step(model3, opt, nn.CrossEntropyLoss())
    one(caught, "requires_grad=False", "frozen by mistake", "p.requires_grad]")


# ---- modes -------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["dropout", "norm"])
def test_training_mode_under_no_grad(kind: str) -> None:
    model = mlp(dropout=0.5) if kind == "dropout" else mlp(norm=True)
    with lints() as caught:
        with cr.no_grad():
            model(X)
    one(caught, "training mode under no_grad", "fix: call model.eval()")
    with lints() as caught:
        model.eval()
        with cr.no_grad():
            model(X)
        model.train()
    assert caught == []


@pytest.mark.parametrize("kind", ["dropout", "norm"])
def test_eval_mode_inside_a_training_step(kind: str) -> None:
    model = mlp(dropout=0.5) if kind == "dropout" else mlp(norm=True)
    opt = cr.optim.SGD(model.parameters(), lr=0.1)
    model.eval()
    with lints() as caught:
        opt.zero_grad()
        line = _line() + 1
        loss = nn.CrossEntropyLoss()(model(X), Y)
        loss.backward()
        opt.step()
    msg = one(caught, "eval mode inside a training step", "fix: call model.train()")
    assert f"test_lint.py:{line}" in msg  # the forward's line
    model.train()
    with lints() as caught:  # validation with grad in eval mode, then model.train(): fine
        model.eval()
        nn.CrossEntropyLoss()(model(X), Y)
        for _ in range(2):
            correct_step(model, opt, nn.CrossEntropyLoss())
    assert caught == []


# ---- fit's loss curve ----------------------------------------------------------------------
def test_rising_loss_in_fit() -> None:
    rng = np.random.default_rng(0)
    x = rng.standard_normal((64, 4)).astype(np.float32) * 3
    y = (x @ np.ones((4, 1), np.float32)).astype(np.float32)
    cr.manual_seed(0)
    model = nn.Linear(4, 1)
    with lints() as caught:
        with pytest.raises(cr.train.NonFiniteLossError, match="lower learning rate"):
            cr.train.fit(model, (x, y), loss=nn.MSELoss(), epochs=40, batch_size=64, verbose=0,
                         optimizer=cr.optim.SGD(model.parameters(), lr=0.2))
    one(caught, "rose for 3 epochs", "fix: lower lr")


def test_loss_flat_at_log_c_in_fit() -> None:
    rng = np.random.default_rng(0)
    x = rng.standard_normal((96, 4)).astype(np.float32)
    y = rng.permutation(np.arange(96) % 4)
    cr.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 4))
    nn.init.constant_(model[0].bias, -10.0)  # every ReLU off: a dead network
    with lints() as caught:
        cr.train.fit(model, (x, y), loss=nn.CrossEntropyLoss(), epochs=6, verbose=0, seed=0,
                     optimizer=cr.optim.SGD(model.parameters(), lr=0.1))
    one(caught, "log(4)", "labels shuffled", "fix: check that X")


# ---- switches ----------------------------------------------------------------------------
def test_once_per_place_and_set_lint_false() -> None:
    model = nn.Sequential(mlp(), nn.Softmax(dim=1))
    with lints() as caught:
        for _ in range(3):
            nn.CrossEntropyLoss()(model(X), Y)
        nn.CrossEntropyLoss()(model(X), Y)  # another line: its own warning
    assert len(caught) == 2
    cr.set_lint(False)
    try:
        with lints() as caught:
            nn.CrossEntropyLoss()(model(X), Y)
        assert caught == [] and not cr.is_lint_enabled()
    finally:
        cr.set_lint(True)
    with lints() as caught:
        warnings.filterwarnings("ignore", category=cr.LintWarning)
        nn.CrossEntropyLoss()(model(X), Y)
    assert caught == []
    assert issubclass(cr.LintWarning, UserWarning)


def test_a_correct_loop_is_silent() -> None:
    model = mlp(dropout=0.2, norm=True)
    opt = cr.optim.Adam(model.parameters(), lr=1e-3)
    sched = cr.optim.lr_scheduler.StepLR(opt, step_size=2)
    with warnings.catch_warnings():
        warnings.simplefilter("error", cr.LintWarning)
        for _ in range(4):
            for half in (slice(0, 16), slice(16, 32)):
                correct_step(model, opt, nn.CrossEntropyLoss(), X[half], Y[half])
            sched.step()
            model.eval()
            with cr.no_grad():
                nn.CrossEntropyLoss()(model(X), Y)
            model.train()
        bin_model = mlp(out=1)
        bopt = cr.optim.SGD(bin_model.parameters(), lr=0.1)
        yb = (Y.numpy() == 1).astype(np.float32).reshape(-1, 1)
        for _ in range(3):
            correct_step(bin_model, bopt, nn.BCEWithLogitsLoss(), X, cr.tensor(yb))
        log_model = nn.Sequential(mlp(), nn.LogSoftmax(dim=1))
        lopt = cr.optim.SGD(log_model.parameters(), lr=0.1)
        for _ in range(3):
            correct_step(log_model, lopt, nn.NLLLoss())
