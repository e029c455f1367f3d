"""ONNX export: ONNX Runtime gives chainrule's outputs, for seeded random architectures."""
from __future__ import annotations

import io

import numpy as np
import pytest

import chainrule as cr
from chainrule import nn

onnx = pytest.importorskip("onnx")
ort = pytest.importorskip("onnxruntime")
cro = pytest.importorskip("chainrule.onnx")

ACTIVATIONS = [lambda: nn.ReLU(), lambda: nn.Sigmoid(), lambda: nn.Tanh(),
               lambda: nn.LeakyReLU(0.2), lambda: nn.ELU(0.7), lambda: nn.GELU(),
               lambda: nn.GELU("tanh"), lambda: nn.SiLU(), lambda: nn.Softplus(),
               lambda: nn.Softplus(beta=2.0), lambda: nn.Identity(), lambda: nn.PReLU()]
HEADS = [None, lambda: nn.Softmax(dim=1), lambda: nn.LogSoftmax(dim=1), lambda: nn.Sigmoid()]


def random_model(seed: int) -> tuple[nn.Module, int]:
    """A seeded random MLP: widths, activations, norms, dropout and a head."""
    rng = np.random.default_rng(seed)
    cr.manual_seed(seed)
    n_in = int(rng.integers(1, 9))
    layers: list[nn.Module] = []
    width = n_in
    for _ in range(int(rng.integers(0, 4))):
        h = int(rng.integers(2, 33))
        layers.append(nn.Linear(width, h, bias=bool(rng.random() > 0.15)))
        norm = rng.integers(0, 3)
        if norm == 1:
            layers.append(nn.BatchNorm1d(h))
        elif norm == 2:
            layers.append(nn.LayerNorm(h))
        layers.append(ACTIVATIONS[int(rng.integers(len(ACTIVATIONS)))]())
        if rng.random() < 0.3:
            layers.append(nn.Dropout(0.3))
        width = h
    head = HEADS[int(rng.integers(len(HEADS)))]
    layers.append(nn.Linear(width, int(rng.integers(1 if head in (None, HEADS[3]) else 2, 6))))
    if head is not None:
        layers.append(head())
    model = nn.Sequential(*layers)
    model.train()
    for _ in range(3):  # give BatchNorm running statistics that are not 0 and 1
        model(cr.randn(16, n_in) * 2 + 1)
    return model.eval(), n_in


def run_ort(proto, x: np.ndarray) -> np.ndarray:
    sess = ort.InferenceSession(proto.SerializeToString(), providers=["CPUExecutionProvider"])
    return sess.run(None, {sess.get_inputs()[0].name: x})[0]


@pytest.mark.parametrize("seed", range(24))
def test_random_architectures_match_onnx_runtime(seed):
    model, n_in = random_model(seed)
    proto = cro.export(model, cr.randn(3, n_in), None)
    onnx.checker.check_model(proto, full_check=True)
    for n in (1, 7, 256):
        x = np.random.default_rng(n + seed).normal(size=(n, n_in)).astype(np.float32)
        want = model(cr.tensor(x)).detach().numpy()
        np.testing.assert_allclose(run_ort(proto, x), want, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("opset", [17, 18, 20])
def test_gelu_forms_at_each_opset(opset):
    cr.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 5), nn.GELU(), nn.Linear(5, 5), nn.GELU("tanh"))
    proto = cro.export(model, cr.zeros(2, 3), None, opset_version=opset)
    ops = [n.op_type for n in proto.graph.node]
    assert ("Gelu" in ops) == (opset >= 20) and ("Erf" in ops) == (opset < 20)
    x = np.linspace(-3, 3, 12, dtype=np.float32).reshape(4, 3)
    np.testing.assert_allclose(run_ort(proto, x), model(cr.tensor(x)).detach().numpy(),
                               rtol=1e-5, atol=1e-6)


def test_course_models_and_functional_forward():
    cr.manual_seed(1)

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc1, self.fc2 = nn.Linear(6, 8), nn.Linear(8, 2)

        def forward(self, x):
            return cr.log_softmax(self.fc2(cr.tanh(self.fc1(x.flatten(1)))), dim=1)

    x = np.random.default_rng(0).normal(size=(5, 2, 3)).astype(np.float32)
    for model, inp in [(nn.Perceptron(4), x.reshape(5, 6)[:, :4]),
                       (nn.MLP(6, [8, 4], 3, activation="gelu", norm="layer", dropout=0.1),
                        x.reshape(5, 6)),
                       (nn.Sequential(nn.Flatten(), nn.Linear(6, 2)), x), (Net(), x)]:
        model.eval()
        proto = cro.export(model, cr.tensor(inp[:1]), None)
        np.testing.assert_allclose(run_ort(proto, inp), model(cr.tensor(inp)).detach().numpy(),
                                   rtol=1e-5, atol=1e-6)


def test_writes_a_file_with_names_dynamic_axes_and_float64(tmp_path):
    cr.manual_seed(2)
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2)).double()
    path = tmp_path / "m.onnx"
    cro.export(model, cr.zeros(1, 3, dtype=cr.float64), path, input_names=["features"],
               output_names=["scores"], dynamic_axes={"features": {0: "n"}, "scores": [0]})
    sess = ort.InferenceSession(str(path))
    assert sess.get_inputs()[0].name == "features" and sess.get_inputs()[0].shape == ["n", 3]
    x = np.arange(9, dtype=np.float64).reshape(3, 3)
    np.testing.assert_allclose(sess.run(["scores"], {"features": x})[0],
                               model(cr.tensor(x)).detach().numpy(), rtol=1e-12)
    assert not list(tmp_path.glob("*.tmp*"))


def test_export_leaves_training_mode_and_weights_unchanged():
    model, n_in = random_model(3)
    model.train()
    before = {k: v.numpy().copy() for k, v in model.state_dict().items()}
    cro.export(model, cr.zeros(2, n_in), io.BytesIO())
    assert model.training and all(m.training for m in model.modules())
    after = model.state_dict()
    assert all(np.array_equal(before[k], after[k].numpy()) for k in before)


def test_unsupported_module_and_op_are_named():
    with pytest.raises(cro.ExportError, match=r"HuberLoss.*supported modules: .*Linear"):
        cro.export(nn.Sequential(nn.Linear(2, 2), nn.HuberLoss()), cr.zeros(1, 2), None)

    class Exp(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(2, 2)

        def forward(self, x):
            return self.fc(x).exp()

    with pytest.raises(cro.ExportError, match=r"cannot export the op Exp.*supported ops"):
        cro.export(Exp(), cr.zeros(1, 2), None)
    with pytest.raises(cro.ExportError, match="opset_version between 17"):
        cro.export(nn.Linear(2, 2), cr.zeros(1, 2), None, opset_version=9)
