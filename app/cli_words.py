"""``precheck words``: the words the company uses (``words.txt``), for typo and style."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

words_app = typer.Typer(no_args_is_help=True, help="Words the company uses: never typos, form kept.")


def _folder(folder: Optional[Path]) -> Path:
    from .resources import overlay_dir
    from .settings import get_settings

    return folder if folder is not None else overlay_dir(get_settings())


_FOLDER = typer.Option(None, "--dir", help="lexicon folder to edit (default: the company overlay, "
                                           "<PRECHECK_DATA_DIR>/lexicons)")


@words_app.command("add")
def add(words: list[str] = typer.Argument(..., help="words to accept"), folder: Optional[Path] = _FOLDER) -> None:
    """Accept words; a running service picks the file up on reload (SIGHUP, file watcher)."""
    from . import company_words

    target = _folder(folder)
    try:
        with company_words.lock():
            added = company_words.add(target, words)
    except (company_words.WordError, OSError) as e:
        typer.echo(f"precheck: error: {e}", err=True)
        raise typer.Exit(2)
    typer.echo(f"{len(added)} added to {target / 'words.txt'}" + (f": {' '.join(added)}" if added else ""))


@words_app.command("remove")
def remove(word: str, folder: Optional[Path] = _FOLDER) -> None:
    """Stop accepting a word of that folder's words.txt."""
    from . import company_words

    try:
        with company_words.lock():
            company_words.remove(_folder(folder), word)
    except LookupError as e:
        typer.echo(f"precheck: error: {e}", err=True)
        raise typer.Exit(2)


@words_app.command("list")
def list_words() -> None:
    """Every accepted word and the folder it comes from."""
    from . import company_words
    from .resources import overlay_dir
    from .settings import get_settings

    settings = get_settings()
    dirs = [*settings.lexicon_dirs_all(), overlay_dir(settings)]
    for w, folder in company_words.listing(dirs):
        typer.echo(f"{w}\t{folder}")
