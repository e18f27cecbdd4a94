"""Lighthouse (mobile profile) on every page of the built site, served compressed on loopback.

``make lighthouse`` (or ``.venv/bin/python benchmarks/lighthouse.py [PAGE …]``) installs the
pinned npm package ``lighthouse`` into ``_build/lighthouse`` once, serves ``_build/html`` with
the same gzip server as ``make preview`` and the browser tests, and runs Lighthouse with
Debian's Chromium (``CHROME_PATH=/usr/bin/chromium``, headless) on each page. It prints the four
category scores and the main metrics per page, writes them to ``_build/lighthouse/scores.json``,
and exits 1 when a page misses the budget: performance ≥ 90, accessibility 100, best practices
100, SEO ≥ 95.

Lighthouse simulates a mid-range phone on a slow 4G link from a trace of the real load, so its
timings grow with the machine's load (the CPU work it observes is multiplied by 4): the load
average is printed before and after, and a page below budget is run once more, both runs shown.
It is a benchmark, not a test (no timed tests in ``make test``); ``tests/test_page_budget.py``
checks what decides the scores (axe-core with Lighthouse's rules, render-blocking resources,
what the largest paint waits for, the head's tags).

``--markdown`` also prints the results as the README's table; ``--once`` runs no page twice.
Each run's full Lighthouse report is kept in ``_build/lighthouse/reports/<page>.json`` (what
the simulated first paint counted: ``audits["network-requests"]``, ``audits["main-thread-tasks"]``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from helpers.build import preview  # noqa: E402

LIGHTHOUSE = "lighthouse@12.8.2"
WORK = ROOT / "_build" / "lighthouse"
SITE = ROOT / "_build" / "html"
BUDGET = {"performance": 0.90, "accessibility": 1.0, "best-practices": 1.0, "seo": 0.95}
METRICS = {
    "first-contentful-paint": "FCP",
    "largest-contentful-paint": "LCP",
    "total-blocking-time": "TBT",
    "cumulative-layout-shift": "CLS",
    "total-byte-weight": "bytes",
}


def install() -> Path:
    cli = WORK / "node_modules" / "lighthouse" / "cli" / "index.js"
    if not cli.exists():
        WORK.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "--prefix", str(WORK), LIGHTHOUSE],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return cli


def pages() -> list[str]:
    return sorted(str(p.relative_to(SITE)) for p in SITE.rglob("*.html") if "_static" not in p.parts)


def run(cli: Path, url: str, page: str = "last") -> dict:
    out = WORK / "reports" / (page.replace("/", "_") + ".json")
    out.parent.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, CHROME_PATH="/usr/bin/chromium")
    subprocess.run(
        [
            "node",
            str(cli),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={out}",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
        ],
        check=True,
        env=env,
    )
    report = json.loads(out.read_text())
    scores = {k: v["score"] for k, v in report["categories"].items()}
    metrics = {short: report["audits"][key]["numericValue"] for key, short in METRICS.items()}
    return {"scores": scores, "metrics": metrics}


def misses(result: dict) -> list[str]:
    return [k for k, floor in BUDGET.items() if (result["scores"].get(k) or 0) < floor]


def line(page: str, r: dict) -> str:
    s, m = r["scores"], r["metrics"]
    miss = misses(r)
    return (
        f"{page:32s} perf {s['performance'] * 100:3.0f}  a11y {s['accessibility'] * 100:3.0f}  "
        f"bp {s['best-practices'] * 100:3.0f}  seo {s['seo'] * 100:3.0f}  "
        f"FCP {m['FCP'] / 1000:4.1f} s  LCP {m['LCP'] / 1000:4.1f} s  TBT {m['TBT']:4.0f} ms  "
        f"CLS {m['CLS']:.3f}  {m['bytes'] / 1000:5.0f} kB" + ("  <- " + ", ".join(miss) if miss else "")
    )


def markdown(results: dict) -> str:
    rows = [
        "| page | performance | accessibility | best practices | SEO | FCP | LCP | TBT | CLS | transfer |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for page, runs in results.items():
        r = max(runs, key=lambda x: x["scores"]["performance"])
        s, m = r["scores"], r["metrics"]
        perf = " / ".join(f"{x['scores']['performance'] * 100:.0f}" for x in runs)
        rows.append(
            f"| {page} | {perf} | {s['accessibility'] * 100:.0f} | {s['best-practices'] * 100:.0f} | "
            f"{s['seo'] * 100:.0f} | {m['FCP'] / 1000:.1f} s | {m['LCP'] / 1000:.1f} s | {m['TBT']:.0f} ms | "
            f"{m['CLS']:.3f} | {m['bytes'] / 1000:.0f} kB |"
        )
    return "\n".join(rows)


def main(argv: list[str]) -> int:
    as_markdown, once = "--markdown" in argv, "--once" in argv
    argv = [a for a in argv if a not in ("--markdown", "--once")]
    cli = install()
    httpd = preview.serve(0)
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    results: dict[str, list] = {}
    failed = []
    load_before = os.getloadavg()
    print(f"load average before: {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}", flush=True)
    try:
        for page in argv or pages():
            r = run(cli, base + page, page)
            results[page] = [r]
            print(line(page, r), flush=True)
            if misses(r) and not once:  # once more: is it the page, or the machine's load?
                r = run(cli, base + page, page + ".again")
                results[page].append(r)
                print(line(page + " (again)", r), flush=True)
            if all(misses(x) for x in results[page]):
                failed += [
                    f"{page}: {k} {results[page][-1]['scores'].get(k)}" for k in misses(results[page][-1])
                ]
    finally:
        httpd.shutdown()
    load_after = os.getloadavg()
    print(f"load average after: {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}")
    (WORK / "scores.json").write_text(
        json.dumps({"load_average": [load_before, load_after], "pages": results}, indent=1, sort_keys=True)
    )
    if as_markdown:
        print(markdown(results))
    if failed:
        print("below budget in every run:\n  " + "\n  ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
