"""Where pages are re-checked: a local process pool (the default) or a Dask cluster.

Dask rather than Ray: the re-scan is a plain map of pure functions over pages, which Dask's
``distributed`` runs with a pip-installable scheduler and workers (``dask scheduler`` /
``dask worker tcp://…``) and no daemon, object store or dashboard of its own to secure; it is a
few MB and starts a two-worker local cluster in about a second, where Ray brings a large runtime
for actors and GPUs that this job does not use.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor

from .worker import check_page


class LocalPool:
    """Worker processes on this machine; each loads the resources once, on its first page."""

    def __init__(self, workers: int | None = None):
        self.workers = workers or os.cpu_count() or 1
        self._pool = ProcessPoolExecutor(max_workers=self.workers)
        self.description = f"local pool of {self.workers} process(es)"

    def prepare(self, spec: dict) -> None:
        self._spec = spec

    def submit(self, rows: list[dict]):
        return self._pool.submit(check_page, self._spec, rows)

    def close(self) -> None:
        self._pool.shutdown(cancel_futures=True)


class DaskCluster:
    """A running Dask scheduler (``tcp://host:8786``); its workers need precheck installed."""

    def __init__(self, address: str, timeout: float = 10):
        try:
            from distributed import Client
        except ImportError:
            raise RuntimeError("--scheduler needs Dask's distributed package: pip install 'precheck[cluster]'") from None
        self._client = Client(address, timeout=timeout)
        self.workers = len(self._client.scheduler_info().get("workers", {}))
        self.description = f"Dask cluster at {address} ({self.workers} worker(s))"

    def prepare(self, spec: dict) -> None:
        # Sent to every worker once, not with each page.
        self._spec = self._client.scatter(spec, broadcast=True, hash=False)

    def submit(self, rows: list[dict]):
        return self._client.submit(check_page, self._spec, rows, pure=False)

    def close(self) -> None:
        self._client.close()
