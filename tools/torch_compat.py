"""Write docs/torch-compat.md: PyTorch's public names beside chainrule's, from PyTorch itself.

For each of PyTorch's modules below, every public name is one of:
- out of scope: a rule of ``chainrule/_compat_hints.py`` matches it (category and hint shown;
  chainrule's ``__getattr__`` raises an AttributeError with the same hint);
- implemented: chainrule has the name; the test that exercises it beside PyTorch is found by
  a text search of tests/ (a test file that uses torch and calls the name);
- missing: in scope, not implemented yet.

Usage: ``python tools/torch_compat.py`` prints the document, ``--write`` writes it.
``tests/compat/test_torch_compat_table.py`` regenerates it and compares with the committed file.
"""
from __future__ import annotations

import argparse
import importlib
import inspect
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from chainrule._compat_hints import RULES, rule_for  # noqa: E402

DOC = ROOT / "docs" / "torch-compat.md"
# (scope, PyTorch's module, chainrule's counterpart)
MODULES = [("torch", "torch", "chainrule"), ("Tensor", "torch.Tensor", "chainrule.Tensor"),
           ("nn", "torch.nn", "chainrule.nn"),
           ("functional", "torch.nn.functional", "chainrule.nn.functional"),
           ("optim", "torch.optim", "chainrule.optim"),
           ("lr_scheduler", "torch.optim.lr_scheduler", "chainrule.optim.lr_scheduler"),
           ("data", "torch.utils.data", "chainrule.utils.data"),
           ("autograd", "torch.autograd", "chainrule.autograd")]
# where a test calls a name beside PyTorch: the prefixes a call is written with, by scope
PREFIX = {"torch": r"(?:torch|cr|m)\.", "Tensor": r"\.", "nn": r"(?:nn|tnn)\.",
          "functional": r"(?:F|TF|functional)\.", "optim": r"optim\.",
          "lr_scheduler": r"(?:lr_scheduler|sched|optim)\.", "data": r"(?:data|tud)\.",
          "autograd": r"autograd\."}


def _resolve(dotted: str) -> Any:
    mod, _, attr = dotted.rpartition(".")
    if attr and attr[0].isupper():  # torch.Tensor, chainrule.Tensor
        return getattr(importlib.import_module(mod), attr)
    try:
        return importlib.import_module(dotted)
    except ImportError:
        return None


def torch_names(scope: str, obj: Any) -> list[str]:
    """PyTorch's public names in ``obj``: not private, not a module from outside torch,
    not a typing/stdlib helper imported into it."""
    listed = getattr(obj, "__all__", None) if scope != "Tensor" else None
    if listed is not None and scope != "torch":  # torch's __all__ leaves out nn, unique, ...
        return sorted(n for n in listed if not n.startswith("_"))
    names = {n for n in listed or () if not n.startswith("_")}
    for n in dir(obj):
        if n.startswith("_"):
            continue
        try:
            v = inspect.getattr_static(obj, n)
        except AttributeError:
            continue
        if inspect.ismodule(v) and not v.__name__.startswith("torch"):
            continue  # math, os, numpy ... imported into the module
        mod = getattr(v, "__module__", None) or ""
        if mod.split(".")[0] in ("typing", "typing_extensions", "collections", "builtins",
                                 "abc", "enum", "functools", "warnings", "dataclasses",
                                 "bisect", "_bisect", "weakref", "__future__"):
            continue
        names.add(n)
    return sorted(names)


def _has(target: Any, name: str) -> bool:
    if target is None:
        return False
    try:
        return inspect.getattr_static(target, name, None) is not None or hasattr(target, name)
    except Exception:
        return False


def _test_texts() -> list[tuple[str, str]]:
    out = []
    for p in sorted((ROOT / "tests").rglob("*.py")):
        text = p.read_text(encoding="utf-8")
        if "torch" in text:
            out.append((str(p.relative_to(ROOT)), text))
    return out


def parity_test(scope: str, name: str, texts: list[tuple[str, str]]) -> str:
    pat = re.compile(PREFIX[scope] + re.escape(name) + r"\b")
    for path, text in texts:
        if pat.search(text):
            return path
    return ""


