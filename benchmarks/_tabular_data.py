"""The tables of ``tabular.py``: scikit-learn's toy sets (with a text column and 3 % missing
cells, seeded) and mnist10k as DataFrames with their train/test split, scikit-learn's
Pipeline for them, and the held-out score."""
from __future__ import annotations

from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
MNIST = ROOT.parent / "shared" / "data" / "mnist10k.npz"


def _with_extras(X: np.ndarray, y: np.ndarray, names: list[str], seed: int):  # noqa: N803
    """A DataFrame: the features with 3 % missing cells and a text column from a binned feature."""
    import pandas as pd
    rng = np.random.default_rng(seed)
    df = pd.DataFrame(X.astype(np.float64), columns=names)
    q = np.quantile(X[:, 0], [0.25, 0.5, 0.75])
    labels = np.array(["low", "mid", "high", "top"])[np.searchsorted(q, X[:, 0])]
    flip = rng.random(len(y)) < 0.1
    labels[flip] = rng.choice(["low", "mid", "high", "top"], flip.sum())
    df["band"] = labels
    mask = rng.random(df.shape) < 0.03
    df = df.mask(mask)
    df["target"] = y
    return df


def datasets(only: set[str] | None) -> list[tuple[str, str, object, np.ndarray, np.ndarray]]:
    """(name, task, DataFrame, train index, test index) for each dataset."""
    import pandas as pd
    from sklearn import datasets as skd
    from sklearn.model_selection import train_test_split
    out = []
    loaders = {"iris": skd.load_iris, "wine": skd.load_wine,
               "breast_cancer": skd.load_breast_cancer, "digits": skd.load_digits,
               "diabetes": skd.load_diabetes}
    for name, load in loaders.items():
        if only and name not in only and not (name == "diabetes" and "diabetes_units" in only):
            continue
        b = load()
        names = [str(n).replace(" ", "_") for n in (b.feature_names if hasattr(
            b, "feature_names") else range(b.data.shape[1]))]
        df = _with_extras(b.data, b.target, names, seed=0)
        reg = name == "diabetes"
        idx = np.arange(len(df))
        tr, te = train_test_split(idx, test_size=0.25, random_state=0,
                                  stratify=None if reg else b.target)
        if not only or name in only:
            out.append((name, "regression" if reg else "classification", df, tr, te))
        if reg and (not only or "diabetes_units" in only):
            d2 = df.copy()
            d2["target"] = d2["target"] * 3000 + 2e5
            out.append(("diabetes_x3000+2e5", "regression", d2, tr, te))
    if (not only or "mnist10k" in only) and MNIST.exists():
        d = np.load(MNIST)
        df = pd.DataFrame(d["X"], columns=[f"px{j}" for j in range(784)])
        df["target"] = d["y"]
        out.append(("mnist10k", "classification", df, d["train_idx"], d["test_idx"]))
    return out


def _sklearn(task: str, df, seed: int = 0, ols: bool = False):
    import pandas as pd
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LinearRegression
    from sklearn.neural_network import MLPClassifier, MLPRegressor
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler
    feats = [c for c in df.columns if c != "target"]
    text = [c for c in feats if not pd.api.types.is_numeric_dtype(df[c])]
    nums = [c for c in feats if c not in text]
    pre = ColumnTransformer([
        ("num", Pipeline([("impute", SimpleImputer(strategy="median")),
                          ("scale", StandardScaler())]), nums),
        ("cat", Pipeline([("impute", SimpleImputer(strategy="most_frequent")),
                          ("onehot", OneHotEncoder(handle_unknown="ignore"))]), text)])
    if ols:
        model = LinearRegression()
    else:
        model = MLPRegressor(random_state=seed) if task == "regression" else \
            MLPClassifier(random_state=seed)
    return Pipeline([("pre", pre), ("model", model)]), feats


def _score(task: str, y_true, y_pred) -> float:
    from sklearn.metrics import accuracy_score, r2_score
    return float(r2_score(y_true, y_pred) if task == "regression" else
                 accuracy_score(y_true, y_pred))
