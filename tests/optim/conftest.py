"""Lets the optim tests import their shared helper (``optim_parity.py`` beside this file)."""
import sys
from pathlib import Path

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)
