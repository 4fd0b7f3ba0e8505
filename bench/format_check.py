"""CPU time of the format check on a 135editor-style article (inline styles on every element).

    python bench/format_check.py [--copies 60] [--repeat 5]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.checks.base import RunOptions  # noqa: E402
from app.checks.format import FormatCheck  # noqa: E402
from app.document import parse  # noqa: E402
from app.format.house import from_config  # noqa: E402
from app.models import Draft  # noqa: E402

SECTION = (
    '<section style="font-family: 微软雅黑, sans-serif; font-size: 15px; line-height: 1.75em; color: #3f3f3f;">'
    '<h2 style="font-size: 20px; text-align: center;">年终总结大会圆满召开</h2>'
    '<p style="text-align: justify;">12月28日，公司在总部召开年终总结大会，全体员工参加。会上表彰了年度优秀团队和个人。</p>'
    '<p style="text-align: justify;">大会要求各部门总结经验，<span style="font-size: 11px; color: #d9d9d9;">'
    '（本段文字较小）</span>为明年工作打好基础。</p>'
    '<p style="font-family: 楷体; line-height: 1.2;">——行政部</p><p><img src="a.jpg"></p>'
    '</section>')


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--copies", type=int, default=60)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    body = SECTION * args.copies
    doc = parse(Draft(body=body, format="html"))
    check = FormatCheck(from_config({}))
    times = []
    for _ in range(args.repeat):
        t0 = time.process_time()
        hits = list(check.run(doc, RunOptions()))
        times.append(time.process_time() - t0)
    best = min(times)
    print(f"{len(body):,} characters of HTML, {len(hits)} findings: best {best * 1000:.1f} ms CPU, "
          f"median {sorted(times)[len(times) // 2] * 1000:.1f} ms ({len(body) / best / 1e6:.2f} M characters/s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
