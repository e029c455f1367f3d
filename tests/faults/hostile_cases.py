"""The hostile run-folder files of the fault suite: how each is made, and what must refuse it.

``CASES`` maps a name to (the file the message must name, a function that damages a copy of a
trained run folder, the commands that must refuse it, words the message must hold).
"""
import hashlib
import json
import os

import numpy as np

EPOCHS = 2
READ = ("predict", "evaluate")  # the commands that load the model files
RESUME = ("resume",)


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def recommit(d):
    """Record the current files' digests in model.json (as a consistent save would)."""
    meta = json.loads((d / "model.json").read_text())
    meta["weights_sha256"] = _digest(d / "model.safetensors")
    meta["files"] = {n: _digest(d / n) for n in meta["files"]}
    (d / "model.json").write_text(json.dumps(meta))


def model_json(fn):
    def change(d):
        meta = json.loads((d / "model.json").read_text())
        fn(meta)
        (d / "model.json").write_text(json.dumps(meta))
    return change


def args_of(**kw):
    return model_json(lambda m: m["model"]["args"].update(kw))


def raw(name, data):
    return lambda d: (d / name).write_bytes(data(d) if callable(data) else data)


def fifo(name):
    def change(d):
        (d / name).unlink()
        os.mkfifo(d / name)
    return change


def symlink(name, target):
    def change(d):
        (d / name).unlink()
        os.symlink(target if target != "self" else d / name, d / name)
    return change


def directory(name):
    def change(d):
        (d / name).unlink()
        (d / name).mkdir()
    return change


def deep(n=100_000):
    return ("[" * n + "]" * n).encode()


def weights(fn, header=None, recommitted=True):
    """Rewrite model.safetensors with changed arrays (fn) or a changed raw header."""
    def change(d):
        import safetensors.numpy as stn
        path = d / "model.safetensors"
        data = path.read_bytes()
        if header is not None:
            n = int.from_bytes(data[:8], "little")
            h = json.loads(data[8:8 + n])
            header(h)
            text = json.dumps(h).encode()
            path.write_bytes(len(text).to_bytes(8, "little") + text + data[8 + n:])
        else:
            arrays = stn.load(data)
            fn(arrays)
            path.write_bytes(stn.save(arrays))  # no chainrule checksum: the content speaks
        if recommitted:
            recommit(d)
    return change


def first(fn):
    return lambda arrays: arrays.__setitem__("hidden0.weight", fn(arrays["hidden0.weight"]))


def preprocess(fn, recommitted=True):
    def change(d):
        data = json.loads((d / "preprocess.json").read_text())
        fn(data)
        (d / "preprocess.json").write_text(json.dumps(data))
        if recommitted:
            recommit(d)
    return change


def train_json(fn):
    def change(d):
        meta = json.loads((d / "train.json").read_text())
        fn(meta)
        (d / "train.json").write_text(json.dumps(meta))
    return change


def checkpoint(state=None, arrays=None):
    """Rewrite the checkpoint with its checksums recomputed (the content must be refused)."""
    def change(d):
        import safetensors.numpy as stn

        from chainrule.train.files import _checksum
        data = (d / "checkpoint.safetensors").read_bytes()
        n = int.from_bytes(data[:8], "little")
        meta = json.loads(data[8:8 + n])["__metadata__"]
        s, arrs = json.loads(meta["chainrule.checkpoint"]), stn.load(data)
        if state is not None:
            state(s)
        if arrays is not None:
            arrays(arrs)
        text = json.dumps(s)
        meta = {"chainrule.checkpoint": text, "chainrule.sha256": _checksum(arrs),
                "chainrule.checkpoint.sha256": hashlib.sha256(text.encode()).hexdigest()}
        (d / "checkpoint.safetensors").write_bytes(stn.save(arrs, metadata=meta))
    return change


def _set_scale(data, value):
    numeric = [c for c in data["columns"] if "scale" in c]
    numeric[0]["scale"] = value


def _deep_pre(data):
    node = data["extra"] = []
    for _ in range(100):
        node.append([])
        node = node[0]


def _nested_state(s):
    node = s["callbacks"] = {}
    for _ in range(100):
        node["x"] = {}
        node = node["x"]


