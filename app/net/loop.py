"""One background event loop per process for network work started from synchronous code.

The pipeline runs checks synchronously (in FastAPI's threadpool, or the CLI). Link probing and
media downloads are async; running them on one long-lived loop, instead of ``asyncio.run`` per
request, lets every request share one connection pool, one cache and one global concurrency limit.
"""

from __future__ import annotations

import asyncio
import os
import threading
from typing import Any, Coroutine

_lock = threading.Lock()
_state: tuple[int, asyncio.AbstractEventLoop, threading.Thread] | None = None


def _start() -> tuple[int, asyncio.AbstractEventLoop, threading.Thread]:
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="precheck-net", daemon=True)
    thread.start()
    return os.getpid(), loop, thread


def get_loop() -> asyncio.AbstractEventLoop:
    global _state
    with _lock:
        # After a fork the child has the loop object but not its thread: start a fresh one.
        if _state is None or _state[0] != os.getpid() or not _state[2].is_alive():
            _state = _start()
        return _state[1]


def run(coro: Coroutine[Any, Any, Any], timeout: float | None = None) -> Any:
    """Run ``coro`` on the shared loop and wait for its result (``TimeoutError`` after ``timeout``)."""
    loop = get_loop()
    if threading.current_thread() is _state[2]:
        coro.close()
        raise RuntimeError("app.net.loop.run called from the network loop itself; await the coroutine instead")
    future = asyncio.run_coroutine_threadsafe(coro, loop)
    try:
        return future.result(timeout)
    except TimeoutError:
        future.cancel()
        raise
