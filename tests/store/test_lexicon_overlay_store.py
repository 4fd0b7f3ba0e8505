"""The company lexicon overlay kept in the database: two processes with their own folders share it."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.databases import database_url  # noqa: F401  (the fixture, both databases)

from app.lexicon_sync import OverlaySync, local_files, materialize, read_overlay
from app.sensitive import overlay as folder
from app.settings import Settings
from app.store import AuditStore


class CountingHolder:
    """Stands for the process's resources: counts rebuilds (``reload_if_changed`` calls ``reload``)."""

    def __init__(self, dirs):
        self.reloads = 0
        self.dirs = dirs
        self._version = self._hash()

    def _hash(self):
        from app import lexicon
        return lexicon.version(self.dirs)

    @property
    def current(self):
        return type("R", (), {"lexicon_dirs": self.dirs, "lexicon_version": self._version})()

    def reload(self):
        self.reloads += 1
        self._version = self._hash()


def replica(url: str, root: Path) -> tuple[OverlaySync, list[Path]]:
    settings = Settings(database_url=url, data_dir=root)
    over = root / "lexicons"
    dirs = [*settings.lexicon_dirs_all(), over]
    return OverlaySync(AuditStore(settings), CountingHolder(dirs), over, 1.0), dirs


def add(sync: OverlaySync, dirs, term: str, category: str = "confidential") -> None:
    with sync.edit():
        folder.add(dirs, sync.overlay, category, term, [], 32)


def test_an_edit_on_one_replica_reaches_the_other(database_url, tmp_path):  # noqa: F811
    a, dirs_a = replica(database_url, tmp_path / "a")
    b, dirs_b = replica(database_url, tmp_path / "b")
    a.store.db.migrate()
    add(a, dirs_a, "甲方案")
    add(b, dirs_b, "乙方案")  # b starts from a's edit, so neither is lost
    assert b.version == 2
    assert a.pull() is True and a.holder.reloads == 1 and a.version == 2
    assert a.pull() is False  # nothing new: no rebuild
    text = (a.overlay / "sensitive" / "confidential.txt").read_text(encoding="utf-8")
    assert "甲方案" in text and "乙方案" in text
    with b.store.session() as s:
        version, files = read_overlay(s)
    assert version == 2 and files == local_files(a.overlay) == local_files(b.overlay)
    with a.edit():
        folder.remove(dirs_a, a.overlay, "confidential", "甲方案")
    assert b.pull() is True
    assert "甲方案" not in (b.overlay / "sensitive" / "confidential.txt").read_text(encoding="utf-8")


def test_a_failed_edit_stores_nothing(database_url, tmp_path):  # noqa: F811
    a, dirs = replica(database_url, tmp_path / "a")
    a.store.db.migrate()
    add(a, dirs, "丙方案")
    with pytest.raises(folder.TermError):
        add(a, dirs, "丙方案")  # duplicate
    with a.store.session() as s:
        assert read_overlay(s)[0] == 1


def test_earlier_folder_edits_are_adopted_by_a_fresh_database(database_url, tmp_path):  # noqa: F811
    a, _ = replica(database_url, tmp_path / "a")
    materialize(a.overlay, {"sensitive/confidential.txt": "旧词条\n"})
    a.store.db.migrate()
    a.start()
    a.stop()
    b, _ = replica(database_url, tmp_path / "b")
    assert b.pull() is True
    assert (b.overlay / "sensitive" / "confidential.txt").read_text(encoding="utf-8") == "旧词条\n"