def classify() -> list[dict[str, Any]]:
    """One row per (scope, name): status, where, why."""
    texts = _test_texts()
    rows = []
    for scope, tmod, cmod in MODULES:
        tobj, cobj = _resolve(tmod), _resolve(cmod)
        for n in torch_names(scope, tobj):
            rule = rule_for(scope, n)
            if _has(cobj, n):
                rows.append(dict(scope=scope, name=n, status="implemented",
                                 where=parity_test(scope, n, texts)))
            elif rule is not None:
                rows.append(dict(scope=scope, name=n, status="out of scope",
                                 where=rule.category))
            else:
                rows.append(dict(scope=scope, name=n, status="missing", where=""))
    return rows


def render(rows: list[dict[str, Any]]) -> str:
    import torch
    lines = ["# PyTorch compatibility", "",
             f"Generated by `python tools/torch_compat.py --write` from PyTorch {torch.__version__}"
             " and chainrule; `tests/compat/test_torch_compat_table.py` regenerates it and fails "
             "when it differs. Do not edit by hand.", "",
             "Each public name of PyTorch's modules is **implemented** (the test file that calls "
             "it beside PyTorch is shown when a text search finds one), **out of scope** (a rule "
             "of `src/chainrule/_compat_hints.py` matches it; chainrule's modules raise an "
             "AttributeError with the rule's hint, Tensor a plain one), or **missing** (in "
             "scope, not implemented yet). A name chainrule has counts as implemented even when "
             "a rule would exclude it.", "",
             "## Coverage", "",
             "| PyTorch module | implemented | in scope | coverage | with a parity test | "
             "out of scope | public names |", "|---|---:|---:|---:|---:|---:|---:|"]
    total = dict(impl=0, scope=0, tested=0, out=0, all=0)
    for scope, tmod, _ in MODULES:
        rs = [r for r in rows if r["scope"] == scope]
        impl = sum(r["status"] == "implemented" for r in rs)
        out = sum(r["status"] == "out of scope" for r in rs)
        tested = sum(r["status"] == "implemented" and bool(r["where"]) for r in rs)
        in_scope = len(rs) - out
        for k, v in (("impl", impl), ("scope", in_scope), ("tested", tested), ("out", out),
                     ("all", len(rs))):
            total[k] += v
        pct = f"{100 * impl / in_scope:.0f}%" if in_scope else "-"
        lines.append(f"| `{tmod}` | {impl} | {in_scope} | {pct} | {tested} | {out} | {len(rs)} |")
    pct = f"{100 * total['impl'] / total['scope']:.0f}%"
    lines += [f"| **all** | {total['impl']} | {total['scope']} | {pct} | {total['tested']} | "
              f"{total['out']} | {total['all']} |", "", "## Out-of-scope rules", "",
              "| category | hint (in chainrule's AttributeError) | names |", "|---|---|---:|"]
    for rule in RULES:
        k = sum(r["status"] == "out of scope" and r["where"] == rule.category for r in rows)
        lines.append(f"| {rule.category} | {rule.hint} | {k} |")
    for scope, tmod, cmod in MODULES:
        rs = [r for r in rows if r["scope"] == scope]
        lines += ["", f"## `{tmod}` → `{cmod}`", ""]
        for status in ("implemented", "missing", "out of scope"):
            sel = [r for r in rs if r["status"] == status]
            if not sel:
                continue
            lines.append(f"**{status}** ({len(sel)}):")
            lines.append("")
            if status == "implemented":
                lines += [f"- `{r['name']}`" + (f" — {r['where']}" if r["where"] else "")
                          for r in sel]
            elif status == "missing":
                lines.append(", ".join(f"`{r['name']}`" for r in sel))
            else:
                for cat in dict.fromkeys(r["where"] for r in sel):
                    names = ", ".join(f"`{r['name']}`" for r in sel if r["where"] == cat)
                    lines.append(f"- {cat}: {names}")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--write", action="store_true", help=f"write {DOC.relative_to(ROOT)}")
    args = ap.parse_args(argv)
    text = render(classify())
    if args.write:
        DOC.parent.mkdir(exist_ok=True)
        DOC.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
