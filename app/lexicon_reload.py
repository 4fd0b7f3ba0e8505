"""Reloading the resources when the lexicons change: on SIGHUP, and when a lexicon file changes.

The watcher runs ``watchfiles`` in a daemon thread over every lexicon folder (bundled,
``PRECHECK_LEXICON_DIRS``, the company overlay) and reloads only when the content hash of the
lexicons differs from the one in effect, so an edit made through the admin API (which reloads by
itself) is not built twice. ``PRECHECK_WATCH_LEXICONS=false`` turns the watcher off.
"""

from __future__ import annotations

import logging
import signal
import threading
from pathlib import Path

from . import lexicon
from .resources import Holder

log = logging.getLogger("precheck")


def reload_if_changed(holder: Holder) -> bool:
    res = holder.current
    if lexicon.version(res.lexicon_dirs) == res.lexicon_version:
        return False
    holder.reload()
    return True


class LexiconReloader:
    def __init__(self, holder: Holder, watch: bool):
        self.holder = holder
        self.watch = watch
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._reloading = threading.Lock()

    def start(self) -> "LexiconReloader":
        self._install_sighup()
        if self.watch:
            dirs = [Path(d) for d in self.holder.current.lexicon_dirs]
            for d in dirs[-1:]:  # the overlay may not exist yet; it must, to be watched
                d.mkdir(parents=True, exist_ok=True)
            existing = [str(d) for d in dirs if d.is_dir()]
            self._thread = threading.Thread(target=self._watch, args=(existing,), name="lexicon-watch", daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _reload(self, why: str) -> None:
        with self._reloading:  # a burst of signals or file events builds one at a time
            try:
                if reload_if_changed(self.holder):
                    log.info("lexicons reloaded (%s)", why)
            except Exception:  # a broken lexicon file must not kill the watcher; the old one stays
                log.exception("reloading the lexicons failed (%s); the previous ones stay in effect", why)

    def _install_sighup(self) -> None:
        if not hasattr(signal, "SIGHUP") or threading.current_thread() is not threading.main_thread():
            return
        try:
            import asyncio

            loop = asyncio.get_running_loop()
            loop.add_signal_handler(signal.SIGHUP, self._on_sighup)
        except (RuntimeError, NotImplementedError, ValueError):
            # No running loop, or a loop without signal support (the Windows proactor, some
            # embedders): fall back to a plain handler.
            signal.signal(signal.SIGHUP, lambda *_: self._on_sighup())

    def _on_sighup(self) -> None:
        # Never build in the event loop: a thread does it while requests go on with the old lexicon.
        threading.Thread(target=self._force_reload, name="lexicon-sighup", daemon=True).start()

    def _force_reload(self) -> None:
        with self._reloading:
            try:
                self.holder.reload()
                log.info("lexicons reloaded (SIGHUP)")
            except Exception:
                log.exception("reloading on SIGHUP failed; the previous resources stay in effect")

    def _watch(self, dirs: list[str]) -> None:
        from watchfiles import watch

        try:
            for _changes in watch(*dirs, stop_event=self._stop, debounce=300, step=50, raise_interrupt=False):
                self._reload("file change")
        except Exception:
            log.exception("the lexicon watcher stopped; use SIGHUP or POST /v1/admin/lexicons/reload")
