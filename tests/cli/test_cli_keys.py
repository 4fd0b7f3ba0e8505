"""``precheck keys``: made once, shown once, refused clearly."""

import os
import subprocess
import sys

from support import ROOT


def keys(*args, tmp_path, url=None):
    env = {**os.environ, "PRECHECK_DATA_DIR": str(tmp_path)}
    if url:
        env["PRECHECK_DATABASE_URL"] = url
    return subprocess.run([sys.executable, "-m", "app.cli", "keys", *args], capture_output=True, text=True,
                          env=env, cwd=str(ROOT), timeout=60)


def test_create_list_revoke(tmp_path):
    made = keys("create", "--role", "admin", "--name", "行政部", tmp_path=tmp_path)
    assert made.returncode == 0 and made.stdout.startswith("pck_")
    listed = keys("list", tmp_path=tmp_path)
    assert "行政部" in listed.stdout and "admin" in listed.stdout and made.stdout.strip() not in listed.stdout
    assert (tmp_path / "precheck.db").exists()
    again = keys("create", "--role", "editor", "--name", "行政部", tmp_path=tmp_path)
    assert again.returncode == 2 and again.stderr.strip() == "precheck: error: a key named '行政部' exists already"
    assert keys("revoke", "行政部", tmp_path=tmp_path).returncode == 0
    gone = keys("revoke", "行政部", tmp_path=tmp_path)
    assert gone.returncode == 2 and "no active key named" in gone.stderr


def test_bad_role_and_unreachable_database_exit_2(tmp_path):
    assert keys("create", "--role", "boss", tmp_path=tmp_path).returncode == 2
    r = keys("create", "--role", "editor", tmp_path=tmp_path, url="postgresql://postgres@127.0.0.1:1/none")
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1
    assert r.stderr.startswith("precheck: error: the database is unavailable")
