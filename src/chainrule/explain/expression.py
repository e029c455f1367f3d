"""Small formulas as graphs: ``"(w*x + b - y)**2"`` parsed safely with :mod:`ast`.

Only numbers, names, ``+ - * / **``, unary minus, parentheses and a few
one-argument functions are accepted; nothing is ever evaluated as Python. Any
other construct (attribute access, calls of unknown names, lambdas,
comprehensions, subscripts, ...) raises a ValueError naming the offending piece.
"""
from __future__ import annotations

import ast
from typing import Any, Callable, Iterable

from .. import ops
from ..autograd.graph import record
from ..tensor import Tensor

FUNCTIONS: dict[str, Callable[[Tensor], Tensor]] = {
    "exp": ops.exp, "log": ops.log, "sin": ops.sin, "cos": ops.cos, "tanh": ops.tanh,
    "sigmoid": ops.sigmoid, "relu": ops.relu, "sqrt": ops.sqrt, "abs": ops.abs,
    "softplus": ops.softplus, "gelu": ops.gelu, "silu": ops.silu, "elu": ops.elu,
    "leaky_relu": ops.leaky_relu,
}
MAX_EXPONENT = 100  # a literal exponent larger than this is refused (10**10**10 and friends)
MAX_LENGTH = 1000
DATA_NAMES = ("x", "y", "t", "target")  # not differentiated by default

_BINARY: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b, ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b, ast.Pow: lambda a, b: a ** b,
}
_SYMBOL = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**",
           ast.MatMult: "@", ast.Mod: "%", ast.FloorDiv: "//", ast.BitXor: "^",
           ast.BitAnd: "&", ast.BitOr: "|", ast.LShift: "<<", ast.RShift: ">>"}


def _piece(text: str, node: ast.AST) -> str:
    seg = ast.get_source_segment(text, node)
    return seg if seg else type(node).__name__


def check_expression(text: str) -> ast.Expression:
    """Parse ``text`` and check every piece against the whitelist; return the tree.

    Example
    -------
    >>> check_expression("x.y")
    Traceback (most recent call last):
    ...
    ValueError: expression: expected numbers, names, + - * / ** and functions, got x.y (Attribute)
    """
    if not isinstance(text, str):
        raise TypeError(f"expression: expected a string, got {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ValueError(f"expression: expected at most {MAX_LENGTH} characters, got {len(text)}")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise ValueError(f"expression: expected a formula such as (w*x + b - y)**2, got "
                         f"{text!r} ({exc.msg})") from None
    except RecursionError:
        raise ValueError("expression: expected a formula nested less deeply") from None
    src = text.strip()
    for node in ast.walk(tree):
        _check_node(src, node)
    return tree


def _check_node(src: str, node: ast.AST) -> None:
    where = "expression"
    if isinstance(node, (ast.Expression, ast.Load)) or type(node) in _BINARY:
        return
    if isinstance(node, (ast.USub, ast.UAdd)):
        return
    if isinstance(node, ast.BinOp):
        if type(node.op) not in _BINARY:
            sym = _SYMBOL.get(type(node.op), type(node.op).__name__)
            raise ValueError(f"{where}: expected one of + - * / **, got {sym!r} in "
                             f"{_piece(src, node)}")
        if isinstance(node.op, ast.Pow):
            exponent = node.right
            if isinstance(exponent, ast.UnaryOp) and isinstance(exponent.operand, ast.Constant):
                exponent = exponent.operand
            if isinstance(exponent, ast.Constant) and isinstance(exponent.value, (int, float)) \
                    and abs(exponent.value) > MAX_EXPONENT:
                raise ValueError(f"{where}: expected exponents up to {MAX_EXPONENT}, got "
                                 f"{_piece(src, node)}")
        return
    if isinstance(node, ast.UnaryOp):
        if not isinstance(node.op, (ast.USub, ast.UAdd)):
            raise ValueError(f"{where}: expected unary minus, got {_piece(src, node)}")
        return
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
            raise ValueError(f"{where}: expected a real number, got {_piece(src, node)}")
        return
    if isinstance(node, ast.Name):
        if node.id.startswith("_"):
            raise ValueError(f"{where}: expected a plain name, got {node.id}")
        return
    if isinstance(node, ast.Call):
        fn = node.func
        if not isinstance(fn, ast.Name) or fn.id not in FUNCTIONS:
            raise ValueError(f"{where}: expected a call of one of {', '.join(sorted(FUNCTIONS))}"
                             f", got {_piece(src, node)}")
        if len(node.args) != 1 or node.keywords or isinstance(node.args[0], ast.Starred):
            raise ValueError(f"{where}: expected {fn.id}(<one argument>), got "
                             f"{_piece(src, node)}")
        return
    raise ValueError(f"{where}: expected numbers, names, + - * / ** and functions, got "
                     f"{_piece(src, node)} ({type(node).__name__})")


