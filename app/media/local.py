"""Images a draft file refers to on the local disk (the CLI): read so the media check can inspect them.

A reference is resolved against the draft file's folder, as a markdown viewer would; URLs, ``data:``
URLs and missing files are left alone. The attachments are keyed by the reference as written.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..document import parse
from ..models import Draft
from .image import Limits


def _local_path(ref: str, base: Path) -> Path | None:
    ref = ref.strip()
    if not ref or ref.startswith(("data:", "//", "#")):
        return None
    parts = urlsplit(ref)
    if parts.scheme and parts.scheme.lower() != "file" and len(parts.scheme) > 1:  # one letter: C:\ on Windows
        return None
    path = Path(unquote(parts.path if parts.scheme.lower() == "file" else ref.split("?", 1)[0].split("#", 1)[0]))
    return path if path.is_absolute() else base / path


def local_images(draft_path: str, draft: Draft, options: dict) -> dict[str, bytes]:
    """Bytes of each local image the draft refers to (at most ``max_bytes + 1`` read of each);
    ``options`` is precheck.toml's ``[media]`` table."""
    if draft_path == "-" or draft.format == "text":
        return {}
    limits = Limits.from_options(options)
    max_bytes, max_images = limits.max_bytes, limits.max_images
    base = Path(draft_path).resolve().parent
    found: dict[str, bytes] = {}
    for m in parse(draft).media:
        if m.kind != "image" or len(found) >= max_images:
            continue
        for ref in (m.url, *m.alternates):
            if not ref or ref in found:
                continue
            path = _local_path(ref, base)
            try:
                if path is not None and path.is_file():
                    with path.open("rb") as fh:
                        found[ref] = fh.read(max_bytes + 1)  # one byte over tells the check it is too large
                    break
            except OSError:
                continue
    return found
