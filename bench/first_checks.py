"""Speed of the privacy, style and claims checks over a 100,000-character draft.

Prints chars/s for each check alone (parse excluded), for the three together through the pipeline
(parse included), and for the autocorrect engine on its own. Run: python bench/first_checks.py
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import autocorrect_py  # noqa: E402

from app import pipeline, resources  # noqa: E402
from app.checks.base import RunOptions  # noqa: E402
from app.document import parse  # noqa: E402
from app.models import Draft  # noqa: E402
from app.settings import get_settings  # noqa: E402

CHECKS = ("privacy", "style", "claims")
SIZE = 100_000
REPEAT = 7


def draft_text() -> str:
    """Realistic notices with a few problems sprinkled in, repeated to SIZE characters."""
    parts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests/data/clean").glob("*.txt"))]
    parts.append((ROOT / "tests/fixtures/notice.txt").read_text(encoding="utf-8"))
    parts.append("据说本次發佈會将邀请VIP客户！！联系人邮箱 zhangsan@example.com,电话 13812345678。\n")
    unit = "\n\n".join(parts)
    return (unit * (SIZE // len(unit) + 1))[:SIZE]


def best(fn) -> float:
    times = []
    for _ in range(REPEAT):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times), statistics.median(times)


def main() -> None:
    text = draft_text()
    t0 = time.perf_counter()
    res = resources.load(get_settings(), only=set(CHECKS))
    load_ms = (time.perf_counter() - t0) * 1000
    doc = parse(Draft(body=text))
    opts = RunOptions()
    print(f"draft: {len(text):,} characters; resources for {', '.join(CHECKS)} loaded in {load_ms:.0f} ms")
    total_best = 0.0
    for name in CHECKS:
        check = res.checks[name]
        hits = list(check.run(doc, opts))
        b, med = best(lambda: list(check.run(doc, opts)))
        total_best += b
        print(f"  {name:8s} {len(text) / b / 1e6:6.2f} M chars/s  (best {b * 1000:6.1f} ms, median {med * 1000:6.1f} ms, "
              f"{len(hits)} hits)")
    print(f"  three checks, sum of best runs: {len(text) / total_best / 1e6:.2f} M chars/s ({total_best * 1000:.1f} ms)")
    draft = Draft(body=text, checks=list(CHECKS))
    b, med = best(lambda: pipeline.run(draft, res))
    print(f"  pipeline (parse + three checks + tier): {len(text) / b / 1e6:.2f} M chars/s "
          f"(best {b * 1000:.1f} ms, median {med * 1000:.1f} ms)")
    b, _ = best(lambda: autocorrect_py.format(text))
    print(f"  autocorrect format (the call style.cjk_spacing makes): {len(text) / b / 1e6:.2f} M chars/s "
          f"(best {b * 1000:.1f} ms)")
    b, _ = best(lambda: autocorrect_py.lint_for(text, "text"))
    print(f"  autocorrect lint_for (per-line fallback): {len(text) / b / 1e6:.2f} M chars/s (best {b * 1000:.1f} ms)")


if __name__ == "__main__":
    main()
