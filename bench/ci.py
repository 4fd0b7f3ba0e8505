"""What the CI features cost, in CPU time (median of repeats): the template source map against a plain
Jinja2 render, moving findings back into the template, inline silencing, baseline fingerprints, folder
walking.

    .venv/bin/python bench/ci.py [--repeat 7]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import baseline, pipeline, resources, suppress, template_map, walk  # noqa: E402
from app.document import parse  # noqa: E402
from app.models import Draft  # noqa: E402
from app.project_config import load  # noqa: E402

LINE = "- {{ d.date }}：{{ d.what }}，请大家按装新版客户端，联系人{{ who | upper }}。\n"


def cpu(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.process_time()
        fn()
        times.append(time.process_time() - t0)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=7)
    n = ap.parse_args().repeat

    template = "# {{ title }}\n\n{% for d in days -%}\n" + LINE + "{% endfor %}\n结尾。\n"
    variables = {"title": "通知", "who": "zhang", "days": [{"date": f"{i}日", "what": "放假"} for i in range(500)]}
    env = template_map.environment(None)
    plain = cpu(lambda: env.from_string(template).render(**variables), n)
    mapped = cpu(lambda: template_map.render(template, variables), n)
    m = template_map.render(template, variables)
    print(f"template, 500 loop passes ({len(m.rendered):,} characters rendered): plain render {plain * 1000:.1f} ms, "
          f"with source map {mapped * 1000:.1f} ms")

    res = resources.load()
    draft = Draft(body=m.rendered, format="markdown")
    report = pipeline.run(draft, res)
    print(f"  {len(report.findings)} findings; remap to the template {cpu(lambda: m.remap(report), n) * 1000:.1f} ms")

    body = "".join(f"<!-- precheck-disable-next-line typo -->\n请大家按装新版客户端。第{i}段。\n\n" for i in range(500))
    d = Draft(body=body, format="markdown")
    r = pipeline.run(d, res, inline_config=False)
    doc = parse(d)
    t_sup = cpu(lambda: suppress.apply(doc, r.findings), n)
    print(f"inline silencing, 500 comments, {len(r.findings)} findings: {t_sup * 1000:.1f} ms")
    t_fp = cpu(lambda: baseline.fingerprints(r, body), n)
    print(f"baseline fingerprints of {len(r.findings)} findings: {t_fp * 1000:.1f} ms")

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / ".git").mkdir()
        (root / ".gitignore").write_text("build/\n*.tmp.md\n", encoding="utf-8")
        for i in range(2000):
            p = root / f"d{i % 20}" / ("build" if i % 10 == 0 else "") / f"post{i}.md"
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text("x", encoding="utf-8")
        files = load(None).config.section("files")
        found = walk.walk(root, files)
        print(f"folder walk, 2,000 files in 40 folders ({len(found)} kept): {cpu(lambda: walk.walk(root, files), n) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
