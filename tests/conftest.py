"""Fixtures shared by the whole test suite (keep this file small)."""
from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest

import chainrule as cr


@pytest.fixture(autouse=True)
def _restore_global_state() -> Iterator[None]:
    """A test that changes the default dtype or grad mode and fails midway does not leak it."""
    dtype, enabled = cr.get_default_dtype(), cr.is_grad_enabled()
    yield
    cr.set_default_dtype(dtype)
    cr.set_grad_enabled(enabled)


@pytest.fixture
def rng() -> np.random.Generator:
    """A NumPy generator with a fixed seed, for test inputs."""
    return np.random.default_rng(0)
