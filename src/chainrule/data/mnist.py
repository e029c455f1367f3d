"""MNIST and Fashion-MNIST from the standard IDX files, downloaded once and verified.

The four ``.gz`` files go to ``<cache>/mnist/`` or ``<cache>/fashion_mnist/``
(cache: ``root``, else ``$CHAINRULE_HOME``, else ``~/.cache/chainrule``) and
are checked against the published SHA-256 sums below. ``base_url`` (or the
environment variable ``CHAINRULE_MNIST_URL`` / ``CHAINRULE_FASHION_MNIST_URL``)
replaces the public mirrors, e.g. with a local server.
"""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from .bunch import DataBunch
from .download import fetch_files, get_cache_dir
from .idx import read_idx

__all__ = ["fashion_mnist", "load_mnist", "mnist"]

FILES = ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
         "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")

# SHA-256 of the published files (the same sums appear in TensorFlow Datasets' checksum
# lists and many projects' download scripts; torchvision lists the matching MD5s).
SHA256 = {
    "mnist": {
        "train-images-idx3-ubyte.gz":
            "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
        "train-labels-idx1-ubyte.gz":
            "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
        "t10k-images-idx3-ubyte.gz":
            "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
        "t10k-labels-idx1-ubyte.gz":
            "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
    },
    "fashion": {
        "train-images-idx3-ubyte.gz":
            "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
        "train-labels-idx1-ubyte.gz":
            "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
        "t10k-images-idx3-ubyte.gz":
            "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
        "t10k-labels-idx1-ubyte.gz":
            "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5",
    },
}

MIRRORS = {
    "mnist": ("https://ossci-datasets.s3.amazonaws.com/mnist/",
              "https://storage.googleapis.com/cvdf-datasets/mnist/"),
    "fashion": ("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
                "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/"
                "data/fashion/"),
}
_ENV = {"mnist": "CHAINRULE_MNIST_URL", "fashion": "CHAINRULE_FASHION_MNIST_URL"}
_FOLDER = {"mnist": "mnist", "fashion": "fashion_mnist"}

CLASSES = {
    "mnist": [str(d) for d in range(10)],
    "fashion": ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
                "Sneaker", "Bag", "Ankle boot"],
}


def _check(array: np.ndarray, name: str) -> None:
    """A file's array must look like MNIST's: images (n, rows, cols) uint8, labels (n,) < 10."""
    if "labels" in name:
        if array.ndim != 1 or array.dtype != np.uint8:
            raise ValueError(f"{name}: expected labels of shape (n,) and dtype uint8, got "
                             f"shape {array.shape} and dtype {array.dtype}")
        if array.size and array.max() > 9:
            raise ValueError(f"{name}: expected labels in [0, 9], got {int(array.max())}")
    elif array.ndim != 3 or array.dtype != np.uint8:
        raise ValueError(f"{name}: expected images of shape (n, rows, cols) and dtype uint8, "
                         f"got shape {array.shape} and dtype {array.dtype}")


def _validate(path: Path, name: str) -> None:
    label = f"{name} (as downloaded)"
    _check(read_idx(path, label), label)


def load_mnist(root: str | os.PathLike[str] | None = None, download: bool = True,
               kind: str = "mnist", base_url: str | None = None,
               checksums: dict[str, str] | None = None, flatten: bool = True,
               normalize: bool = True) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Load MNIST (``kind="mnist"``) or Fashion-MNIST (``kind="fashion"``), downloading once.

    Parameters
    ----------
    root : cache folder (default ``$CHAINRULE_HOME`` or ``~/.cache/chainrule``).
    download : fetch missing files; if False, a missing file is an error.
    base_url : where the four files are (default: the public mirrors).
    checksums : SHA-256 per file name, replacing the published ones (tests).
    flatten : images as rows of 784 features (default) or ``(n, 28, 28)``.
    normalize : float32 in [0, 1] (pixel / 255, default) or the raw uint8 values.

    Shape
    -----
    ``X_train (60000, 784)``, ``y_train (60000,)`` int64, ``X_test (10000, 784)``,
    ``y_test (10000,)`` int64.

    Returns
    -------
    ``(X_train, y_train, X_test, y_test)``.
    """
    if kind not in SHA256:
        raise ValueError(f"load_mnist: expected kind 'mnist' or 'fashion', got {kind!r}")
    folder = Path(root).expanduser() if root is not None else get_cache_dir()
    folder = folder / _FOLDER[kind]
    env = os.environ.get(_ENV[kind])
    urls = (base_url,) if base_url else (env,) if env else MIRRORS[kind]
    sums = dict(SHA256[kind])
    if checksums is not None:
        unknown = set(checksums) - set(FILES)
        if unknown:
            raise ValueError(f"load_mnist: expected checksums for {list(FILES)}, got "
                             f"unknown names {sorted(unknown)}")
        sums.update(checksums)
    paths = fetch_files(FILES, folder, urls, sums, "load_mnist", download=download,
                        validate=_validate)
    arrays = []
    for path in paths:
        a = read_idx(path)
        _check(a, path.name)
        arrays.append(a)
    X_train, y_train, X_test, y_test = arrays
    for X, y, part in ((X_train, y_train, "train"), (X_test, y_test, "t10k")):
        if len(X) != len(y):
            raise ValueError(f"load_mnist: expected as many {part} labels as images, got "
                             f"{len(y)} labels for {len(X)} images")
    if X_train.shape[1:] != X_test.shape[1:]:
        raise ValueError(f"load_mnist: expected train and test images of the same size, got "
                         f"{X_train.shape[1:]} and {X_test.shape[1:]}")

    def images(X: np.ndarray) -> np.ndarray:
        X = X.reshape(len(X), -1) if flatten else X
        return (X.astype(np.float32) / np.float32(255)) if normalize else X

    return (images(X_train), y_train.astype(np.int64), images(X_test),
            y_test.astype(np.int64))


def mnist(root: str | os.PathLike[str] | None = None, download: bool = True,
          base_url: str | None = None, checksums: dict[str, str] | None = None,
          flatten: bool = True, normalize: bool = True) -> DataBunch:
    """MNIST as a :class:`DataBunch` with its test split (``X_test``, ``y_test``).

    The arguments are :func:`load_mnist`'s.
    """
    arrays = load_mnist(root, download, "mnist", base_url, checksums, flatten, normalize)
    return _bunch("mnist", "MNIST handwritten digits, 28x28, 10 classes", arrays)


def fashion_mnist(root: str | os.PathLike[str] | None = None, download: bool = True,
                  base_url: str | None = None, checksums: dict[str, str] | None = None,
                  flatten: bool = True, normalize: bool = True) -> DataBunch:
    """Fashion-MNIST as a :class:`DataBunch` with its test split; see :func:`load_mnist`."""
    arrays = load_mnist(root, download, "fashion", base_url, checksums, flatten, normalize)
    return _bunch("fashion", "Fashion-MNIST clothing images, 28x28, 10 classes", arrays)


def _bunch(kind: str, description: str,
           arrays: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]) -> DataBunch:
    X, y, X_test, y_test = arrays
    n = int(np.prod(X.shape[1:]))
    return DataBunch(X=X, y=y, task="multiclass", target_names=list(CLASSES[kind]),
                     feature_names=[f"pixel_{i}" for i in range(n)], X_test=X_test,
                     y_test=y_test, name=_FOLDER[kind], description=description)
