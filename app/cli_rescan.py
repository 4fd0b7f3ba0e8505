"""``precheck rescan``: re-check the audit store's drafts with today's rules and lexicons.

Reports the drafts whose verdict or tier got worse (new block/error findings, a higher tier) and
keeps the run (``rescan_runs``/``rescan_results``); ``--resume RUN`` continues a run that stopped.
"""

from __future__ import annotations

import sys
from datetime import date, datetime, timedelta
from enum import Enum
from typing import Optional

import typer

from .models import CHECK_NAMES


class RescanFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


def _bound(value: str | None, option: str, end: bool) -> str | None:
    from .store.records import to_utc_naive

    if not value:
        return None
    try:
        if len(value) == 10:  # a date: the whole day, so --until 2026-03-31 includes the 31st
            d = date.fromisoformat(value) + (timedelta(days=1) if end else timedelta())
            return datetime.combine(d, datetime.min.time()).isoformat()
        return to_utc_naive(datetime.fromisoformat(value)).isoformat()
    except ValueError:
        from .cli import fail
        fail(f"{option} {value!r} is not an ISO date (2026-03-01) or date-time")


def rescan(
    since: Optional[str] = typer.Option(None, "--since", help="checks made on or after this date (ISO)"),
    until: Optional[str] = typer.Option(None, "--until", help="checks made up to this date, inclusive (ISO)"),
    only_published: bool = typer.Option(False, "--only-published", help="only checks with a recorded publication"),
    checks: Optional[str] = typer.Option(None, "--checks", help="comma-separated checks to re-run (default: all)"),
    format: RescanFormat = typer.Option(RescanFormat.table, "--format", "-f", help="table, json or csv"),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="a Dask scheduler (tcp://host:8786); "
                                            "default: a local process pool"),
    workers: Optional[int] = typer.Option(None, "--workers", min=1, help="local pool size (default: CPU count)"),
    page_size: int = typer.Option(100, "--page-size", min=1, max=10_000, help="drafts per task"),
    resume: Optional[str] = typer.Option(None, "--resume", help="continue the run with this id"),
) -> None:
    """Re-check stored drafts; exit 0 when none got worse, 1 when some did, 2 on a usage error."""
    from .cli import fail
    from .rescan import engines, output, runner
    from .settings import get_settings
    from .store.db import Database, database_url

    wanted = [c.strip() for c in checks.split(",") if c.strip()] if checks else None
    if wanted and (unknown := sorted(set(wanted) - set(CHECK_NAMES))):
        fail(f"--checks: unknown check(s) {', '.join(unknown)}; known: {', '.join(CHECK_NAMES)}")
    if resume and (since or until or only_published or wanted):
        fail("--resume continues a run with its own selection; give no --since/--until/--only-published/--checks")
    params = runner.Params(since=_bound(since, "--since", False), until=_bound(until, "--until", True),
                           only_published=only_published, checks=wanted)
    if params.since and params.until and params.since >= params.until:
        fail("--since must be before --until")
    settings = get_settings()
    db = Database(database_url(settings))
    try:
        db.migrate()
    except Exception as e:  # SQLAlchemyError, OSError: the database is the input here
        fail(f"cannot open the audit store: {str(e).splitlines()[0]}")
    try:
        run, spec = runner.start(db, settings, params, resume)
        engine = engines.DaskCluster(scheduler) if scheduler else engines.LocalPool(workers)
    except (runner.RescanError, RuntimeError, OSError, ValueError) as e:  # ValueError: an unreadable lexicon file
        fail(str(e))
    sys.stderr.write(f"precheck: re-scan {run.id} on {engine.description}\n")
    try:
        run = runner.execute(db, run, spec, engine, page_size=page_size)
    except Exception as e:  # a worker or the database failed: what is stored stays, the cursor says where
        fail(f"re-scan {run.id} stopped ({type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}); "
             f"continue it with --resume {run.id}")
    finally:
        engine.close()
    rows = runner.results(db, run.id)
    if format == RescanFormat.table:
        from rich.console import Console
        Console(highlight=False, soft_wrap=True).print(output.as_table(run, rows))
    else:
        sys.stdout.write((output.as_json(run, rows) + "\n") if format == RescanFormat.json else output.as_csv(run, rows))
    if rows:
        raise typer.Exit(1)