def names_in(text: str) -> list[str]:
    """The variable names of an expression, in order of appearance."""
    tree = check_expression(text)
    funcs = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    found = sorted((n.col_offset, n.id) for n in ast.walk(tree)
                   if isinstance(n, ast.Name) and id(n) not in funcs)
    return list(dict.fromkeys(name for _, name in found))


def from_expression(text: str, values: dict[str, float],
                    wrt: Iterable[str] | None = None) -> tuple[Tensor, dict[str, Tensor]]:
    """Build the graph of ``text`` with the given values (float64), under ``record()``.

    ``wrt``: the names to differentiate (they require grad); by default every
    name except the data names x, y, t and target. Returns the result and the
    leaves by name.

    Example
    -------
    >>> loss, leaves = from_expression("(w*x + b - y)**2", dict(w=0.5, x=2, b=0.1, y=1))
    >>> round(loss.item(), 6), sorted(n for n, t in leaves.items() if t.requires_grad)
    (0.01, ['b', 'w'])
    """
    tree = check_expression(text)
    names = names_in(text)
    missing = [n for n in names if n not in values]
    if missing:
        raise ValueError(f"expression: expected a value for every name, got none for "
                         f"{', '.join(missing)}; pass e.g. {missing[0]}=1.0")
    unknown = sorted(set(values) - set(names))
    if unknown:
        raise ValueError(f"expression: expected values only for names in the formula "
                         f"({', '.join(names)}), got {', '.join(unknown)}")
    grad_names = set(wrt) if wrt is not None else {n for n in names if n not in DATA_NAMES}
    bad = sorted(grad_names - set(names))
    if bad:
        raise ValueError(f"expression: expected wrt names from the formula ({', '.join(names)}),"
                         f" got {', '.join(bad)}")
    if not grad_names:
        raise ValueError(f"expression: expected at least one name to differentiate, got none "
                         f"(names {', '.join(names)}); pass wrt")
    leaves = {n: Tensor(float(values[n]), dtype="float64", requires_grad=n in grad_names, name=n)
              for n in names}
    with record():
        out = _evaluate(tree.body, leaves)
    if not isinstance(out, Tensor) or not out.requires_grad:
        wanted = ", ".join(sorted(grad_names))
        raise ValueError(f"expression: expected a formula that depends on {wanted}, got {text!r}")
    return out, leaves


def _evaluate(node: ast.AST, leaves: dict[str, Tensor]) -> Any:
    if isinstance(node, ast.Constant):
        return float(node.value)  # type: ignore[arg-type]
    if isinstance(node, ast.Name):
        return leaves[node.id]
    if isinstance(node, ast.UnaryOp):
        v = _evaluate(node.operand, leaves)
        return -v if isinstance(node.op, ast.USub) else v
    if isinstance(node, ast.BinOp):
        a, b = _evaluate(node.left, leaves), _evaluate(node.right, leaves)
        if not isinstance(a, Tensor) and not isinstance(b, Tensor):
            a = Tensor(a, dtype="float64")  # numbers alone: keep the arithmetic in NumPy
        return _BINARY[type(node.op)](a, b)
    if isinstance(node, ast.Call):
        arg = _evaluate(node.args[0], leaves)
        if not isinstance(arg, Tensor):
            arg = Tensor(arg, dtype="float64")
        return FUNCTIONS[node.func.id](arg)  # type: ignore[attr-defined]
    raise ValueError(f"expression: unexpected {type(node).__name__}")  # checked before
