"""ONNX import: files from chainrule, torch.onnx.export and skl2onnx come back as trainable
modules whose forward equals ONNX Runtime."""
from __future__ import annotations

import io
import warnings

import numpy as np
import pytest

import chainrule as cr
from chainrule import nn

ort = pytest.importorskip("onnxruntime")
cro = pytest.importorskip("chainrule.onnx")

from .test_export import random_model, run_ort  # noqa: E402


def _out(module, x):
    return module(cr.tensor(x)).detach().numpy()


def _trains(module, x):
    params = list(module.parameters())
    before = [p.detach().numpy().copy() for p in params]
    opt = cr.optim.SGD(params, lr=0.1)
    (module(cr.tensor(x)) ** 2).mean().backward()
    opt.step()
    return any(not np.array_equal(b, p.detach().numpy()) for b, p in zip(before, params))


@pytest.mark.parametrize("seed", range(20))
def test_chainrule_round_trip(seed):
    model, n_in = random_model(seed)
    proto = cro.export(model, cr.zeros(2, n_in), None)
    back = cro.import_model(proto.SerializeToString())
    x = np.random.default_rng(seed).normal(size=(7, n_in)).astype(np.float32)
    np.testing.assert_allclose(_out(back, x), run_ort(proto, x), rtol=1e-5, atol=1e-5)
    if any(isinstance(m, nn.Linear) for m in model.modules()):
        assert _trains(back.train(), x)


def test_plain_chain_comes_back_as_sequential(tmp_path):
    cr.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2)).eval()
    cro.export(model, cr.zeros(1, 3), tmp_path / "m.onnx")
    back = cro.import_model(tmp_path / "m.onnx")
    assert isinstance(back, nn.Sequential) and isinstance(back[0], nn.Linear)
    np.testing.assert_array_equal(back[0].weight.detach().numpy(), model[0].weight.detach().numpy())


torch = pytest.importorskip("torch")


def _torch_mlp(seed: int):
    torch.manual_seed(seed)
    acts = [torch.nn.ReLU(), torch.nn.GELU(), torch.nn.Tanh(), torch.nn.Sigmoid(),
            torch.nn.LeakyReLU(0.05), torch.nn.ELU(), torch.nn.Softplus(),
            torch.nn.GELU(approximate="tanh")]
    layers = [torch.nn.Linear(5, 16), torch.nn.BatchNorm1d(16), acts[seed % len(acts)],
              torch.nn.Linear(16, 8), torch.nn.LayerNorm(8), acts[(seed + 3) % len(acts)],
              torch.nn.Dropout(0.2), torch.nn.Linear(8, 3)]
    if seed % 2:
        layers.append(torch.nn.Softmax(dim=1))
    model = torch.nn.Sequential(*layers)
    with torch.no_grad():
        model(torch.randn(32, 5) * 3 + 1)  # running statistics
    return model.eval()


@pytest.mark.parametrize("opset", [17, 20])
@pytest.mark.parametrize("seed", range(4))
def test_torch_onnx_export_files(seed, opset):
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(_torch_mlp(seed), (torch.randn(2, 5),), buf, dynamo=False,
                          opset_version=opset, input_names=["x"], dynamic_axes={"x": {0: "n"}})
    back = cro.import_model(buf.getvalue())
    sess = ort.InferenceSession(buf.getvalue())
    for n in (1, 7, 256):
        x = np.random.default_rng(n).normal(size=(n, 5)).astype(np.float32)
        np.testing.assert_allclose(_out(back, x), sess.run(None, {"x": x})[0], rtol=1e-5,
                                   atol=1e-5)
    assert _trains(back.train(), x)


skl2onnx = pytest.importorskip("skl2onnx")


def _sklearn_cases():
    from sklearn.neural_network import MLPClassifier, MLPRegressor
    X = np.random.default_rng(0).normal(size=(120, 4)).astype(np.float32)
    return X, [
        (MLPClassifier(hidden_layer_sizes=(6,), max_iter=300, random_state=0),
         (X[:, 0] > 0).astype(int)),
        (MLPClassifier(hidden_layer_sizes=(6, 5), activation="tanh", max_iter=300,
                       random_state=0),
         np.array(["a", "b", "c"])[(X[:, 0] > 0).astype(int) + (X[:, 1] > 0)]),
        (MLPRegressor(hidden_layer_sizes=(6,), activation="logistic", max_iter=300,
                      random_state=0), X[:, 0] * 3),
        (MLPRegressor(hidden_layer_sizes=(7, 3), max_iter=300, random_state=0), X[:, :2]),
    ]


@pytest.mark.parametrize("zipmap", [True, False])
def test_skl2onnx_mlps_return_probabilities_or_values(zipmap):
    X, cases = _sklearn_cases()
    for est, y in cases:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            est.fit(X, y)
        classifier = hasattr(est, "classes_")
        options = {id(est): {"zipmap": False}} if classifier and not zipmap else None
        proto = skl2onnx.to_onnx(est, X[:1], options=options)
        back = cro.import_model(proto.SerializeToString())
        got = _out(back, X)
        if classifier:
            np.testing.assert_allclose(got, est.predict_proba(X), rtol=1e-5, atol=1e-6)
            labels = np.asarray(back.classes_)[got.argmax(axis=1)]
            assert (labels == est.predict(X)).all()
        else:
            np.testing.assert_allclose(got.reshape(est.predict(X).shape), est.predict(X),
                                       rtol=1e-4, atol=1e-5)
        assert _trains(back.train(), X)


def test_bad_files_raise_one_clear_error(tmp_path):
    proto = cro.export(nn.Linear(2, 2), cr.zeros(1, 2), None).SerializeToString()
    for bad in (proto[: len(proto) // 2], b"\x00\xffnot onnx at all" * 10, b""):
        with pytest.raises(cro.OnnxImportError, match="onnx import"):
            cro.import_model(bad)
    with pytest.raises(cro.OnnxImportError, match="no such file"):
        cro.import_model(tmp_path / "missing.onnx")
    (tmp_path / "dir.onnx").mkdir()
    with pytest.raises(cro.OnnxImportError, match="regular file"):
        cro.import_model(tmp_path / "dir.onnx")


def test_unsupported_op_is_named():
    from onnx import TensorProto, helper
    node = helper.make_node("Conv", ["x", "w"], ["y"], name="conv1")
    graph = helper.make_graph(
        [node], "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 1, 3, 3])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)],
        [helper.make_tensor("w", TensorProto.FLOAT, [1, 1, 1, 1], [1.0])])
    with pytest.raises(cro.OnnxImportError, match=r"unsupported op 'Conv' \(node 'conv1'\)"):
        cro.import_model(helper.make_model(graph))
