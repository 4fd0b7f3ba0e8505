"""Re-checking one page of stored drafts; runs in a pool process or on a Dask worker.

Each process builds the resources of a spec once (the first page it gets) and keeps them for the
following pages: loading the lexicons and the language model costs far more than a page of drafts.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from . import compare, spec as specs

_loaded: dict[str, object] = {}  # spec key -> Resources, at most one in practice
loads = 0  # resources built by this process (one per spec; Dask's client.run reads it)


def resources_for(spec: dict):
    global loads
    res = _loaded.get(spec["key"])
    if res is None:
        loads += 1
        from .. import resources
        from ..config import load_config
        from ..settings import Settings

        root = Path(tempfile.mkdtemp(prefix="precheck-rescan-"))
        *extra, overlay = specs.write_folders(spec, root)
        config_path = None
        if spec["config"] is not None:
            config_path = root / "precheck.toml"
            config_path.write_text(spec["config"], encoding="utf-8")
        # The overlay folder is <data_dir>/lexicons: put it there instead of rewriting resources.load.
        data_dir = root / "data"
        data_dir.mkdir()
        os.replace(overlay, data_dir / "lexicons")
        settings = Settings(lexicon_dirs=os.pathsep.join(str(d) for d in extra), data_dir=data_dir,
                            config=config_path, lm_path=spec["lm_path"], max_chars=spec["max_chars"],
                            probe_links=False, redis_url=None, database_url=None, watch_lexicons=False)
        only = set(spec["checks"]) if spec["checks"] else None
        _loaded.clear()
        res = _loaded[spec["key"]] = resources.load(settings, load_config(config_path), only=only)
    return res


def check_page(spec: dict, rows: list[dict]) -> dict:
    """``{"checked": n, "worse": [...]}`` for a page of stored checks (see ``source.Row``)."""
    from .. import pipeline
    from ..models import Draft

    res = resources_for(spec)
    checks = set(spec["checks"]) if spec["checks"] else None
    out = []
    for row in rows:
        draft = Draft(body=row["body"], title=row["title"], format=row["format"],
                      author={"id": row["author_id"], "type": row["author_type"], "department": row["department"]},
                      checks=spec["checks"], probe_links=False)
        new = pipeline.run(draft, res, probe_links=False).model_dump(mode="json")
        change = compare.worse(json.loads(row["report"]), new, checks)
        if change is not None:
            out.append({"check_id": row["id"], "created_at": row["created_at"], **change})
    return {"checked": len(rows), "worse": out, "lexicon_version": res.lexicon_version}
