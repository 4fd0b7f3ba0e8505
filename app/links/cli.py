"""``precheck links ...``: maintenance of the link-safety data."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

links_app = typer.Typer(no_args_is_help=True, help="Link safety data: import threat feeds into the deny list.")


@links_app.command("import-feed")
def import_feed(
    file: Path = typer.Argument(..., help="URLhaus CSV export, or a plain list of hosts / URLs / hosts-file lines"),
    data_dir: Optional[Path] = typer.Option(None, "--data-dir", help="default: PRECHECK_DATA_DIR"),
) -> None:
    """Add the feed's hosts to <data_dir>/lexicons/domains/deny.txt (allow-listed hosts are never added)."""
    from ..resources import overlay_dir
    from ..settings import get_settings
    from .feeds import FeedError
    from .feeds import import_feed as run_import

    settings = get_settings()
    if data_dir is not None:
        settings = settings.model_copy(update={"data_dir": data_dir})
    try:
        result = run_import(file, overlay_dir(settings), settings.lexicon_dirs_all())
    except FeedError as e:
        Console(stderr=True, highlight=False, soft_wrap=True).print(f"precheck: error: {e}", markup=False)
        raise typer.Exit(2)
    Console(highlight=False, soft_wrap=True).print(
        f"{result.format}: {result.added} hosts added to {result.path}; {result.already} already listed, "
        f"{result.skipped_allowed} allow-listed hosts skipped, {result.invalid} lines without a host. "
        "A running service reads them at its next reload.", markup=False)
