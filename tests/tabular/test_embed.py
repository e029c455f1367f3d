"""Embedded text columns: the codes of the preprocessing, EmbeddingMLP against PyTorch, and the
model file's checks."""
from __future__ import annotations

import numpy as np
import pytest

import chainrule as cr
from chainrule.tabular import _categories
from chainrule.tabular.embed import EmbeddingMLP, check_embeddings, embedding_size
from chainrule.tabular.preprocess import Preprocessor, describe
from chainrule.tabular.run import build_model, config_sizes
from chainrule.train.errors import ModelFileError


def _cols(n=60, seed=0):
    rng = np.random.default_rng(seed)
    shop = np.array([f"s{v}" for v in rng.integers(0, 40, n)], dtype=object)
    shop[:3] = ["", "NA", None]
    return {"x": rng.normal(size=n), "shop": shop,
            "color": np.array(rng.choice(["red", "blue"], n), dtype=object)}


def test_embed_column_is_one_code_feature_with_other_and_missing():
    cols = _cols()
    p = Preprocessor(categorical="embed").fit(cols)
    shop = next(c for c in p.columns_ if c["name"] == "shop")
    assert shop["encoding"] == "embed" and shop["indicator"]
    text = cols["shop"][3:].astype(str)
    values, counts = np.unique(text, return_counts=True)
    assert shop["categories"] == sorted(values[counts >= 2].tolist())  # seen once: 'other'
    assert p.output_names == ["x", "shop@code", "color@code"]
    k = len(shop["categories"])
    assert p.embeddings == [(1, k + 2), (2, 3)]  # values, other, missing (only shop has one)
    new = {"x": np.array([0.0, 0.0, 0.0, 0.0]),
           "shop": np.array([shop["categories"][1], "never-seen", "", " " +
                             shop["categories"][0] + " "], dtype=object),
           "color": np.array(["red", "blue", "green", None], dtype=object)}
    out = p.transform(new)
    assert out.dtype == np.float32
    assert out[:, 1].tolist() == [1, k, k + 1, 0]
    assert out[:, 2].tolist() == [1, 0, 2, 2]  # color: blue 0, red 1, other 2 (missing too)
    assert "embedded: 'shop' (" in describe(p)


def test_auto_embeds_only_columns_with_more_values_than_max_categories():
    p = Preprocessor(max_categories=10).fit(_cols())  # categorical="onehot" by default
    assert all("encoding" not in c for c in p.columns_)
    p = Preprocessor(max_categories=10, categorical="auto").fit(_cols())
    enc = {c["name"]: c.get("encoding") for c in p.columns_}
    assert enc == {"x": None, "shop": "embed", "color": None}
    assert p.output_names[:2] == ["x", "shop@code"]
    assert p.output_names[2:] == ["color=blue", "color=red", "color=other"]
    assert p.embeddings == [(1, _categories.n_codes(p.columns_[1]))]


def test_round_trip_through_json_and_bad_encoding_refused():
    cols = _cols()
    p = Preprocessor(categorical="auto", max_categories=5).fit(cols)
    q = Preprocessor.from_dict(p.to_dict())
    assert q.categorical == "auto" and q.embeddings == p.embeddings
    np.testing.assert_array_equal(q.transform(cols), p.transform(cols))
    d = p.to_dict()
    d["columns"][1]["encoding"] = "hash"
    with pytest.raises(ValueError, match="expected encoding 'onehot' or 'embed'"):
        Preprocessor.from_dict(d)
    with pytest.raises(ValueError, match="expected categorical among"):
        Preprocessor(categorical="hash")


def test_embedding_size_rule():
    assert [embedding_size(n) for n in (2, 5, 20, 100, 201, 10_000)] == [2, 4, 9, 16, 16, 16]
    assert embedding_size(201, cap=64) == round(1.6 * 201 ** 0.56)


