"""Media check speed: credit lines over a long post, and inspection of one image by size.

Run: .venv/bin/python bench/media.py   (prints figures; asserts nothing)
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from app import pipeline, resources  # noqa: E402
from app.media.image import Limits, inspect  # noqa: E402
from app.models import Draft  # noqa: E402
from app.settings import get_settings  # noqa: E402
from media_images import encode, photo, qr_png  # noqa: E402


def timed(fn, n: int) -> list[float]:
    out = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def main() -> None:
    res = resources.load(get_settings(), only={"media"})
    para = "公司年会于上周五举行，各部门同事共同回顾了一年的工作成果。" * 4
    blocks = []
    for i in range(100):
        blocks.append(para)
        blocks.append(f"![现场{i}](img/{i}.jpg)")
        blocks.append("摄影：张三" if i % 3 else "图片来源：新华网")
    body = "\n\n".join(blocks)
    draft = Draft(body=body, format="markdown")
    ms = timed(lambda: pipeline.run(draft, res), 20)
    print(f"credit lines: {len(body)} chars, 100 images: p50 {statistics.median(ms):.1f} ms, "
          f"{len(body) / statistics.median(ms) * 1000:,.0f} chars/s")

    limits = Limits()
    for label, data in (("QR 360x360 PNG", qr_png("https://www.gov.cn/")),
                        ("photo 1080x720 JPEG", encode(photo(1080, 720), "JPEG")),
                        ("photo 4000x3000 JPEG", encode(photo(4000, 3000), "JPEG"))):
        ms = timed(lambda: inspect(data, limits), 5)
        print(f"inspect {label} ({len(data) // 1024} KB): p50 {statistics.median(ms):.1f} ms, max {max(ms):.1f} ms")


if __name__ == "__main__":
    main()
