"""A run's network for PyTorch: weights with PyTorch's key names and an architecture file.

The architecture file (``*.torch.json``) lists the layers in order, each with its
name and the ``torch.nn`` class and arguments that rebuild it. This script (run
in CI against real PyTorch) gives a ``torch.nn.Sequential`` with equal outputs::

    import collections, json, torch
    from safetensors.torch import load_file
    arch = json.load(open("model.torch.json"))
    model = torch.nn.Sequential(collections.OrderedDict(
        (layer["name"], getattr(torch.nn, layer["type"])(*layer["args"], **layer["kwargs"]))
        for layer in arch["layers"]))
    model.load_state_dict(load_file("model.safetensors"))
    model.eval()

It takes the features after the run's preprocessing (see ``preprocess.json``,
copied into ``arch["preprocessing"]``) and returns the raw outputs (logits, or
standardised values for a regression trained on a scaled target: see
``arch["target_scaling"]``).
"""
from __future__ import annotations

from typing import Any

__all__ = ["FORMAT", "torch_architecture"]

FORMAT, VERSION = "chainrule-torch-architecture", 1


def _layer(m: Any) -> tuple[str, list[Any], dict[str, Any]]:
    kind = type(m).__name__
    if kind == "Linear":
        return kind, [m.in_features, m.out_features], {"bias": m.bias is not None}
    if kind == "BatchNorm1d":
        return kind, [m.num_features], {"eps": m.eps, "momentum": m.momentum,
                                         "affine": m.affine,
                                         "track_running_stats": m.track_running_stats}
    if kind == "LayerNorm":
        return kind, [list(m.normalized_shape)], {"eps": m.eps,
                                                  "elementwise_affine": m.elementwise_affine,
                                                  "bias": m.bias is not None}
    options = {"LeakyReLU": ["negative_slope"], "ELU": ["alpha"], "GELU": ["approximate"],
               "Softplus": ["beta", "threshold"], "Softmax": ["dim"], "LogSoftmax": ["dim"],
               "Dropout": ["p"], "PReLU": ["num_parameters"], "ReLU": [], "Sigmoid": [],
               "Tanh": [], "SiLU": [], "Identity": []}
    if kind not in options:
        raise ValueError(f"torch export: expected layers among {sorted(options) + ['Linear']}, "
                         f"got {kind}")
    return kind, [], {k: getattr(m, k) for k in options[kind]}


def torch_architecture(model: Any) -> dict[str, Any]:
    """The layers of a Sequential-like model (MLP, Sequential, Perceptron) as torch.nn data.

    Example
    -------
    >>> import chainrule as cr
    >>> arch = torch_architecture(cr.nn.MLP(2, [4], 1, activation="tanh"))
    >>> [(layer["name"], layer["type"], layer["args"]) for layer in arch["layers"]]
    [('hidden0', 'Linear', [2, 4]), ('act0', 'Tanh', []), ('output', 'Linear', [4, 1])]
    """
    if type(model).__name__ == "EmbeddingMLP":
        raise ValueError("torch export: expected a flat sequence of layers, got an EmbeddingMLP "
                         "(text columns embedded); export it as ONNX (--format onnx) or train "
                         "with --categorical onehot")
    layers = []
    for name, child in model.named_children():
        if next(child.children(), None) is not None:
            raise ValueError(f"torch export: expected a flat sequence of layers, got nested "
                             f"{name} ({type(child).__name__})")
        kind, args, kwargs = _layer(child)
        layers.append({"name": name, "type": kind, "args": args, "kwargs": kwargs})
    if type(model).__name__ == "PReLU" or not layers:
        raise ValueError(f"torch export: expected a model made of layers, got "
                         f"{type(model).__name__}")
    return {"format": FORMAT, "version": VERSION, "layers": layers}
