"""SIGINT, SIGTERM and SIGKILL at seeded random moments of a small training run.

SIGINT/SIGTERM stop at a safe point: the run folder then holds a checkpoint and model files of
the same (last completed) epoch, evaluate and predict work on it, and the printed command
resumes it to byte-identical weights. SIGKILL leaves a folder that recovers like a crash."""
import os
import random
import signal
import sys
import time

import numpy as np
import pytest
from fault_harness import (child_stdio, in_child, one_line_error, record, recover, run_cli, sha256,
                           train_args, write_hooks)

from chainrule.cli import main
from chainrule.tabular.run import load_run
from chainrule.train.checkpoint import read_checkpoint

pytest.importorskip("safetensors")
pytestmark = pytest.mark.slow
EPOCHS, EVERY = 8, ["--save-every", "3"]
BATCHES, WRITES = 8 * 3, 6 * 3  # 36 training rows in batches of 12; 3 points per atomic write


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    d = tmp_path_factory.mktemp("straight") / "run"
    start = time.perf_counter()
    code, _, err = run_cli(train_args(d, EPOCHS, *EVERY))
    assert code == 0, err
    return sha256(d / "model.safetensors"), time.perf_counter() - start


def _signal_child(d, sig, moment, log):
    """Train in a child and signal it at ``moment``: ("time", seconds after the start),
    ("batch", k: right after its k-th batch) or ("write", k: at its k-th write point)."""
    kind, value = moment

    def fn():
        me = os.getpid()
        if kind == "batch":
            from chainrule.cli import _safety
            real = _safety.SafeStop.on_batch_end
            count = [0]

            def on_batch_end(self, batch, logs=None):
                count[0] += 1
                if count[0] == value:
                    os.kill(me, sig)
                return real(self, batch, logs)
            _safety.SafeStop.on_batch_end = on_batch_end
        if kind == "write":
            with write_hooks(lambda _, n: os.kill(me, sig) if n == value else None):
                return main(train_args(d, EPOCHS, *EVERY))
        return main(train_args(d, EPOCHS, *EVERY))
    log.write_text("")  # a child killed before it opens its log leaves it empty
    pid = os.fork()
    if pid == 0:
        code = 70
        try:
            child_stdio(log)
            code = fn()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    if kind == "time":
        time.sleep(value)
        os.kill(pid, sig)
    return os.waitpid(pid, 0)[1]


def _works(d, tmp_path):
    """evaluate and predict on a stopped run."""
    code, out, err = run_cli(["evaluate", d, "--dataset", "blobs"])
    assert code == 0 and "accuracy" in out, err
    csv = tmp_path / "x.csv"
    np.savetxt(csv, np.random.default_rng(0).normal(size=(5, 2)), delimiter=",",
               header="x1,x2", comments="")
    code, out, err = run_cli(["predict", d, "--data", csv])
    assert code == 0 and len(out.strip().splitlines()) == 6, err


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL],
                         ids=["SIGINT", "SIGTERM", "SIGKILL"])
def test_signal_at_random_moments(tmp_path, reference, sig):
    ref, duration = reference
    rng = random.Random(int(sig))
    seen = {"stopped": 0, "finished": 0, "killed": 0, "early": 0}
    moments = [("time", rng.uniform(0.0, duration)) for _ in range(2)] + \
        [("batch", rng.randint(1, BATCHES)) for _ in range(3)] + \
        [("write", rng.randint(1, WRITES)) for _ in range(2)]
    for i, moment in enumerate(moments):
        d, log = tmp_path / f"s{i}", tmp_path / f"s{i}.log"
        status = _signal_child(d, sig, moment, log)
        text = log.read_text()
        assert "Traceback" not in text, text[-3000:]
        if os.WIFSIGNALED(status):
            assert os.WTERMSIG(status) in (sig, signal.SIGTERM), status  # before the handler
            seen["killed"] += 1
        elif os.WEXITSTATUS(status) == 0:
            seen["finished"] += 1
        else:
            assert os.WEXITSTATUS(status) == 128 + int(sig), (status, text[-2000:])
            if f"chainrule train --resume {d} --epochs {EPOCHS}" in text:
                seen["stopped"] += 1
                done = read_checkpoint(d)["epoch"]
                assert load_run(d).epochs == done >= 1  # model files of the checkpoint's epoch
            else:  # before the first epoch completed: nothing saved, nothing left to resume
                assert "nothing to save" in text or "interrupted" in text, text[-2000:]
                seen["early"] += 1
        recover(d, EPOCHS, ref)
    if sig != signal.SIGKILL:
        assert seen["killed"] == 0 or sig == signal.SIGTERM
    record(signals=len(moments), failures=0)
    print(signal.Signals(sig).name, seen)


