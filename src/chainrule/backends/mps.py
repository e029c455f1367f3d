"""Apple's Metal backend: not available in chainrule (CPU only)."""


def is_available() -> bool:
    """False: chainrule runs on the CPU."""
    return False


def is_built() -> bool:
    """False: chainrule has no Metal backend."""
    return False
