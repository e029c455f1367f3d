"""Rendering helpers for the figure tests: each figure is drawn to PNG and inspected."""
from __future__ import annotations

import io
from typing import Any

import numpy as np
import pytest

pytest.importorskip("matplotlib")


def render(fig: Any) -> np.ndarray:
    """The figure as an RGBA array of its PNG (float in [0, 1])."""
    from matplotlib.image import imread
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100)
    buf.seek(0)
    return imread(buf, format="png")


def assert_picture(fig: Any, size_inches: tuple[float, float], min_colors: int = 8) -> np.ndarray:
    """The PNG has the expected size (100 dpi), is not blank and uses several colours."""
    img = render(fig)
    w, h = size_inches
    assert img.shape[:2] == (round(h * 100), round(w * 100))
    rgb = img[..., :3].reshape(-1, 3)
    assert rgb.std() > 0.05, "the picture is (almost) blank"
    colors = np.unique((rgb * 255).astype(np.uint8), axis=0)
    assert len(colors) >= min_colors, f"only {len(colors)} colours"
    return img