def test_second_train_into_a_running_folder_is_refused_and_touches_nothing(tmp_path):
    d = tmp_path / "busy"
    from chainrule.tabular.lock import RunLock
    d.mkdir()
    with RunLock(d):  # as a training process in another terminal would hold it
        (d / "train.json").write_text("{}")
        before = {p.name: p.read_bytes() for p in d.iterdir()}
        line = one_line_error(*run_cli(train_args(d, 2))[::2])
        assert str(d) in line and f"pid {os.getpid()}" in line
        line = one_line_error(*run_cli(["train", "--resume", d, "--epochs", "3"])[::2])
        assert f"pid {os.getpid()}" in line
        assert {p.name: p.read_bytes() for p in d.iterdir()} == before


def test_a_stopped_run_prints_the_command_that_resumes_it(tmp_path, reference):
    """A SIGTERM delivered from inside the first batch of epoch 3 (deterministic moment)."""
    from chainrule.train import callbacks

    d = tmp_path / "r"

    def fn():
        real = callbacks.Callback.on_epoch_begin

        def begin(self, epoch, logs=None):
            if epoch == 2 and type(self).__name__ == "SafeStop":
                os.kill(os.getpid(), signal.SIGTERM)
            return real(self, epoch, logs)
        callbacks.Callback.on_epoch_begin = begin
        return main(train_args(d, EPOCHS, *EVERY))
    status = in_child(fn, tmp_path / "log")
    text = (tmp_path / "log").read_text()
    assert os.WEXITSTATUS(status) == 143, text
    assert "stopped after epoch 2 of 8" in text
    assert f"Resume with:\n  chainrule train --resume {d} --epochs {EPOCHS}" in text
    assert read_checkpoint(d)["epoch"] == 2 and load_run(d).epochs == 2
    _works(d, tmp_path)
    pytest.importorskip("matplotlib")
    code, _, err = run_cli(["plot", "history", "--run", d, "--out", tmp_path / "h.png"])
    assert code == 0 and (tmp_path / "h.png").stat().st_size > 1000, err
    code, _, err = run_cli(["train", "--resume", d, "--epochs", EPOCHS, "--verbose", "0"])
    assert code == 0, err
    assert sha256(d / "model.safetensors") == reference[0]
    record(signals=1, failures=0)


@pytest.mark.parametrize("schedule, optimizer", [("onecycle", "sgd"), ("cosine", "adamw"),
                                                 ("plateau", "rmsprop"), ("step", "adagrad")])
def test_stop_and_resume_is_exact_for_schedules_and_early_stopping(tmp_path, monkeypatch,
                                                                    schedule, optimizer):
    """A stop after epoch 2 (as SIGTERM would), then --resume: the weights of a straight run."""
    from chainrule.cli import _safety
    real, stop = _safety.SafeStop.on_epoch_end, [False]

    def on_epoch_end(self, epoch, logs=None):
        if epoch == 1 and stop[0]:
            self.signum = signal.SIGTERM
        return real(self, epoch, logs)
    monkeypatch.setattr(_safety.SafeStop, "on_epoch_end", on_epoch_end)
    extra = ["--schedule", schedule, "--optimizer", optimizer, "--early-stopping", "2"]
    assert run_cli(train_args(tmp_path / "a", 4, *extra))[0] == 0
    stop[0] = True
    assert run_cli(train_args(tmp_path / "b", 4, *extra))[0] == 143
    stop[0] = False
    assert load_run(tmp_path / "b").epochs == 2
    code, _, err = run_cli(["train", "--resume", tmp_path / "b", "--epochs", 4, "--verbose", 0])
    assert code == 0, err
    assert sha256(tmp_path / "a" / "model.safetensors") == \
        sha256(tmp_path / "b" / "model.safetensors")
    record(signals=1, failures=0)
