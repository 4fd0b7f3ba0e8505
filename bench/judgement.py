"""How well the checks judge what they find, on labelled sentences in tests/data/judgement/.

    python bench/judgement.py        # figures now, and with the judgement switched off ("before")

Prints ad-law precision and recall on internal and on marketing drafts (an ad-law finding at
warning or above counts as flagged), credit/caption accuracy of the lines under pictures, and
role-mailbox accuracy of e-mail addresses. "before" is the same check without the judgement of
issue 19: every ad-law word flagged (warning inside, error outside), every credit marker a
credit, only exact role local parts (hr@, jubao@) role mailboxes.
"""

from __future__ import annotations

import copy
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import lexicon, pipeline, resources  # noqa: E402
from app.checks import mailbox  # noqa: E402
from app.checks.base import RunOptions  # noqa: E402
from app.document import parse  # noqa: E402
from app.media.credit import CreditLexicon  # noqa: E402
from app.models import Draft  # noqa: E402
from app.settings import get_settings  # noqa: E402

DATA = ROOT / "tests" / "data" / "judgement"
REPEAT = 20


def rows(name: str) -> list[list[str]]:
    out = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            out.append(line.split("\t"))
    return out


def ad_law(res, channel_rows) -> dict:
    by_channel: dict[str, dict[str, int]] = {}
    for channel, expected, body in channel_rows:
        report = pipeline.run(Draft(body=body, channel=channel, checks=["sensitive"]), res)
        flagged = any(f.rule == "sensitive.ad_law" and f.severity in ("warning", "error", "block")
                      for f in report.findings)
        c = by_channel.setdefault(channel, {"tp": 0, "fp": 0, "fn": 0, "tn": 0})
        c[("t" if flagged == (expected == "ad") else "f") + ("p" if flagged else "n")] += 1
    return by_channel


def _pr(c: dict[str, int]) -> str:
    p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
    r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
    n = sum(c.values())
    return f"precision {p:6.1%}  recall {r:6.1%}  ({n} sentences, {c['fp']} false alarms, {c['fn']} missed)"


def accuracy(pairs) -> tuple[float, int, int]:
    right = sum(1 for got, want in pairs if got == want)
    return right / len(pairs), right, len(pairs)


def main() -> int:
    res = resources.load(get_settings(), only={"sensitive"})
    sensitive = res.checks["sensitive"]
    plain = copy.copy(sensitive)
    plain.adlaw = None
    before = copy.copy(res)
    object.__setattr__(before, "checks", {**res.checks, "sensitive": plain})
    data = rows("ad_law.tsv")
    now = ad_law(res, data)
    old = ad_law(before, data)
    docs = [parse(Draft(body=body, channel=channel)) for channel, _, body in data]
    cpu = {}
    for label, check in (("with", sensitive), ("without", plain)):
        t0 = time.process_time()
        for _ in range(REPEAT):
            for d in docs:
                list(check.run(d, RunOptions()))
        cpu[label] = (time.process_time() - t0) * 1e6 / (REPEAT * len(docs))
    print(f"== advertising law ({len(data)} sentences; sensitive check {cpu['with']:.0f} µs CPU per sentence with "
          f"the judgement, {cpu['without']:.0f} µs without, {REPEAT} repeats)")
    for channel in sorted(now):
        print(f"{channel:<10} now     {_pr(now[channel])}")
        print(f"{'':<10} before  {_pr(old[channel])}")

    dirs = res.lexicon_dirs
    credits = CreditLexicon(dirs)
    no_captions = copy.copy(credits)
    no_captions.caption_markers = ()
    lines = rows("credits.tsv")
    for label, lex in (("now", credits), ("before", no_captions)):
        acc, right, n = accuracy([("credit" if lex.read(line).named else "caption", want) for line, want in lines])
        lead = "==" if label == "now" else "  "
        print(f"{lead} credit vs caption {label:<6}: accuracy {acc:6.1%} ({right}/{n})")

    boxes = mailbox.load(dirs)
    exact = frozenset(w.lower() for w in lexicon.read_lines(dirs, "privacy/role_mailboxes.txt")
                      if "@" not in w and not w.startswith("#"))
    addresses = rows("mailboxes.tsv")
    acc, right, n = accuracy([("role" if boxes.is_role(a) else "personal", want) for a, want in addresses])
    print(f"== role mailbox now   : accuracy {acc:6.1%} ({right}/{n})")
    acc, right, n = accuracy([("role" if a.split("@")[0].lower().split("+")[0] in exact else "personal", want)
                              for a, want in addresses])
    print(f"   role mailbox before: accuracy {acc:6.1%} ({right}/{n})  (exact local part in the same word list)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
