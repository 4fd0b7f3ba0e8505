"""The outage spool: appends survive, a failed replay keeps what was not written, torn lines are kept aside."""

import multiprocessing

from app.store.spool import Spool


def test_replay_in_order_and_empty_after(tmp_path):
    sp = Spool(tmp_path / "spool")
    for i in range(3):
        sp.append({"id": str(i), "text": "正文"})
    assert sp.pending() == 3
    seen = []
    assert sp.replay(lambda r: seen.append(r["id"])) == 3
    assert seen == ["0", "1", "2"] and sp.pending() == 0


def test_a_failed_write_keeps_the_rest_for_the_next_replay(tmp_path):
    sp = Spool(tmp_path / "spool")
    for i in range(4):
        sp.append({"id": str(i)})

    def flaky(r):
        if r["id"] == "2":
            raise ConnectionError("database went away")
    try:
        sp.replay(flaky)
    except ConnectionError:
        pass
    sp.append({"id": "4"})  # queued meanwhile, into a fresh file
    assert sp.pending() == 3
    seen = []
    sp.replay(lambda r: seen.append(r["id"]))
    assert sorted(seen) == ["2", "3", "4"] and sp.pending() == 0


def test_a_torn_line_is_moved_aside_not_dropped(tmp_path):
    sp = Spool(tmp_path / "spool")
    sp.append({"id": "ok"})
    with open(sp.path, "ab") as f:
        f.write(b'{"id": "torn')
    seen = []
    sp.replay(lambda r: seen.append(r["id"]))
    assert seen == ["ok"]
    assert (tmp_path / "spool" / "unreadable.jsonl").read_bytes().strip() == b'{"id": "torn'


def _append_many(directory, n, tag):
    sp = Spool(directory)
    for i in range(n):
        sp.append({"id": f"{tag}-{i}", "pad": "x" * 5000})  # larger than an atomic pipe write


def test_concurrent_appends_and_replay_lose_nothing(tmp_path):
    directory = tmp_path / "spool"
    procs = [multiprocessing.get_context("fork").Process(target=_append_many, args=(directory, 150, t))
             for t in "abc"]
    for p in procs:
        p.start()
    sp = Spool(directory)
    seen = []
    while any(p.is_alive() for p in procs):
        sp.replay(lambda r: seen.append(r["id"]))
    for p in procs:
        p.join()
    sp.replay(lambda r: seen.append(r["id"]))
    assert sorted(seen) == sorted(f"{t}-{i}" for t in "abc" for i in range(150))
