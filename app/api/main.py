"""The FastAPI application: routers, error handling, resources loaded at start-up."""

from __future__ import annotations

from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI

from .. import __version__
from .. import resources
from ..resources import Holder
from ..settings import Settings, get_settings
from ..lexicon_reload import LexiconReloader
from ..lexicon_sync import OverlaySync
from ..observability.requests import RequestLog
from ..resources import overlay_dir
from . import auth, check, docs, errors, languagetool, lexicons, ops, paste, records, upload, web, wechat, words


def create_app(settings: Settings | None = None, holder: Holder | None = None) -> FastAPI:
    """The service for ``settings`` (by default read from the environment: this is the application's
    edge, and everything below it is handed the settings instead of reading them)."""
    settings = settings or get_settings()
    holder = holder or Holder(lambda: resources.load(settings))

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        holder.current  # load lexicons and models before the first request, not during it
        app.state.store.start()  # migrations, queued records, retention
        # The admin API's edits, shared with every replica through the database.
        app.state.overlay_sync = OverlaySync(app.state.store, holder, overlay_dir(holder.current.settings),
                                             settings.lexicon_poll_seconds).start()
        reloader = LexiconReloader(holder, watch=settings.watch_lexicons).start()  # SIGHUP, file changes
        yield
        reloader.stop()
        app.state.overlay_sync.stop()
        app.state.store.close()

    app = FastAPI(title="precheck", version=__version__, lifespan=lifespan, dependencies=[Depends(auth.gate)],
                  docs_url=None, redoc_url=None,  # served with their assets by docs.router
                  description="Pre-publication checker for WeChat posts (typos, sensitive words, links, media, "
                              "privacy, placeholders) and the approval tier of clause 三(三).")
    app.state.settings = settings
    app.state.holder = holder
    records.install(app)
    errors.install(app)
    for router in (check.router, upload.router, wechat.router, paste.router, languagetool.router, web.router,
                   records.router, lexicons.router, docs.router, ops.router,
                   words.router):
        app.include_router(router, responses=errors.COMMON_RESPONSES)
    # Generous for JSON escaping (\uXXXX is 6 bytes a character); the exact limit is on characters.
    app.add_middleware(errors.BodySizeLimit, limit=settings.max_chars * 12 + 65536,
                       paths={upload.PATH: upload.request_limit(settings),
                              paste.PATH: paste.MARKUP_FACTOR * settings.max_chars * 6 + 65536})
    app.add_middleware(RequestLog)  # outermost: a refused body is logged and counted too
    return app
