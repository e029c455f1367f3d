"""Settings of `chainrule train` and the job they build."""
import numpy as np
import pytest

from chainrule.tabular.job import make_settings, prepare


def test_settings_defaults_and_parsing():
    s = make_settings()
    assert s["dataset"] == "spirals" and s["hidden"] == [128, 64] and s["seed"] == 0
    assert make_settings(hidden="none")["hidden"] == []
    assert make_settings(hidden=" 8, 4 ")["hidden"] == [8, 4]


@pytest.mark.parametrize("kwargs, match", [
    (dict(hidden="64,x"), "--hidden"), (dict(hidden="0"), "--hidden"),
    (dict(activation="swish"), "--activation"), (dict(epochs=0), "--epochs"),
    (dict(batch_size=-3), "--batch-size"), (dict(val_split=1.0), "--val-split"),
    (dict(dropout=1.0), "--dropout"), (dict(lr=-1.0), "--lr: expected a positive number"),
    (dict(lr=0.0), "--lr"), (dict(seed=-1), "--seed"), (dict(noise=-0.1), "--noise"),
    (dict(data="a.csv", dataset="moons"), "both"), (dict(target="y"), "--target"),
    (dict(task="ranking"), "--task"), (dict(schedule="linear"), "--schedule"),
    (dict(optimizer="lion"), "--optimizer"), (dict(momentum=1.0), "--momentum"),
    (dict(bogus=1), "expected options"),
])
def test_bad_settings_name_the_option(kwargs, match):
    with pytest.raises(ValueError, match=match):
        make_settings(**kwargs)


def test_prepare_generated_and_csv(tmp_path):
    job = prepare(make_settings(dataset="moons", samples=100, hidden="8"))
    assert job.task == "binary" and job.model_config["args"]["out_features"] == 1
    assert job.y_train.shape == (80, 1) and job.y_train.dtype == np.float32
    assert job.settings["noise"] is None and job.settings["lr"] == 0.0015
    assert abs(job.X_train.mean()) < 1e-5  # standardised on train
    p = tmp_path / "t.csv"
    p.write_text("a,b,kind\n" + "".join(f"{i},{i % 3},{'xyz'[i % 3]}\n" for i in range(30)))
    job = prepare(make_settings(data=str(p), hidden="4", val_split=0.0))
    assert (job.task, job.class_names, job.target, job.X_val) == \
        ("multiclass", ["x", "y", "z"], "kind", None)
    assert job.feature_names == ["a", "b"] and len(job.data_sha256) == 64
    assert job.preprocess_file()["columns"][0]["name"] == "a"
    with pytest.raises(ValueError, match="--task: expected a task that fits"):
        prepare(make_settings(dataset="sine", task="binary", samples=20))
    with pytest.raises(ValueError, match="--samples/--noise"):
        prepare(make_settings(data=str(p), samples=10))
    with pytest.raises(ValueError, match="no such file"):
        prepare(make_settings(data=str(tmp_path / "none.csv")))


def test_prepare_from_a_dataframe_with_text_and_missing_cells():
    pd = pytest.importorskip("pandas")
    rng = np.random.default_rng(0)
    df = pd.DataFrame({"x": rng.normal(size=60), "city": rng.choice(["a", "b", None], 60),
                       "y": rng.choice(["no", "yes"], 60)})
    df.loc[3, "x"] = np.nan
    job = prepare(make_settings(data="frame", target="y", hidden="4"), data=df)
    assert job.task == "binary" and job.input_names == ["x", "city"]
    assert job.feature_names[:2] == ["x", "x_missing"] and "city=missing" in job.feature_names
    assert np.isfinite(job.X_train).all() and job.X_train.shape[1] == len(job.feature_names)
