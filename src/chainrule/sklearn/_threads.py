"""BLAS threads inside parallel workers: keep joblib/Dask workers from oversubscribing cores.

joblib's loky workers already start with BLAS limited to cores // n_jobs (it
sets the thread variables in the child). A Dask worker process does not: there
the estimators limit BLAS (threadpoolctl) to the worker's own thread count
while they fit, so n workers × 1 thread use n cores, not n × cores.
"""
from __future__ import annotations

import contextlib
import sys
from typing import Any, Iterator


def _dask_worker_threads() -> int | None:
    if "distributed" not in sys.modules:  # never import Dask just to ask
        return None
    try:
        from distributed import get_worker
        return int(get_worker().state.nthreads)
    except (ValueError, AttributeError, ImportError):
        return None


@contextlib.contextmanager
def blas_limits() -> Iterator[Any]:
    """Limit BLAS threads for the duration of a fit when running inside a Dask worker."""
    n = _dask_worker_threads()
    if n is None:
        yield None
        return
    from threadpoolctl import threadpool_limits
    with threadpool_limits(limits=n, user_api="blas") as limits:
        yield limits


def blas_threads() -> int:
    """The largest BLAS thread count in this process now (what a fit would use)."""
    from threadpoolctl import threadpool_info
    counts = [int(i.get("num_threads", 1)) for i in threadpool_info()
              if i.get("user_api") == "blas"]
    return max(counts, default=1)
