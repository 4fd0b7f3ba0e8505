"""CPU seconds per check on hostile inputs (the families that were once quadratic), and the size of
the answer: prints one line per family and size. ``python bench/hostile.py [chars ...]``"""

from __future__ import annotations

import sys
import time

from app import pipeline, resources
from app.checks.base import RunOptions
from app.document import parse
from app.models import Draft
from app.settings import get_settings


def families(n: int) -> dict[str, tuple[str, str]]:
    return {"http://a.a.a…": ("text", "http://" + "a." * (n // 2)), "<!--<!--… (html)": ("html", "<!--" * (n // 4)),
            "www.www.…": ("text", "www." * (n // 4)), "的的的…": ("text", "的" * n),
            "spaced 赌 博": ("text", ("赌 博 网 站 " * n)[:n])}


def cpu(fn, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.process_time()
        fn()
        best = min(best, time.process_time() - t)
    return best


def main(sizes: list[int]) -> None:
    res = resources.load(get_settings())
    opts = RunOptions(probe_links=False)
    for n in sizes:
        for name, (fmt, body) in families(n).items():
            draft = Draft(body=body, format=fmt)
            doc = parse(draft)
            per = {c: cpu(lambda: list(check.run(doc, opts))) for c, check in res.checks.items()}
            slowest = max(per, key=per.get)
            report = pipeline.run(draft, res)
            total = cpu(lambda: pipeline.run(draft, res), repeat=1)
            print(f"{n:>7} chars  {name:18} slowest check {slowest:10} {per[slowest]:.3f} s CPU   "
                  f"whole pipeline {total:.3f} s   findings {len(report.findings):5}   "
                  f"JSON {len(report.model_dump_json()) / len(body.encode()):.2f}x the input", flush=True)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [25_000, 100_000])
