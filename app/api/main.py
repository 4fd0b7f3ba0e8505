"""The FastAPI application: routers, error handling, resources loaded at start-up."""

from __future__ import annotations

from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI

from .. import __version__
from ..resources import Holder
from ..settings import get_settings
from ..lexicon_reload import LexiconReloader
from . import auth, check, errors, languagetool, lexicons, records, upload, web, words


def create_app(holder: Holder | None = None) -> FastAPI:
    holder = holder or Holder()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        holder.current  # load lexicons and models before the first request, not during it
        app.state.store.start()  # migrations, queued records, retention
        reloader = LexiconReloader(holder, watch=get_settings().watch_lexicons).start()  # SIGHUP, file changes
        yield
        reloader.stop()
        app.state.store.close()

    app = FastAPI(title="precheck", version=__version__, lifespan=lifespan, dependencies=[Depends(auth.gate)],
                  description="Pre-publication checker for WeChat posts (typos, sensitive words, links, media, "
                              "privacy, placeholders) and the approval tier of clause 三(三).")
    app.state.holder = holder
    records.install(app)
    errors.install(app)
    for router in (check.router, upload.router, languagetool.router, web.router, records.router, lexicons.router,
                   words.router):
        app.include_router(router)
    # Generous for JSON escaping (\uXXXX is 6 bytes a character); the exact limit is on characters.
    app.add_middleware(errors.BodySizeLimit, limit=get_settings().max_chars * 12 + 65536,
                       paths={upload.PATH: upload.request_limit(get_settings())})
    return app
