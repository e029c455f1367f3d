"""What explain knows about each op: its definition, its local derivative, its tensor form.

A :class:`Rule` per Function class name:
- ``define(ins, node)``: the right-hand side of ``out = ...`` (ins are input expressions);
- ``local(i, out, ins, node)``: ∂out/∂input_i for elementwise ops (None when the op is not
  elementwise: reductions, matrix products, shape ops);
- ``form(i, g, out, ins, node)``: ∂L/∂input_i written with g = ∂L/∂out (matrix forms);
- ``opts(node)``: the keyword options to re-run forward (to recover values);
- ``saved_in`` / ``saved_out``: where forward's saved arrays hold input i / the output.
Ops without a rule are narrated from their docstring with the numbers of their backward.
"""
from __future__ import annotations

from typing import Any, Callable, NamedTuple

from ._algebra import ONE, add, div, mul, neg, power
from ._expr import Expr, Func, Name, Num, Raw, Sum


def tmpl(text: str, latex: str, *args: Expr, prec: int = 2) -> Raw:
    """Fill §0, §1, ... in a text and a LaTeX template with the arguments."""
    for i, a in enumerate(args):
        ta = a.text() if a.prec >= 1 else "(" + a.text() + ")"
        la = a.latex() if a.prec >= 1 else r"\left(" + a.latex() + r"\right)"
        text, latex = text.replace(f"§{i}", ta), latex.replace(f"§{i}", la)
    return Raw(text, latex, prec)


def hadamard(g: Expr, local: Expr) -> Expr:
    """g ⊙ local, simplified when local is a number."""
    if isinstance(local, Num):
        return mul(local, g)
    return tmpl("§0 ⊙ §1", r"§0 \odot §1", g, local, prec=1)


class Rule(NamedTuple):
    define: Callable[..., Expr]
    local: Callable[..., Expr] | None = None
    form: Callable[..., Expr] | None = None
    opts: Callable[[Any], dict[str, Any]] = lambda node: {}
    saved_in: tuple[int | None, ...] = ()
    saved_out: int | None = None


def _ind(cond: str, latex: str, *args: Expr) -> Raw:
    return tmpl("1[" + cond + "]", r"\mathbb{1}[" + latex + "]", *args)


def _pow_define(ins: list[Expr], node: Any) -> Expr:
    a, b = ins
    return power(a, b.value) if isinstance(b, Num) else tmpl("§0^§1", "§0^{§1}", a, b)


def _pow_local(i: int, out: Expr, ins: list[Expr], node: Any) -> Expr:
    a, b = ins
    if i == 1:
        return mul(out, Func("ln", a))
    if isinstance(b, Num):
        return mul(Num(b.value), power(a, b.value - 1))
    return mul(b, tmpl("§0^(§1 − 1)", "§0^{§1 - 1}", a, b))


def _one_minus(e: Expr) -> Expr:
    return Sum([ONE, neg(e)])


def _linear_define(ins: list[Expr], node: Any) -> Expr:
    x, w = ins[0], ins[1]
    body = tmpl("§0" + _dot(x, w) + "§1ᵀ", r"§0 §1^\top", x, w)
    return add(body, ins[2]) if len(ins) > 2 else body


def _short(*es: Expr) -> bool:
    return all(isinstance(e, Name) and e.single() for e in es)


def _matmul_define(ins: list[Expr], node: Any) -> Expr:
    a, b = ins
    return tmpl("§0§1", "§0 §1", a, b) if _short(a, b) else tmpl("§0·§1", "§0 §1", a, b)


def _dot(*es: Expr) -> str:
    """"" between one-letter names (gW), "·" otherwise (g·fc.weight)."""
    return "" if _short(*es) else "·"


def _linear_form(i: int, g: Expr, out: Expr, ins: list[Expr], node: Any) -> Expr:
    if i == 0:
        return tmpl("§0" + _dot(g, ins[1]) + "§1", "§0 §1", g, ins[1])
    if i == 1:
        return tmpl("§0ᵀ" + _dot(g, ins[0]) + "§1", r"§0^\top §1", g, ins[0])
    return tmpl("Σ_rows §0", r"\sum_{\text{rows}} §0", g)


def _matmul_form(i: int, g: Expr, out: Expr, ins: list[Expr], node: Any) -> Expr:
    if i == 0:
        return tmpl("§0" + _dot(g, ins[1]) + "§1ᵀ", r"§0 §1^\top", g, ins[1])
    return tmpl("§0ᵀ" + _dot(g, ins[0]) + "§1", r"§0^\top §1", ins[0], g)


