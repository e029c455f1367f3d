"""The trained run as a zip of a run folder, written by the library's own ``save_run``."""
from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path
from typing import Any

__all__ = ["RUN_NAME", "run_zip"]

RUN_NAME = "chainrule-playground-run"


def run_zip(session: Any) -> bytes:
    """Zip bytes of a folder ``chainrule-playground-run/`` that ``chainrule predict`` accepts.

    The folder is written into a fresh temporary directory of the server's own
    choosing (nothing from the page names a path) and removed afterwards.
    """
    from ..tabular.run import save_run
    from ..train.history import History
    history = History()
    c = session.curves
    for epoch, train, test in zip(c["epoch"], c["train"], c["test"]):
        history.append(int(epoch), {"loss": train, "val_loss": test})
    buf = io.BytesIO()
    with tempfile.TemporaryDirectory(prefix="chainrule-serve-") as tmp:
        folder = Path(tmp) / RUN_NAME
        pre = session.preprocessor  # the table job's Preprocessor, saved as `chainrule train` does
        paths = save_run(folder, model=session.model, model_config=session.model_config,
                         task=session.task, class_names=list(session.classes),
                         feature_names=list(pre.output_names), target="label",
                         history=history, files={"preprocess.json": {
                             **pre.to_dict(), "target_names": ["label"], "target": None}})
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            for p in sorted(set(paths)):
                z.write(p, f"{RUN_NAME}/{Path(p).name}")
    return buf.getvalue()
