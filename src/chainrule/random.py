"""The library's random number generator: one seeded NumPy Generator.

Everything random in chainrule (initialisation, dropout, shuffling, `randn`)
draws from :data:`default_generator` unless a ``generator`` is passed, so
``manual_seed`` makes a run reproducible.
"""
from __future__ import annotations

from typing import Any

import numpy as np


class Generator:
    """A seedable source of random numbers wrapping ``numpy.random.Generator``.

    Example
    -------
    >>> g = Generator().manual_seed(0)
    >>> float(g.np.random()) == float(Generator().manual_seed(0).np.random())
    True
    """

    def __init__(self, seed: int | None = None) -> None:
        self.np = np.random.default_rng(seed)
        self._seed = seed

    def manual_seed(self, seed: int) -> Generator:
        if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool):
            raise TypeError(f"manual_seed: expected an int seed, got {type(seed).__name__}")
        self.np = np.random.default_rng(int(seed))
        self._seed = int(seed)
        return self

    def initial_seed(self) -> int | None:
        return self._seed

    def get_state(self) -> dict[str, Any]:
        """The bit generator's state as plain data (JSON-serialisable)."""
        return dict(self.np.bit_generator.state)

    def set_state(self, state: dict[str, Any]) -> None:
        bg = np.random.PCG64()
        bg.state = state  # type: ignore[assignment]
        self.np = np.random.Generator(bg)


default_generator = Generator()


def manual_seed(seed: int) -> Generator:
    """Seed the library's default generator: the same seed gives the same numbers.

    Example
    -------
    >>> import chainrule as cr
    >>> _ = cr.manual_seed(0); a = cr.randn(3)
    >>> _ = cr.manual_seed(0); bool((a == cr.randn(3)).all())
    True
    """
    return default_generator.manual_seed(seed)


def get_rng_state() -> dict[str, Any]:
    return default_generator.get_state()


def set_rng_state(state: dict[str, Any]) -> None:
    default_generator.set_state(state)


def _rng(generator: Generator | None) -> np.random.Generator:
    return (generator or default_generator).np


def seed() -> int:
    """Seed the default generator from the operating system's entropy; return the seed."""
    s = int(np.random.SeedSequence().generate_state(1, np.uint64)[0] >> 1)
    default_generator.manual_seed(s)
    return s


def initial_seed() -> int | None:
    """The seed the default generator was last seeded with (None if never)."""
    return default_generator.initial_seed()