def _fn(name: str) -> Callable[..., Expr]:
    return lambda ins, node: Func(name, ins[0])


def _text(template: str, latex: str) -> Callable[..., Expr]:
    return lambda ins, node: tmpl(template, latex, *ins)


def _gform(text: str, latex: str) -> Callable[..., Expr]:
    """A form in g and the output/inputs: §0 is g, §1 the output, §2.. the inputs."""
    return lambda i, g, out, ins, node: tmpl(text, latex, g, out, *ins)


_BACK = _gform("§0 moved back to the input's shape", r"§0 \text{ moved back to the input's shape}")
_SCATTER = _gform("§0 scattered back into zeros (repeats added)",
                  r"§0 \text{ scattered back (repeats added)}")
_BROADCAST = _gform("§0 broadcast back to the input's shape",
                    r"§0 \text{ broadcast back to the input's shape}")


def _reduce(name: str, latex: str) -> Callable[..., Expr]:
    return lambda ins, node: tmpl(name + "(§0)", latex + r"\left(§0\right)", ins[0])


_RED_OPTS = lambda node: {"dim": node.dim, "keepdim": node.keepdim}  # noqa: E731

RULES: dict[str, Rule] = {
    "Add": Rule(lambda ins, n: add(ins[0], ins[1]), lambda i, o, ins, n: ONE),
    "Sub": Rule(lambda ins, n: add(ins[0], neg(ins[1])),
                lambda i, o, ins, n: ONE if i == 0 else Num(-1)),
    "Mul": Rule(lambda ins, n: mul(ins[0], ins[1]), lambda i, o, ins, n: ins[1 - i],
                saved_in=(0, 1)),
    "Div": Rule(lambda ins, n: div(ins[0], ins[1]),
                lambda i, o, ins, n: div(ONE, ins[1]) if i == 0
                else neg(div(ins[0], power(ins[1], 2))), saved_in=(0, 1)),
    "Pow": Rule(_pow_define, _pow_local, saved_in=(0, 1), saved_out=2),
    "Neg": Rule(lambda ins, n: neg(ins[0]), lambda i, o, ins, n: Num(-1), saved_in=(0,)),
    "Abs": Rule(_fn("abs"), lambda i, o, ins, n: Func("sign", ins[0]), saved_in=(0,)),
    "Exp": Rule(_fn("exp"), lambda i, o, ins, n: o, saved_out=0),
    "Log": Rule(_fn("ln"), lambda i, o, ins, n: div(ONE, ins[0]), saved_in=(0,)),
    "Log1p": Rule(lambda ins, n: Func("ln", add(ONE, ins[0])),
                  lambda i, o, ins, n: div(ONE, add(ONE, ins[0])), saved_in=(0,)),
    "Sqrt": Rule(_fn("√"), lambda i, o, ins, n: div(ONE, mul(Num(2), o)), saved_out=0),
    "Sin": Rule(_fn("sin"), lambda i, o, ins, n: Func("cos", ins[0]), saved_in=(0,)),
    "Cos": Rule(_fn("cos"), lambda i, o, ins, n: neg(Func("sin", ins[0])), saved_in=(0,)),
    "Clamp": Rule(lambda ins, n: tmpl(f"clamp(§0, {n.lo}, {n.hi})",
                                   rf"\operatorname{{clamp}}(§0, {n.lo}, {n.hi})", ins[0]),
                  lambda i, o, ins, n: _ind(f"{n.lo} ≤ §0 ≤ {n.hi}",
                                            rf"{n.lo} \le §0 \le {n.hi}", ins[0]),
                  opts=lambda n: {"min": n.lo, "max": n.hi}, saved_in=(0,)),
    "Maximum": Rule(_text("max(§0, §1)", r"\max(§0, §1)"),
                    lambda i, o, ins, n: _ind("§0 > §1", "§0 > §1", ins[i], ins[1 - i]),
                    saved_in=(0, 1)),
    "Minimum": Rule(_text("min(§0, §1)", r"\min(§0, §1)"),
                    lambda i, o, ins, n: _ind("§0 < §1", "§0 < §1", ins[i], ins[1 - i]),
                    saved_in=(0, 1)),
    "Where": Rule(_text("where(§0, §1, §2)", r"\operatorname{where}(§0, §1, §2)"),
                  lambda i, o, ins, n: _ind("§0" if i == 1 else "not §0",
                                            "§0" if i == 1 else r"\lnot §0", ins[0])),
    "ReLU": Rule(_text("max(§0, 0)", r"\max(§0, 0)"),
                 lambda i, o, ins, n: _ind("§0 > 0", "§0 > 0", ins[0]), saved_out=0),
    "LeakyReLU": Rule(_text("leaky_relu(§0)", r"\operatorname{leaky\_relu}(§0)"),
                      lambda i, o, ins, n: tmpl(f"1 if §0 > 0 else {n.slope}",
                                             rf"1 \text{{ if }} §0 > 0 \text{{ else }} {n.slope}",
                                             ins[0]),
                      opts=lambda n: {"negative_slope": n.slope}, saved_in=(0,)),
    "Sigmoid": Rule(_fn("σ"), lambda i, o, ins, n: mul(o, _one_minus(o)), saved_out=0),
    "Tanh": Rule(_fn("tanh"), lambda i, o, ins, n: _one_minus(power(o, 2)), saved_out=0),
    "GELU": Rule(_text("§0·Φ(§0)", r"§0\,\Phi(§0)"),
                 lambda i, o, ins, n: tmpl("Φ(§0) + §0·φ(§0)", r"\Phi(§0) + §0\,\varphi(§0)",
                                           ins[0]),
                 opts=lambda n: {"approximate": n.approximate}, saved_in=(0,)),
    "ELU": Rule(_text("elu(§0)", r"\operatorname{elu}(§0)"),
                lambda i, o, ins, n: tmpl(f"1 if §0 > 0 else §1 + {n.alpha}",
                                       rf"1 \text{{ if }} §0 > 0 \text{{ else }} §1 + {n.alpha}",
                                       ins[0], o),
                opts=lambda n: {"alpha": n.alpha}, saved_in=(0,), saved_out=1),
    "SiLU": Rule(_text("§0·σ(§0)", r"§0\,\sigma(§0)"),
                 lambda i, o, ins, n: tmpl("σ(§0)(1 + §0(1 − σ(§0)))",
                                        r"\sigma(§0)\left(1 + §0(1 - \sigma(§0))\right)", ins[0]),
                 saved_in=(0,)),
    "Softplus": Rule(_text("ln(1 + e^§0)", r"\ln\left(1 + e^{§0}\right)"),
                     lambda i, o, ins, n: Func("σ", ins[0]),
                     opts=lambda n: {"beta": n.beta, "threshold": n.threshold}, saved_in=(0,)),
    "Softmax": Rule(_text("softmax(§0)", r"\operatorname{softmax}(§0)"),
                    form=_gform("§1 ⊙ (§0 − Σ(§0 ⊙ §1))", r"§1 \odot (§0 - \sum §0 \odot §1)"),
                    opts=lambda n: {"dim": n.dim}, saved_out=0),
    "LogSoftmax": Rule(_text("§0 − logsumexp(§0)", r"§0 - \operatorname{logsumexp}(§0)"),
                       form=_gform("§0 − softmax(§2)·Σ§0",
                                   r"§0 - \operatorname{softmax}(§2) \sum §0"),
                       opts=lambda n: {"dim": n.dim}, saved_out=0),
    "Sum": Rule(_text("Σ §0", r"\sum §0"), form=_BROADCAST, opts=_RED_OPTS),
    "Mean": Rule(_reduce("mean", r"\operatorname{mean}"),
                 form=lambda i, g, o, ins, n: tmpl(f"§0/{n.n} broadcast back",
                                                rf"\frac{{§0}}{{{n.n}}} \text{{ broadcast back}}",
                                                g),
                 opts=_RED_OPTS),
    "Prod": Rule(_text("Π §0", r"\prod §0"),
                 form=_gform("§0 · (product of the other entries)",
                             r"§0 \cdot \prod_{j \ne i} §2_j"),
                 opts=_RED_OPTS, saved_in=(0,)),
    "Var": Rule(_reduce("var", r"\operatorname{var}"),
                form=lambda i, g, o, ins, n: tmpl(
                    f"§0·2(§1 − mean §1)/{n.denom}",
                    rf"§0 \cdot \frac{{2(§1 - \bar{{§1}})}}{{{n.denom}}}", g, ins[0])),
    "LogSumExp": Rule(_reduce("logsumexp", r"\operatorname{logsumexp}"),
                      form=_gform("§0·softmax(§2)", r"§0 \operatorname{softmax}(§2)"),
                      opts=_RED_OPTS, saved_in=(0,)),
    "MaxAll": Rule(_reduce("max", r"\max"),
                   form=_gform("§0 shared by the maximal entries",
                               r"§0 \text{ shared by the maximal entries}"),
                   saved_in=(0,), saved_out=1),
    "MaxDim": Rule(_reduce("max", r"\max"),
                   form=_gform("§0 at the selected entries",
                               r"§0 \text{ at the selected entries}")),
    "Norm2": Rule(_text("‖§0‖", r"\lVert §0 \rVert"),
                  form=_gform("§0·§2/§1", r"§0 \frac{§2}{§1}"),
                  opts=_RED_OPTS, saved_in=(0,), saved_out=1),
    "Reshape": Rule(lambda ins, n: tmpl(f"reshape(§0, {n.shape})",
                                     rf"\operatorname{{reshape}}(§0, {n.shape})", ins[0]),
                    form=_BACK, opts=lambda n: {"shape": n.shape}),
    "Permute": Rule(lambda ins, n: tmpl(f"permute(§0, {n.dims})",
                                     rf"\operatorname{{permute}}(§0, {n.dims})", ins[0]),
                    form=_BACK, opts=lambda n: {"dims": n.dims}),
    "Expand": Rule(lambda ins, n: tmpl(f"expand(§0, {n.shape})",
                                    rf"\operatorname{{expand}}(§0, {n.shape})", ins[0]),
                   form=_gform("§0 summed over the broadcast dims",
                               r"§0 \text{ summed over the broadcast dims}"),
                   opts=lambda n: {"shape": n.shape}),
    "Cat": Rule(lambda ins, n: tmpl("cat(" + ", ".join(f"§{k}" for k in range(len(ins))) + ")",
                                 r"\operatorname{cat}(" + ", ".join(
                                     f"§{k}" for k in range(len(ins))) + ")", *ins),
                form=_gform("its slice of §0", r"\text{its slice of } §0"),
                opts=lambda n: {"dim": n.dim}),
    "Stack": Rule(lambda ins, n: tmpl("stack(" + ", ".join(f"§{k}" for k in range(len(ins))) + ")",
                                   r"\operatorname{stack}(" + ", ".join(
                                       f"§{k}" for k in range(len(ins))) + ")", *ins),
                  form=_gform("its slice of §0", r"\text{its slice of } §0"),
                  opts=lambda n: {"dim": n.dim}),
    "Pad": Rule(_text("pad(§0)", r"\operatorname{pad}(§0)"),
                form=_gform("the centre of §0", r"\text{the centre of } §0")),
    "ToDtype": Rule(lambda ins, n: tmpl(f"§0.to({n.dtype})", rf"§0 \text{{ as {n.dtype}}}", ins[0]),
                    form=_gform("§0", "§0"), opts=lambda n: {"dtype": n.dtype}),
    "Clone": Rule(lambda ins, n: ins[0], lambda i, o, ins, n: ONE),
    "Index": Rule(_text("§0[…]", r"§0[\ldots]"), form=_SCATTER, opts=lambda n: {"index": n.index}),
    "IndexSelect": Rule(_text("index_select(§0)", r"\operatorname{index\_select}(§0)"),
                        form=_SCATTER, opts=lambda n: {"dim": n.dim, "index": n.index}),
    "Gather": Rule(_text("gather(§0)", r"\operatorname{gather}(§0)"), form=_SCATTER),
    "MatMul": Rule(_matmul_define, form=_matmul_form, saved_in=(0, 1)),
    "Linear": Rule(_linear_define, form=_linear_form, saved_in=(0, 1)),
}


def rule_for(node: Any) -> Rule:
    """The rule of a node; a generic one (docstring and numbers) for ops explain does not know."""
    if "MSELoss" not in RULES:
        from ._rules_loss import LOSS_RULES
        RULES.update(LOSS_RULES)
    rule = RULES.get(node.name)
    if rule is not None:
        return rule
    name = node.name
    return Rule(lambda ins, n: tmpl(name + "(" + ", ".join(f"§{k}" for k in range(len(ins))) + ")",
                                 r"\operatorname{" + name + "}(" + ", ".join(
                                     f"§{k}" for k in range(len(ins))) + ")", *ins),
                form=lambda i, g, o, ins, n: tmpl(f"backward of {name} applied to §0",
                                               rf"\text{{backward of {name} applied to }} §0", g))


def doc_line(node: Any) -> str:
    """The first line of the op's docstring: ``y = f(x); dy/dx = ...``."""
    doc = (type(node).__doc__ or "").strip().splitlines()
    return doc[0].strip() if doc else ""