def test_forward_equals_torch_and_gradients_reach_the_tables():
    torch = pytest.importorskip("torch")
    cr.manual_seed(0)
    net = EmbeddingMLP(4, [8, 6], 3, activation="tanh", embeddings=[[1, 7, 3], [3, 5, 2]])
    assert net.mlp_in_features == 2 + 3 + 2
    assert list(net.state_dict()) == ["embeddings.0.weight", "embeddings.1.weight",
                                      "mlp.hidden0.weight", "mlp.hidden0.bias",
                                      "mlp.hidden1.weight", "mlp.hidden1.bias",
                                      "mlp.output.weight", "mlp.output.bias"]
    rng = np.random.default_rng(1)
    x = np.stack([rng.normal(size=10), rng.integers(0, 7, 10), rng.normal(size=10),
                  rng.integers(0, 5, 10)], axis=1).astype(np.float32)
    w = {k: torch.tensor(v.numpy()) for k, v in net.state_dict().items()}
    xt = torch.tensor(x)
    h = torch.cat([xt[:, [0, 2]], torch.nn.functional.embedding(xt[:, 1].long(),
                                                                w["embeddings.0.weight"]),
                   torch.nn.functional.embedding(xt[:, 3].long(), w["embeddings.1.weight"])], 1)
    for name in ("hidden0", "hidden1"):
        h = torch.tanh(h @ w[f"mlp.{name}.weight"].T + w[f"mlp.{name}.bias"])
    want = h @ w["mlp.output.weight"].T + w["mlp.output.bias"]
    out = net(cr.tensor(x))
    np.testing.assert_allclose(out.detach().numpy(), want.numpy(), rtol=1e-5, atol=1e-6)
    out.sum().backward()
    g = net.embeddings[0].weight.grad.numpy()
    used = np.unique(x[:, 1].astype(int))
    assert np.abs(g[used]).sum() > 0 and np.all(g[np.setdiff1d(np.arange(7), used)] == 0)


def test_codes_out_of_range_or_fractional_are_refused():
    net = EmbeddingMLP(2, [4], 1, embeddings=[[0, 3, 2]])
    for bad in (3.0, -1.0, 0.5):
        with pytest.raises(ValueError, match=r"expected codes 0\.\.2 in column 0"):
            net(cr.tensor([[bad, 0.0]]))
    with pytest.raises(ValueError, match=r"expected input \(N, 2\)"):
        net(cr.zeros(1, 3))


@pytest.mark.parametrize("spec,match", [
    ([], "non-empty list"), ([[0, 3]], "non-negative integers"), ([[5, 3, 2]], "in \\[0, 2\\)"),
    ([[0, 3, 2], [0, 4, 2]], "distinct"), ([[0, 1 << 20, 16]], "embedding parameters"),
    ([[0, 3, True]], "non-negative integers")])
def test_check_embeddings_refuses(spec, match):
    with pytest.raises(ValueError, match=match):
        check_embeddings(spec, 2)


def test_model_config_is_validated_before_building():
    good = {"type": "EmbeddingMLP", "args": {"in_features": 3, "hidden_sizes": [4],
                                             "out_features": 2, "embeddings": [[2, 5, 3]]}}
    assert config_sizes(good) == [3, 4, 2]
    assert type(build_model(good)).__name__ == "EmbeddingMLP"
    for embeddings in ([[3, 5, 3]], [[0, 1 << 24, 16]], "x"):
        bad = {**good, "args": {**good["args"], "embeddings": embeddings}}
        with pytest.raises(ModelFileError):
            config_sizes(bad)
    with pytest.raises(ModelFileError, match="expected MLP arguments among"):
        config_sizes({**good, "args": {**good["args"], "tables": 1}})
    with pytest.raises(ModelFileError, match="expected MLP arguments among"):
        config_sizes({"type": "MLP", "args": {**good["args"]}})  # embeddings: not an MLP arg


def test_the_python_api_on_a_dataframe_builds_the_embedding_model():
    pd = pytest.importorskip("pandas")
    from chainrule.tabular.job import make_settings, prepare
    rng = np.random.default_rng(0)
    df = pd.DataFrame({"x": rng.normal(size=200),
                       "shop": [f"s{v}" for v in rng.integers(0, 50, 200)],
                       "label": rng.choice(["a", "b"], 200)})
    job = prepare(make_settings(data="t.csv", target="label", hidden="8"), data=df)
    assert job.model_config["type"] == "EmbeddingMLP"
    (column, n, d), = job.model_config["args"]["embeddings"]
    assert column == 1 and n == len(job.preprocessor.columns_[1]["categories"]) + 1
    assert d == embedding_size(n) and job.X_train.shape[1] == 2
    assert "embeddings shop" in job.describe()
    job = prepare(make_settings(data="t.csv", target="label", categorical="onehot"), data=df)
    assert job.model_config["type"] == "MLP" and job.X_train.shape[1] == 32  # 30 + other + x
    with pytest.raises(ValueError, match="--categorical: expected"):
        make_settings(categorical="hash")
