"""``PROMETHEUS_MULTIPROC_DIR`` for ``precheck serve --workers N``: one fresh folder per start.

Worker processes inherit the variable and write their samples there; a folder left by an earlier
run would add that run's counts to this one's, so it is made new (or emptied, when the operator
chose its place) and removed at exit.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

VAR = "PROMETHEUS_MULTIPROC_DIR"


@contextmanager
def metrics_dir(workers: int) -> Iterator[Path | None]:
    if workers <= 1 and not os.environ.get(VAR):
        yield None  # one process: the samples stay in its memory
        return
    chosen = os.environ.get(VAR)
    if chosen:
        path = Path(chosen)
        path.mkdir(parents=True, exist_ok=True)
        for stale in path.glob("*.db"):
            stale.unlink()
    else:
        path = Path(tempfile.mkdtemp(prefix="precheck-metrics-"))
        os.environ[VAR] = str(path)
    try:
        yield path
    finally:
        if not chosen:
            shutil.rmtree(path, ignore_errors=True)
            os.environ.pop(VAR, None)