# name: (file named in the message, damage, commands, words in the message)
CASES = {
    # model.json
    "model.json missing": ("model.json", lambda d: (d / "model.json").unlink(), READ,
                           "finish the run"),
    "model.json empty": ("model.json", raw("model.json", b""), READ, "empty file"),
    "model.json truncated": ("model.json", raw("model.json", lambda d: (d / "model.json")
                                               .read_bytes()[:40]), READ, "valid JSON"),
    "model.json a list": ("model.json", raw("model.json", b"[1, 2]"), READ, "chainrule-model"),
    "model.json invalid UTF-8": ("model.json", raw("model.json", b"{\"a\": \"\xff\xfe\"}"),
                                 READ, "UTF-8"),
    "model.json wrong format": ("model.json", model_json(lambda m: m.update(format="x")), READ,
                                "chainrule-model"),
    "model.json unknown version": ("model.json", model_json(lambda m: m.update(version=99)),
                                   READ, "version"),
    "model.json unknown task": ("model.json", model_json(lambda m: m.update(task="ranking")),
                                READ, "task"),
    "class names vs outputs": ("model.json", model_json(
        lambda m: m.update(class_names=["a", "b", "c", "d", "e"])), READ, "3 class names"),
    "class names duplicated": ("model.json", model_json(
        lambda m: m.update(class_names=["a", "a", "b"])), READ, "distinct"),
    "class names not strings": ("model.json", model_json(
        lambda m: m.update(class_names=[1, 2, 3])), READ, "list of strings"),
    "regression with classes": ("model.json", model_json(
        lambda m: m.update(task="regression")), READ, "no class_names"),
    "feature names vs inputs": ("model.json", model_json(
        lambda m: m.update(feature_names=["a", "b", "c"])), READ, "feature names"),
    "in_features huge": ("model.json", args_of(in_features=10**12), READ, "in_features"),
    "hidden width huge (no allocation)": ("model.json", args_of(hidden_sizes=[4_000_000]),
                                          READ, "the size of model.safetensors"),
    "hidden layers too many": ("model.json", args_of(hidden_sizes=[4] * 65), READ, "at most 64"),
    "out_features negative": ("model.json", args_of(out_features=-1), READ, "out_features"),
    "in_features a string": ("model.json", args_of(in_features="2"), READ, "in_features"),
    "in_features a bool": ("model.json", args_of(in_features=True), READ, "in_features"),
    "unknown model argument": ("model.json", args_of(hook="os.system"), READ, "arguments"),
    "model type not allowed": ("model.json", model_json(
        lambda m: m["model"].update(type="os.system")), READ, "model type"),
    "model.json deep nesting": ("model.json", raw("model.json", deep()), READ, "nested"),
    "model.json nested 65 deep": ("model.json", model_json(
        lambda m: m.update(extra=json.loads("[" * 65 + "]" * 65))), READ, "nested"),
    "model.json NaN token": ("model.json", raw("model.json", lambda d: (
        d / "model.json").read_text().replace('"epochs": 2', '"epochs": NaN').encode()),
        READ, "NaN"),
    "model.json 2 MB string": ("model.json", model_json(lambda m: m.update(task="x" * 2**21)),
                               READ, "task"),
    "files names a path": ("model.json", model_json(
        lambda m: m["files"].update({"../train.json": "0" * 64})), READ, "plain file names"),
    "files not a map": ("model.json", model_json(lambda m: m.update(files=[1])), READ, "files"),
    "epochs negative": ("model.json", model_json(lambda m: m.update(epochs=-1)), READ,
                        "non-negative"),
    "target not a string": ("model.json", model_json(lambda m: m.update(target=3)), READ,
                            "target"),
    "model.json a FIFO": ("model.json", fifo("model.json"), READ, "FIFO"),
    "model.json -> /dev/zero": ("model.json", symlink("model.json", "/dev/zero"), READ,
                                "character device"),
    "model.json a folder": ("model.json", directory("model.json"), READ, "directory"),
    "model.json symlink loop": ("model.json", symlink("model.json", "self"), READ, "loop"),
    "model.json dangling symlink": ("model.json", symlink("model.json", "/nonexistent/x"), READ,
                                    "broken symbolic link"),
    "model.json huge (sparse)": ("model.json", lambda d: os.truncate(d / "model.json", 2**30),
                                 READ, "at most"),
    # model.safetensors
    "weights missing": ("model.safetensors", lambda d: (d / "model.safetensors").unlink(),
                        READ, "no such file"),
    "weights empty": ("model.safetensors", raw("model.safetensors", b""), READ, "empty"),
    "weights truncated": ("model.safetensors", lambda d: (
        raw("model.safetensors", (d / "model.safetensors").read_bytes()[:-7])(d), recommit(d)),
        READ, "safetensors"),
    "weights edited (stale digest)": ("model.safetensors", weights(
        first(lambda a: a + 1), recommitted=False), READ, "does not match model.json"),
    "header length huge": ("model.safetensors", lambda d: (raw("model.safetensors", (
        2**62).to_bytes(8, "little") + (d / "model.safetensors").read_bytes()[8:])(d),
        recommit(d)), READ, "header length"),
    "header not JSON": ("model.safetensors", lambda d: (raw("model.safetensors", (
        12).to_bytes(8, "little") + b"not json at all")(d), recommit(d)), READ, "JSON"),
    "header deep nesting": ("model.safetensors", lambda d: (raw("model.safetensors", len(
        deep(5000)).to_bytes(8, "little") + deep(5000))(d), recommit(d)), READ, "nested"),
    "header unknown dtype": ("model.safetensors", weights(None, header=lambda h: h[
        "output.bias"].update(dtype="F99")), READ, "dtype"),
    "header huge shape": ("model.safetensors", weights(None, header=lambda h: h[
        "output.bias"].update(shape=[2**40, 2**40])), READ, "shape"),
    "header negative shape": ("model.safetensors", weights(None, header=lambda h: h[
        "output.bias"].update(shape=[-3])), READ, "shape"),
    "header offsets past the end": ("model.safetensors", weights(None, header=lambda h: h[
        "output.bias"].update(data_offsets=[0, 10**9])), READ, "offsets"),
    "header overlapping tensors": ("model.safetensors", weights(None, header=lambda h: h[
        "output.bias"].update(data_offsets=h["hidden0.bias"]["data_offsets"][:1] + [
            h["hidden0.bias"]["data_offsets"][0] + 12])), READ, "overlapping"),
    "header metadata not strings": ("model.safetensors", weights(None, header=lambda h: h.update(
        __metadata__={"a": 1})), READ, "metadata"),
    "weights NaN": ("model.safetensors", weights(first(lambda a: np.full_like(a, np.nan))),
                    READ, "finite"),
    "weights inf": ("model.safetensors", weights(first(lambda a: np.full_like(a, -np.inf))),
                    READ, "finite"),
    "weights float64": ("model.safetensors", weights(first(lambda a: a.astype(np.float64))),
                        READ, "dtype"),
    "weights int32": ("model.safetensors", weights(first(lambda a: a.astype(np.int32))),
                      READ, "dtype"),
    "weights key missing": ("model.safetensors", weights(
        lambda arrs: arrs.pop("output.bias")), READ, "missing keys"),
    "weights key extra": ("model.safetensors", weights(
        lambda arrs: arrs.update(extra=np.ones(2, np.float32))), READ, "unexpected keys"),
    "weights wrong shape": ("model.safetensors", weights(first(lambda a: a[:, :1].copy())),
                            READ, "shape"),
    "weights bit flip (checksum)": ("model.safetensors", lambda d: (raw(
        "model.safetensors", lambda d: (lambda b: b[:-3] + bytes([b[-3] ^ 4]) + b[-2:])(
            (d / "model.safetensors").read_bytes()))(d), recommit(d)), READ, "checksum"),
    "weights a FIFO": ("model.safetensors", fifo("model.safetensors"), READ, "FIFO"),
    "weights -> /dev/zero": ("model.safetensors", symlink("model.safetensors", "/dev/zero"),
                             READ, "character device"),
    "weights a folder": ("model.safetensors", directory("model.safetensors"), READ,
                         "directory"),
    # preprocess.json (the table job's file, read through read_run_json)
    "preprocess missing": ("preprocess.json", lambda d: (d / "preprocess.json").unlink(), READ,
                           "no such file"),
    "preprocess edited (stale digest)": ("preprocess.json", preprocess(
        lambda p: _set_scale(p, 2.0), recommitted=False), READ, "does not match"),
    "preprocess zero scale": ("preprocess.json", preprocess(lambda p: _set_scale(p, 0.0)), READ,
                              "scale"),
    "preprocess scale a string": ("preprocess.json", preprocess(lambda p: _set_scale(p, "1")),
                                  READ, "scale"),
    "preprocess not a map": ("preprocess.json", lambda d: (raw("preprocess.json", b"[]")(d),
                                                           recommit(d)), READ,
                             "preprocess.json"),
    "preprocess deep nesting": ("preprocess.json", preprocess(_deep_pre), READ, "nested"),
    "preprocess a FIFO": ("preprocess.json", fifo("preprocess.json"), READ, "FIFO"),
    # history.json
    "history garbage": ("history.json", raw("history.json", b"\x00\x01garbage"), READ,
                        "history.json"),
    "history lengths differ": ("history.json", raw("history.json", json.dumps(
        {"epoch": [0, 1], "history": {"loss": [1.0]}}).encode()), READ, "one value per epoch"),
    "history a FIFO": ("history.json", fifo("history.json"), READ, "FIFO"),
    # train.json (resume, and evaluate --dataset reads the generated data's options)
    "train.json random bytes": ("train.json", raw("train.json", os.urandom(64)),
                                RESUME + ("evaluate",), "train.json"),
    "train.json a list": ("train.json", raw("train.json", b"[]"), RESUME + ("evaluate",),
                          "chainrule-train"),
    "train.json unknown setting": ("train.json", train_json(
        lambda m: m["settings"].update(payload=1)), RESUME + ("evaluate",), "settings"),
    "train.json samples huge": ("train.json", train_json(
        lambda m: m["settings"].update(samples=10**12)), RESUME + ("evaluate",), "samples"),
    "train.json 2 MB hidden": ("train.json", train_json(
        lambda m: m["settings"].update(hidden="9," * 2**20)), RESUME, "--hidden"),
    "train.json planned epochs negative": ("train.json", train_json(
        lambda m: m.update(planned_epochs=-5)), RESUME, "planned_epochs"),
    "train.json unknown version": ("train.json", train_json(lambda m: m.update(version=7)),
                                   RESUME, "version"),
    "train.json a FIFO": ("train.json", fifo("train.json"), RESUME + ("evaluate",), "FIFO"),
    "train.json missing": ("train.json", lambda d: (d / "train.json").unlink(), RESUME,
                           "no such file"),
    # checkpoint.safetensors (resume)
    "checkpoint a FIFO": ("checkpoint.safetensors", fifo("checkpoint.safetensors"), RESUME,
                          "FIFO"),
    "checkpoint -> /dev/zero": ("checkpoint.safetensors", symlink("checkpoint.safetensors",
                                                                  "/dev/zero"), RESUME,
                                "character device"),
    "checkpoint truncated": ("checkpoint.safetensors", raw("checkpoint.safetensors", lambda d: (
        d / "checkpoint.safetensors").read_bytes()[:100]), RESUME, "safetensors"),
    "checkpoint NaN weights": ("checkpoint.safetensors", checkpoint(arrays=lambda a: a.update(
        {"/model/output.bias": np.full_like(a["/model/output.bias"], np.nan)})), RESUME,
        "finite"),
    "checkpoint optimizer kind": ("checkpoint.safetensors", checkpoint(
        state=lambda s: s.update(optimizer_type="SGD")), RESUME, "Adam"),
    "checkpoint optimizer keys": ("checkpoint.safetensors", checkpoint(
        state=lambda s: s["optimizer"]["state"]["__items__"][0][1].pop("exp_avg_sq")), RESUME,
        "optimizer state"),
    "checkpoint negative epoch": ("checkpoint.safetensors", checkpoint(
        state=lambda s: s.update(epoch=-1)), RESUME, "non-negative"),
    "checkpoint deep nesting": ("checkpoint.safetensors", checkpoint(state=_nested_state),
                                RESUME, "nested"),
    "checkpoint a folder": ("checkpoint.safetensors", directory("checkpoint.safetensors"),
                            RESUME, "directory"),
    "checkpoint of version 1": ("checkpoint.json", lambda d: (
        (d / "checkpoint.safetensors").unlink(), (d / "checkpoint.json").write_text("{}")),
        RESUME, "version 1"),
}


