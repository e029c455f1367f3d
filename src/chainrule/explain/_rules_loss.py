"""Explain rules for the fused losses (one node each): definitions and gradient forms.

The forms use g = ∂L/∂loss, the prediction §2 and the target §3; N is the number
of entries (rows for cross-entropy) a 'mean' reduction divides by.
"""
from __future__ import annotations

from typing import Any, Callable

from ._expr import Expr
from ._rules import Rule, tmpl


def _define(name: str, latex: str) -> Callable[..., Expr]:
    def define(ins: list[Expr], node: Any) -> Expr:
        reduction = getattr(node, "reduction", "mean")
        wrap = {"mean": ("mean ", r"\operatorname{mean} "), "sum": ("Σ ", r"\sum ")}.get(
            reduction, ("", ""))
        return tmpl(wrap[0] + name + "(§0, §1)", wrap[1] + latex + "(§0, §1)", *ins[:2])
    return define


def _form(text: str, latex: str) -> Callable[..., Expr]:
    def form(i: int, g: Expr, out: Expr, ins: list[Expr], node: Any) -> Expr:
        mean = getattr(node, "reduction", "mean") == "mean"
        sign_t, sign_l = ("", "") if i == 0 else ("−", "-")
        t = f"{sign_t}§0·{text}" + ("/N" if mean else "")
        lt = rf"{sign_l}§0 \cdot " + (rf"\frac{{{latex}}}{{N}}" if mean else latex)
        return tmpl(t, lt, g, out, *ins[:2])
    return form


def _loss(name: str, latex: str, text_form: str, latex_form: str) -> Rule:
    return Rule(_define(name, latex), form=_form(text_form, latex_form))


LOSS_RULES: dict[str, Rule] = {
    "MSELoss": _loss("mse", r"\operatorname{mse}", "2(§2 − §3)", "2(§2 - §3)"),
    "L1Loss": _loss("l1", r"\operatorname{l1}", "sign(§2 − §3)", r"\operatorname{sign}(§2 - §3)"),
    "HuberLoss": _loss("huber", r"\operatorname{huber}", "clip(§2 − §3, −δ, δ)",
                       r"\operatorname{clip}(§2 - §3, -\delta, \delta)"),
    "SmoothL1Loss": _loss("smooth_l1", r"\operatorname{smooth\_l1}", "clip((§2 − §3)/β, −1, 1)",
                          r"\operatorname{clip}((§2 - §3)/\beta, -1, 1)"),
    "BCELoss": _loss("bce", r"\operatorname{bce}", "(§2 − §3)/(§2(1 − §2))",
                     r"\frac{§2 - §3}{§2(1 - §2)}"),
    "BCEWithLogitsLoss": _loss("bce_with_logits", r"\operatorname{bce}_{\sigma}",
                               "(σ(§2) − §3)", r"(\sigma(§2) - §3)"),
    "CrossEntropyLoss": _loss("cross_entropy", r"\operatorname{CE}",
                              "(softmax(§2) − onehot(§3))",
                              r"(\operatorname{softmax}(§2) - \operatorname{onehot}(§3))"),
    "NLLLoss": _loss("nll", r"\operatorname{nll}", "(−onehot(§3))",
                     r"(-\operatorname{onehot}(§3))"),
}
