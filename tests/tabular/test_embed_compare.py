"""Embeddings against one-hot with the cap, through the command line, on a seeded table whose
200-value text column carries most of the signal (held-out rows from the same distribution)."""
from __future__ import annotations

import io
from contextlib import redirect_stdout

import numpy as np
import pytest

from chainrule.cli import main

pytestmark = pytest.mark.slow
K = 200


def _table(path, seed, n):
    effect = np.random.default_rng(123).normal(0, 1.5, K)
    rng = np.random.default_rng(seed)
    shop, x1, x2 = rng.integers(0, K, n), rng.normal(size=n), rng.normal(size=n)
    logit = effect[shop] + 0.8 * x1 - 0.5 * x2
    y = rng.random(n) < 1 / (1 + np.exp(-logit))
    with open(path, "w") as f:
        f.write("x1,x2,shop,label\n")
        f.writelines(f"{a:.4f},{b:.4f},s{c:03d},{'yes' if t else 'no'}\n"
                     for a, b, c, t in zip(x1, x2, shop, y))
    return float(np.mean((logit > 0) == y))  # the best any model can do


def _accuracy(tmp_path, categorical):
    run = tmp_path / categorical
    with redirect_stdout(io.StringIO()):
        assert main(["train", "--data", str(tmp_path / "train.csv"), "--target", "label",
                     "--categorical", categorical, "--hidden", "32", "--epochs", "25",
                     "--lr", "0.005", "--early-stopping", "5", "--out", str(run),
                     "--verbose", "0", "--no-figures"]) == 0
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["evaluate", str(run), "--data", str(tmp_path / "test.csv")]) == 0
    return float(out.getvalue().split("accuracy")[1].split()[0])


def test_embeddings_beat_one_hot_capped_at_30_on_a_200_value_column(tmp_path):
    _table(tmp_path / "train.csv", 0, 2000)
    bayes = _table(tmp_path / "test.csv", 1, 3000)
    onehot, embed = _accuracy(tmp_path, "onehot"), _accuracy(tmp_path, "embed")
    print(f"held-out accuracy: one-hot (30 + other) {onehot:.4f}, embedded {embed:.4f}, "
          f"Bayes {bayes:.4f}")
    assert embed >= onehot + 0.02, (embed, onehot)
    assert embed <= bayes + 0.02
