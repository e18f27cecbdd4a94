"""Lighthouse (mobile profile) on every page of the built site, served compressed on loopback.

``make lighthouse`` (or ``.venv/bin/python benchmarks/lighthouse.py [PAGE …]``) installs the
pinned npm package ``lighthouse`` into ``_build/lighthouse`` once, serves ``_build/html`` with
the same gzip server as ``make preview`` and the browser tests, and runs Lighthouse with
Debian's Chromium (``CHROME_PATH=/usr/bin/chromium``, headless) on each page. It prints the four
category scores and the main metrics per page, writes them to ``_build/lighthouse/scores.json``,
and exits 1 when a page misses the budget: performance ≥ 90, accessibility 100, best practices
100, SEO ≥ 95.

Lighthouse simulates a mid-range phone on a slow 4G link, so its timings are estimates that
move a little between runs; the budgets hold with a margin. It is a benchmark, not a test (no
timed tests in ``make test``); the browser tests check the deterministic parts (no
render-blocking vega, compressed page weight).
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


def run(cli: Path, url: str) -> dict:
    out = WORK / "last.json"
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


def main(argv: list[str]) -> int:
    cli = install()
    httpd = preview.serve(0)
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    results, failed = {}, []
    try:
        for page in argv or pages():
            r = run(cli, base + page)
            results[page] = r
            s, m = r["scores"], r["metrics"]
            misses = [k for k, floor in BUDGET.items() if (s.get(k) or 0) < floor]
            failed += [f"{page}: {k} {s.get(k)}" for k in misses]
            print(
                f"{page:32s} perf {s['performance'] * 100:3.0f}  a11y {s['accessibility'] * 100:3.0f}  "
                f"bp {s['best-practices'] * 100:3.0f}  seo {s['seo'] * 100:3.0f}  "
                f"FCP {m['FCP'] / 1000:4.1f} s  LCP {m['LCP'] / 1000:4.1f} s  TBT {m['TBT']:4.0f} ms  "
                f"CLS {m['CLS']:.3f}  {m['bytes'] / 1000:5.0f} kB"
                + ("  <- " + ", ".join(misses) if misses else ""),
                flush=True,
            )
    finally:
        httpd.shutdown()
    (WORK / "scores.json").write_text(json.dumps(results, indent=1, sort_keys=True))
    if failed:
        print("below budget:\n  " + "\n  ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
