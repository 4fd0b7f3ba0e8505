"""The rules of a re-scan as plain data, so a worker on another host rebuilds exactly them.

It carries the text of every lexicon file outside the package (``PRECHECK_LEXICON_DIRS`` and the
company overlay from the database) and of the ``precheck.toml`` in effect; the bundled lexicons
come with the installed package, which must be the same release on every worker.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ..settings import Settings


def _folder(d: Path) -> dict[str, str]:
    if not d.is_dir():
        return {}
    return {p.relative_to(d).as_posix(): p.read_text(encoding="utf-8-sig")
            for p in sorted(d.rglob("*")) if p.is_file() and not p.name.startswith(".")}


def build(settings: Settings, overlay: dict[str, str], checks: list[str] | None) -> dict:
    config_text = Path(settings.config).read_text(encoding="utf-8") if settings.config else None
    spec = {"folders": [_folder(d) for d in settings.extra_lexicon_dirs()] + [overlay],
            "config": config_text, "lm_path": str(settings.lm_path) if settings.lm_path else None,
            "max_chars": settings.max_chars, "checks": checks}
    spec["key"] = hashlib.sha256(json.dumps(spec, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]
    return spec


def write_folders(spec: dict, root: Path) -> list[Path]:
    """The spec's lexicon folders written under ``root``, in order (the overlay last)."""
    dirs = []
    for i, files in enumerate(spec["folders"]):
        d = root / f"lexicons-{i}"
        for rel, content in files.items():
            p = d / rel
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(content, encoding="utf-8")
        d.mkdir(parents=True, exist_ok=True)
        dirs.append(d)
    return dirs
