"""precheck links import-feed: URLhaus CSV and host lists into the company deny list."""

from __future__ import annotations

from typer.testing import CliRunner

from app.cli import app
from app.links.rules import evaluate, load_data
from app.settings import bundled_lexicon_dir

URLHAUS = """\
################################################################
# abuse.ch URLhaus Database Dump (CSV - recent URLs)           #
################################################################
# id,dateadded,url,url_status,last_online,threat,tags,urlhaus_link,reporter
"3100001","2026-11-20 09:58:04","http://evil-dropper.example/bins/x86","online","","malware_download","elf","https://urlhaus.abuse.ch/url/3100001/","anonymous"
"3100002","2026-11-20 09:57:01","http://203.0.113.7:8080/i","online","","malware_download","","https://urlhaus.abuse.ch/url/3100002/","anonymous"
"3100003","2026-11-20 09:50:01","https://github.com/someone/repo/raw/main/a.exe","online","","malware_download","exe","https://urlhaus.abuse.ch/url/3100003/","anonymous"
"3100004","2026-11-20 09:49:01","http://evil-dropper.example/bins/arm","online","","malware_download","elf","https://urlhaus.abuse.ch/url/3100004/","anonymous"
"""

HOSTS = """\
# phishing hosts
phish.example
0.0.0.0 ads.tracker.example
https://login-verify.example/path
localhost
not a host!
"""


def _import(tmp_path, name, text):
    feed = tmp_path / name
    feed.write_text(text, encoding="utf-8")
    return CliRunner().invoke(app, ["links", "import-feed", str(feed), "--data-dir", str(tmp_path / "data")])


def _deny(tmp_path):
    return load_data([bundled_lexicon_dir(), tmp_path / "data" / "lexicons"])


def test_urlhaus_csv(tmp_path):
    r = _import(tmp_path, "urlhaus.csv", URLHAUS)
    assert r.exit_code == 0, r.output
    assert "urlhaus: 2 hosts added" in r.output and "1 allow-listed hosts skipped" in r.output
    data = _deny(tmp_path)
    assert [i.rule for i in evaluate("https://evil-dropper.example/x", data)] == ["link.deny"]
    assert "link.deny" in [i.rule for i in evaluate("http://3405803783/", data)]  # 203.0.113.7 in decimal
    assert [i.rule for i in evaluate("https://github.com/x", data)] == []
    again = _import(tmp_path, "urlhaus.csv", URLHAUS)
    assert "0 hosts added" in again.output and "2 already listed" in again.output


def test_host_list_and_hosts_file_lines(tmp_path):
    r = _import(tmp_path, "hosts.txt", HOSTS)
    assert r.exit_code == 0, r.output
    assert "hosts: 3 hosts added" in r.output and "2 lines without a host" in r.output
    listed = (tmp_path / "data" / "lexicons" / "domains" / "deny.txt").read_text(encoding="utf-8")
    assert {"phish.example", "ads.tracker.example", "login-verify.example"} <= set(listed.split())
    assert "localhost" not in listed.split()


def test_bad_feeds_exit_2_with_one_line(tmp_path):
    for name, content in (("empty.txt", "# nothing\n"), ("junk.txt", "!!!\n???\n")):
        r = _import(tmp_path, name, content)
        assert r.exit_code == 2 and r.output.count("\n") == 1 and "error" in r.output
    r = CliRunner().invoke(app, ["links", "import-feed", str(tmp_path / "missing.csv")])
    assert r.exit_code == 2 and "No such file" in r.output
    (tmp_path / "feed.zip").write_bytes(b"PK\x03\x04\x00\x00binary")
    r = CliRunner().invoke(app, ["links", "import-feed", str(tmp_path / "feed.zip")])
    assert r.exit_code == 2 and "binary" in r.output
