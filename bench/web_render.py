"""The check form with a large draft in Debian's Chromium: server time, render time, main-thread stall.

    python bench/web_render.py [--chars 100000] [--every 40] [--runs 3]

A problem ([X] placeholder) every ``--every`` characters, an emoji on every line; the page is driven
exactly as an author uses it (paste, Ctrl+Enter). Prints, per run: findings, the server's time, the
page's render time (its synchronous work, from ``data-render-ms``), the longest main-thread task seen
during the check (PerformanceObserver "longtask"), the page's main-thread CPU time for the whole check
(Chromium's ThreadTime metric: sending, parsing the report, rendering and layout; unlike wall time it
does not grow when other processes share the CPU), and the time to open the last finding.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _util import server  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync"]


def draft(chars: int, every: int) -> str:
    line = "各部门请于[X]日前提交材料😀，逾期不候。"
    filler = "请按时参加培训。" * max(0, (every - len(line)) // 8)
    unit = line + filler + "\n"
    text = unit * (chars // len(unit))
    return text + "。" * (chars - len(text))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--chars", type=int, default=100_000)
    ap.add_argument("--every", type=int, default=40)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} is missing: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    text = draft(args.chars, args.every)
    with server() as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        page.goto(url + "/")
        cdp = page.context.new_cdp_session(page)
        cdp.send("Performance.enable")

        def thread_time() -> float:
            return next(m["value"] for m in cdp.send("Performance.getMetrics")["metrics"] if m["name"] == "ThreadTime")

        renders, stalls, cpus = [], [], []
        for run in range(args.runs):
            page.evaluate("""() => { window.__long = 0; new PerformanceObserver(l => { for (const e of l.getEntries())
                window.__long = Math.max(window.__long, e.duration); }).observe({type: 'longtask'}); }""")
            page.keyboard.press("Escape")
            page.click("#show-edit")
            page.eval_on_selector("#body", "(el, t) => { el.value = t; el.dispatchEvent(new InputEvent('input')); }",
                                  text)
            before = page.get_attribute("#results", "data-report-id")
            cpu0 = thread_time()
            t0 = time.perf_counter()
            with page.expect_response(lambda r: r.url.endswith("/v1/check")) as resp:
                page.focus("#body")
                page.keyboard.press("Control+Enter")
            server_s = time.perf_counter() - t0
            page.wait_for_function("b => document.getElementById('results').dataset.reportId !== b", arg=before,
                                   timeout=600_000)
            total = time.perf_counter() - t0
            cpu_ms = (thread_time() - cpu0) * 1000
            render_ms = float(page.get_attribute("#results", "data-render-ms"))
            t1 = time.perf_counter()
            page.locator("#findings button").last.click()
            page.wait_for_selector("#pop:not([hidden])")
            reach_ms = (time.perf_counter() - t1) * 1000
            longest = page.evaluate("window.__long")
            findings = page.locator("#findings li").count()
            renders.append(render_ms)
            stalls.append(longest)
            cpus.append(cpu_ms)
            print(f"run {run + 1}: {len(text):,} chars, {findings:,} findings, status {resp.value.status}; "
                  f"server {server_s:.2f} s, check+render {total:.2f} s, render {render_ms:.0f} ms, "
                  f"longest task {longest:.0f} ms, page CPU {cpu_ms:.0f} ms, open last finding {reach_ms:.0f} ms")
        print(f"render median {statistics.median(renders):.0f} ms, longest task median "
              f"{statistics.median(stalls):.0f} ms, page CPU median {statistics.median(cpus):.0f} ms over {args.runs} runs")
        browser.close()


if __name__ == "__main__":
    main()
