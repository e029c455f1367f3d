"""The course's models: a Perceptron, a multi-layer perceptron (MLP), activations by name,
and counting parameters.

MLP layer names (stable ``state_dict`` keys): each hidden layer i is
``hidden{i}`` (Linear), then ``norm{i}`` (BatchNorm1d / LayerNorm, if ``norm``),
``act{i}`` (the activation) and ``dropout{i}`` (if ``dropout`` > 0); then
``output`` (Linear) and ``output_act`` (if ``output_activation``). So the keys read
``hidden0.weight``, ``hidden0.bias``, ``norm0.running_mean``, ``output.weight``, ...
"""
from __future__ import annotations

from collections import OrderedDict
from typing import Callable, Sequence, Union

from ..tensor import Tensor
from .modules.activation import ELU, GELU, LeakyReLU, ReLU, SiLU, Sigmoid, Softmax, Softplus, Tanh
from .modules.container import Sequential
from .modules.dropout import Dropout
from .modules.linear import Identity, Linear
from .modules.module import Module
from .modules.normalization import BatchNorm1d, LayerNorm

__all__ = ["ACTIVATIONS", "MLP", "Perceptron", "get_activation", "num_parameters"]

ACTIVATIONS: dict[str, Callable[[], Module]] = {
    "relu": ReLU, "leaky_relu": LeakyReLU, "sigmoid": Sigmoid, "tanh": Tanh,
    "softmax": lambda: Softmax(dim=-1), "linear": Identity, "identity": Identity, "gelu": GELU,
    "elu": ELU, "silu": SiLU, "softplus": Softplus,
}

ActivationLike = Union[str, Callable[[], Module]]


def get_activation(activation: ActivationLike, where: str = "get_activation") -> Module:
    """A new activation layer from its name (``"relu"``, ``"tanh"``, ...) or a factory
    (a Module class such as ``nn.ReLU``, or a function returning a Module).

    Example
    -------
    >>> import chainrule as cr
    >>> cr.nn.get_activation("leaky_relu")
    LeakyReLU(negative_slope=0.01)
    """
    if isinstance(activation, str):
        factory = ACTIVATIONS.get(activation.lower())
        if factory is None:
            raise ValueError(f"{where}: expected an activation name in "
                             f"{', '.join(sorted(ACTIVATIONS))}, got {activation!r}")
        return factory()
    if isinstance(activation, Module):
        raise TypeError(f"{where}: expected an activation name or a factory (e.g. nn.ReLU, "
                        f"not nn.ReLU()), got the instance {activation!r}")
    if callable(activation):
        m = activation()
        if isinstance(m, Module):
            return m
    raise TypeError(f"{where}: expected an activation name or a callable returning a Module, "
                    f"got {activation!r}")


class Perceptron(Module):
    """One unit: a weighted sum of the inputs plus a bias, through an activation.

    ``Linear(in_features, 1)`` then ``activation`` (sigmoid by default; any name of
    :func:`get_activation`, e.g. "linear" for a linear unit). A single perceptron
    draws one straight decision boundary, so it cannot fit XOR.

    Shape
    -----
    input (N, in_features) -> output (N, 1).

    Example
    -------
    >>> import chainrule as cr
    >>> p = cr.nn.Perceptron(2)
    >>> p(cr.zeros(4, 2)).shape, [k for k in p.state_dict()]
    (chainrule.Size([4, 1]), ['linear.weight', 'linear.bias'])
    """

    def __init__(self, in_features: int, activation: ActivationLike = "sigmoid") -> None:
        super().__init__()
        self.linear = Linear(in_features, 1)
        self.activation = get_activation(activation, "Perceptron")

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return self.activation(self.linear(input))  # type: ignore[no-any-return]


class MLP(Sequential):
    """A multi-layer perceptron: Linear layers with an activation between them.

    Each hidden layer is Linear -> [norm] -> activation -> [Dropout]; the output
    layer is Linear -> [output_activation]. Layer names are documented in this
    module's docstring (``hidden0``, ``act0``, ..., ``output``).

    Parameters
    ----------
    in_features, out_features : sizes of the input and the output.
    hidden_sizes : width of each hidden layer (an int for one layer; empty for none).
    activation : name or factory for the hidden activations (default "relu").
    output_activation : None (raw scores, e.g. for CrossEntropyLoss) or a name/factory.
    dropout : drop probability after each hidden activation (0: no Dropout layers).
    norm : None, "batch" (BatchNorm1d) or "layer" (LayerNorm) after each hidden Linear.

    Shape
    -----
    input (N, in_features) -> output (N, out_features).

    Example
    -------
    >>> import chainrule as cr
    >>> net = cr.nn.MLP(2, [8, 8], 1, activation="tanh", output_activation="sigmoid")
    >>> net(cr.zeros(5, 2)).shape, cr.nn.num_parameters(net)
    (chainrule.Size([5, 1]), 105)
    >>> list(net.state_dict())[:3]
    ['hidden0.weight', 'hidden0.bias', 'hidden1.weight']
    """

    def __init__(self, in_features: int, hidden_sizes: int | Sequence[int], out_features: int,
                 activation: ActivationLike = "relu",
                 output_activation: ActivationLike | None = None, dropout: float = 0.0,
                 norm: str | None = None) -> None:
        sizes = [hidden_sizes] if isinstance(hidden_sizes, int) else list(hidden_sizes)
        if norm not in (None, "batch", "layer"):
            raise ValueError(f"MLP: expected norm None, 'batch' or 'layer', got {norm!r}")
        if not isinstance(dropout, (int, float)) or not 0.0 <= dropout < 1.0:
            raise ValueError(f"MLP: expected dropout in [0, 1), got {dropout!r}")
        layers: OrderedDict[str, Module] = OrderedDict()
        width = in_features
        for i, h in enumerate(sizes):
            layers[f"hidden{i}"] = Linear(width, h)
            if norm == "batch":
                layers[f"norm{i}"] = BatchNorm1d(h)
            elif norm == "layer":
                layers[f"norm{i}"] = LayerNorm(h)
            layers[f"act{i}"] = get_activation(activation, "MLP")
            if dropout > 0:
                layers[f"dropout{i}"] = Dropout(dropout)
            width = h
        layers["output"] = Linear(width, out_features)
        if output_activation is not None:
            layers["output_act"] = get_activation(output_activation, "MLP")
        super().__init__(layers)


def num_parameters(model: Module, trainable_only: bool = False) -> int:
    """The number of weights and biases in ``model`` (shared parameters counted once).

    Example
    -------
    >>> import chainrule as cr
    >>> cr.nn.num_parameters(cr.nn.Linear(3, 2))   # 3·2 weights + 2 biases
    8
    """
    if not isinstance(model, Module):
        raise TypeError(f"num_parameters: expected a Module, got {type(model).__name__}")
    return sum(p.numel() for p in model.parameters() if p.requires_grad or not trainable_only)
