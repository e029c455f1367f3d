"""docs/torch-compat.md is generated from PyTorch and chainrule: regenerate it and compare, so
it cannot drift; and names it lists as out of scope raise an AttributeError with the hint."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

import chainrule as cr

ROOT = Path(__file__).resolve().parents[2]


def _generator():
    spec = importlib.util.spec_from_file_location("torch_compat", ROOT / "tools" /
                                                  "torch_compat.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_compat_table_is_up_to_date() -> None:
    torch = pytest.importorskip("torch")
    gen = _generator()
    committed = gen.DOC.read_text(encoding="utf-8")
    if f"PyTorch {torch.__version__} " not in committed:
        pytest.skip(f"the table was generated from another PyTorch than {torch.__version__}")
    fresh = gen.render(gen.classify())
    assert fresh == committed, ("docs/torch-compat.md is out of date: run "
                                "`python tools/torch_compat.py --write` and commit it")


@pytest.mark.parametrize("module,name,hint", [
    (cr.nn, "Conv2d", "no convolutions"), (cr.nn, "LSTM", "roadmap"),
    (cr.nn.functional, "max_pool2d", "no convolutions"), (cr, "linalg", "np.linalg"),
    (cr, "FloatTensor", "dtype=chainrule.float32"), (cr.autograd, "Variable", "deprecated"),
    (cr.optim, "SparseAdam", "dense"), (cr.utils.data, "DistributedSampler", "one process"),
    (cr.optim.lr_scheduler, "SWALR", None), (cr.ones(1), "to_sparse", None),
    (cr, "no_such_name", None)])
def test_left_out_names_raise_attribute_error_with_a_hint(module, name, hint) -> None:
    with pytest.raises(AttributeError, match=name) as info:
        getattr(module, name)
    if hint is not None:
        assert hint in str(info.value)
    assert not hasattr(module, name)  # hasattr / getattr(default) keep working


def test_tensor_has_no_getattr_hook() -> None:
    """A class-level __getattr__ makes every attribute read of a Tensor ~4x slower (CPython
    switches to its slow lookup path): Tensor methods left out raise plain AttributeErrors."""
    assert not hasattr(cr.Tensor, "__getattr__")


def test_every_rule_is_used_and_hints_are_short() -> None:
    torch = pytest.importorskip("torch")  # noqa: F841
    from chainrule._compat_hints import RULES
    rows = _generator().classify()
    used = {r["where"] for r in rows if r["status"] == "out of scope"}
    assert {r.category for r in RULES} - used == set(), "a rule that matches no PyTorch name"
    assert all(len(r.hint) < 160 for r in RULES)
