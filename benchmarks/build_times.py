"""Benchmark the build: cold, no-change and one-chapter rebuilds, and page transfer sizes.

Run with ``make benchmark`` (not a test: timings depend on the machine). It

1. deletes ``_build`` and times ``make book`` (cold; the virtual environment is kept — pass
   ``--fresh-venv`` to delete and recreate it too);
2. times ``make book`` again with nothing changed;
3. appends a comment line to one chapter, times ``make book`` and records which pages were
   executed again, then restores the chapter and rebuilds;
4. loads every page in headless Chromium with an empty cache and adds up what it transfers,
   with the site-wide vega bundle reported separately (a browser fetches it once).

Prints a Markdown table (paste it into README.md) and writes ``_build/benchmark.json``.
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import shutil
import subprocess
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "_build" / "html"
BUNDLE = "_static/vega-bundle.js"
CHROMIUM = "/usr/bin/chromium"


def timed_make(target: str = "book") -> tuple[float, str]:
    start = time.perf_counter()
    result = subprocess.run(["make", target], cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"make {target} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return elapsed, result.stdout


def executed_pages(log: str) -> list[str]:
    match = re.search(r"executing \d+ page\(s\): (.*)", log)
    return [p.strip() for p in match.group(1).split(",")] if match else []


def page_sizes() -> list[dict]:
    """What each page transfers in headless Chromium with an empty cache, served from loopback.

    Everything the browser fetches counts (HTML, scripts, stylesheets, web fonts, the search
    index), except the site-wide vega bundle, reported once for the site.
    """
    from playwright.sync_api import sync_playwright

    from helpers.build import preview

    httpd = preview.serve(0)
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    rows = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
            for page_file in sorted(SITE.rglob("*.html")):
                if "_static" in page_file.parts:
                    continue
                rel = str(page_file.relative_to(SITE))
                context = browser.new_context()
                page = context.new_page()
                finished = []
                page.on("requestfinished", lambda r, seen=finished: seen.append(r))
                page.goto(base + rel, wait_until="load")
                page.wait_for_load_state("networkidle")
                sizes = {urlparse(r.url).path.lstrip("/"): r.sizes()["responseBodySize"] for r in finished}
                context.close()
                rows.append(
                    {
                        "page": rel,
                        "html_bytes": page_file.stat().st_size,
                        "requests": len(sizes),
                        "total_without_bundle": sum(v for k, v in sizes.items() if k != BUNDLE),
                        "loads_vega_bundle": BUNDLE in sizes,
                    }
                )
            browser.close()
    finally:
        httpd.shutdown()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--fresh-venv", action="store_true", help="also delete .venv before the cold build")
    parser.add_argument("--chapter", default="chapters/housing_market.md", help="chapter to touch")
    args = parser.parse_args()

    shutil.rmtree(ROOT / "_build", ignore_errors=True)
    if args.fresh_venv:
        shutil.rmtree(ROOT / ".venv", ignore_errors=True)
    cold, cold_log = timed_make()
    nochange, nochange_log = timed_make()
    chapter = ROOT / args.chapter
    original = chapter.read_bytes()
    try:
        chapter.write_bytes(original + b"\n<!-- benchmark touch -->\n")
        one, one_log = timed_make()
    finally:
        chapter.write_bytes(original)
    timed_make()  # back to the committed state

    sizes = page_sizes()
    bundle_bytes = (SITE / BUNDLE).stat().st_size
    result = {
        "machine": f"{platform.machine()}, {platform.python_version()}, {__import__('os').cpu_count()} cores",
        "cold_seconds": round(cold, 1),
        "cold_executed": executed_pages(cold_log),
        "fresh_venv": args.fresh_venv,
        "nochange_seconds": round(nochange, 1),
        "nochange_executed": executed_pages(nochange_log),
        "one_chapter_seconds": round(one, 1),
        "one_chapter": args.chapter,
        "one_chapter_executed": executed_pages(one_log),
        "vega_bundle_bytes": bundle_bytes,
        "pages": sizes,
    }
    (ROOT / "_build" / "benchmark.json").write_text(json.dumps(result, indent=1))

    largest = max(sizes, key=lambda r: r["total_without_bundle"])
    print("| measure | value |\n|---|---|")
    print(
        f"| cold `make book`{' (new venv)' if args.fresh_venv else ''} | {cold:.1f} s, executed {len(result['cold_executed'])} pages |"
    )
    print(
        f"| no-change rebuild | {nochange:.1f} s ({100 * nochange / cold:.0f} % of cold), executed {len(result['nochange_executed'])} pages |"
    )
    print(
        f"| one chapter touched ({args.chapter}) | {one:.1f} s, executed: {', '.join(result['one_chapter_executed']) or 'none'} |"
    )
    print(f"| vega bundle (once per site) | {bundle_bytes / 1e6:.2f} MB |")
    print(
        f"| largest page without the bundle ({largest['page']}) | {largest['total_without_bundle'] / 1e6:.2f} MB |"
    )
    print("\n| page | HTML | transferred, vega bundle excluded | requests |\n|---|---|---|---|")
    for r in sizes:
        print(
            f"| {r['page']} | {r['html_bytes'] / 1e3:.0f} kB | {r['total_without_bundle'] / 1e3:.0f} kB "
            f"| {r['requests']} |"
        )


if __name__ == "__main__":
    main()
