"""``precheck assets hash FILE…``: the difference hash of the account's own images, for the
``[own] hashes`` list of ``lexicons/media_own.toml``."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from .image import ImageRefused, Limits, inspect

assets_app = typer.Typer(add_completion=False, no_args_is_help=True,
                         help="the account's own images (lexicons/media_own.toml)")


@assets_app.command("hash")
def hash_images(files: list[Path] = typer.Argument(..., help="image files: the logo, the footer QR code …")) -> None:
    """Print each image's 64-bit difference hash (16 hex digits) and its name, one a line."""
    failed = False
    for path in files:
        try:
            facts = inspect(path.read_bytes(), Limits(qr=False), path.name)
        except OSError as e:
            sys.stderr.write(f"precheck: error: {path}: {e.strerror or e}\n")
            failed = True
            continue
        except ImageRefused as e:
            sys.stderr.write(f"precheck: error: {e.message}\n")
            failed = True
            continue
        typer.echo(f'"{facts.dhash:016x}",  # {path.name} {facts.width}×{facts.height}')
    if failed:
        raise typer.Exit(2)
