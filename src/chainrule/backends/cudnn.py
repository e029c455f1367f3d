"""cuDNN switches: settable for PyTorch code that sets them, without effect (no GPU)."""

enabled = True
deterministic = False
benchmark = False


def is_available() -> bool:
    """False: chainrule has no GPU backend."""
    return False
