"""Lets the optim tests import their shared helper (``optim_parity.py`` beside this file), and
runs torch single-threaded in them: its thread pool makes these tiny ops ~100x slower on a
busy 2-core machine."""
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)


@pytest.fixture(autouse=True)
def _torch_single_thread() -> Iterator[None]:
    try:
        import torch
    except ImportError:
        yield
        return
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)
