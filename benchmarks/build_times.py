"""Benchmark the build against Jupyter Book's own cache, in one run; and page transfer sizes.

Run with ``make benchmark`` (not a test: timings depend on the machine). On the same tree it
times two builds side by side:

* **ours**: ``make book`` (papermill executes what changed, Jupyter Book only renders): the site,
  which is what the peer makes;
* **the peer**: ``jupyter-book build`` with ``execute_notebooks: cache`` on a scratch copy of the
  book's sources (``_build/peer/src``, its own config and output folder ``_build/peer/out``),
  with the same ``.venv``, the same helpers and data, and the same Sphinx options.

for five cases, each from the state the case before left (edits are undone, untimed, after
each case):

1. cold: nothing built (ours: ``_build`` deleted; the peer: no cache, no output);
2. no change;
3. a prose-only edit: one paragraph added to one chapter (in both trees);
4. a comment added to a helper every page imports (``src/helpers/book/units.py``);
5. a real change to one chapter's module (a new module-level name in
   ``src/helpers/chapters/<chapter>/__init__.py``): which pages run, against the pages whose
   record says they imported it.

After each of our builds it also times ``make pdf`` (the PDF edition of the site just built,
which the peer does not make), reported in a column of its own: the site is compared with the
site, and the PDF is not hidden.

It prints a Markdown table (paste it into README.md, *Build times*) and writes
``_build/benchmark.json``. ``--no-pages`` skips the page transfer sizes (headless Chromium).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

import yaml

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "_build"
SITE = BUILD / "html"
PEER = BUILD / "peer"
BUNDLE = "_static/vega-bundle.js"
CHROMIUM = "/usr/bin/chromium"
HELPER = ROOT / "src" / "helpers" / "book" / "units.py"
PROSE = "\nA paragraph added for the benchmark: prose only, no code.\n"


# --------------------------------------------------------------------------- ours


STEPS: dict[str, float] = {}
"""Seconds of each step of our last build, as its last line reports them (``pdf 12.3s`` …)."""


def ours() -> tuple[float, list[str]]:
    """Time ``make book``; return seconds and the pages it executed (its steps' times in STEPS)."""
    start = time.perf_counter()
    result = subprocess.run(["make", "book"], cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"make book failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    STEPS.clear()
    last = re.search(r"built in [\d.]+s \((.*?)\);", result.stdout)
    for step, seconds in re.findall(r"(\w+) ([\d.]+)s", last.group(1) if last else ""):
        STEPS[step] = float(seconds)
    match = re.search(r"executing \d+ page\(s\): (.*)", result.stdout)
    return elapsed, [p.strip() for p in match.group(1).split(",")] if match else []


def ours_pdf() -> float:
    """Time ``make pdf`` after :func:`ours` (the build has nothing left to do but the print)."""
    start = time.perf_counter()
    result = subprocess.run(["make", "pdf"], cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"make pdf failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return elapsed


def load() -> float:
    """The one-minute load average (the machine is shared: say it beside every time)."""
    return os.getloadavg()[0]


# --------------------------------------------------------------------------- the peer


def peer_tree() -> Path:
    """The peer's project: the staged site source with each notebook page as its MyST source
    (not our executed notebook), and a config that lets Jupyter Book execute with its cache."""
    src = PEER / "src"
    shutil.rmtree(src, ignore_errors=True)
    shutil.copytree(BUILD / "source", src, ignore=shutil.ignore_patterns("*.ipynb"))
    for folder in ("chapters", "back"):
        for page in (ROOT / folder).glob("*.md"):
            shutil.copy(page, src / folder / page.name)
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    config["execute"] = {"execute_notebooks": "cache", "timeout": 600}
    (src / "_config.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False))
    return src


def peer() -> tuple[float, list[str]]:
    """Time ``jupyter-book build`` of the peer tree; return seconds and the pages it executed."""
    cmd = [
        str(Path(sys.executable).parent / "jupyter-book"),
        "build",
        str(PEER / "src"),
        "--path-output",
        str(PEER / "out"),
        "--builder",
        "html",
        "-n",
        "--keep-going",
    ]
    env = dict(
        os.environ, BOOK_BUILD="1", PATH=str(Path(sys.executable).parent) + os.pathsep + os.environ["PATH"]
    )
    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=PEER, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - start
    log = result.stdout + result.stderr
    (PEER / "last-build.log").write_text(log)
    if result.returncode != 0:
        raise SystemExit(f"the peer's build failed (log: {PEER / 'last-build.log'}):\n{log[-3000:]}")
    executed = re.findall(r"(\S+?)(?:\.md)?: Executed notebook in", log)
    return elapsed, sorted(str(Path(p).resolve().relative_to((PEER / "src").resolve())) for p in executed)


# --------------------------------------------------------------------------- edits


class Edit:
    """Change files for one case; ``undo()`` puts the bytes back."""

    def __init__(self, changes: dict[Path, bytes]):
        self.saved = {path: path.read_bytes() for path in changes}
        for path, content in changes.items():
            path.write_bytes(content)

    def undo(self) -> None:
        for path, content in self.saved.items():
            path.write_bytes(content)


def importers(module: Path) -> list[str]:
    """The pages whose record (helpers.build.inputs) lists ``module`` among their imports."""
    rel = str(module.relative_to(ROOT))
    found = []
    for record in sorted((BUILD / "executed").rglob("*.inputs.json")):
        if rel in json.loads(record.read_text())["modules"]:
            found.append(str(record.relative_to(BUILD / "executed")).removesuffix(".inputs.json"))
    return found


# --------------------------------------------------------------------------- page sizes


def page_sizes() -> list[dict]:
    """What each page transfers in headless Chromium with an empty cache, served from loopback.

    Everything the browser fetches counts (HTML, scripts, stylesheets, web fonts, the search
    index), except the site-wide vega bundle, reported once for the site.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
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
                try:
                    page.wait_for_load_state("networkidle", timeout=60_000)
                except PlaywrightTimeout:  # counted as far as it got, and said so
                    print(
                        f"  {rel}: no network idle within 60 s; sizes are what it fetched by then", flush=True
                    )
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


# --------------------------------------------------------------------------- main


def alternating_pairs(label: str, count: int, run, around=None) -> list[float]:
    """Time ``count`` pairs of builds, ours and the peer's alternately (the first pair ours first,
    the next the peer first: on a shared machine one pair mostly measures who ran while the load
    was lower). ``run(who)`` makes one build and returns its seconds; ``around(index)``, a context
    manager, is entered around each pair (an edit made before it and undone after). Prints each
    pair with the load average before each build, and returns the ratios ours / peer."""
    ratios = []
    for index in range(count):
        times = {}
        with around(index) if around is not None else contextlib.nullcontext():
            for who in ("ours", "peer") if index % 2 == 0 else ("peer", "ours"):
                before = load()
                times[who] = (run(who), before)
        ratio = times["ours"][0] / times["peer"][0]
        ratios.append(ratio)
        print(
            f"{label} pair {index + 1}: ours {times['ours'][0]:.2f} s (load {times['ours'][1]:.1f}); "
            f"peer {times['peer'][0]:.2f} s (load {times['peer'][1]:.1f}); ours / peer {ratio:.2f}",
            flush=True,
        )
    print(
        f"ours / peer, {label}: {', '.join(f'{r:.2f}' for r in ratios)}; "
        f"median {statistics.median(ratios):.2f}, {sum(r < 1 for r in ratios)} of {len(ratios)} below 1"
    )
    return ratios


def cold_pairs(count: int) -> None:
    """Time ``count`` pairs of cold builds: ours with ``_build`` deleted (all but the peer's
    folder), the peer with its cache and output deleted."""

    def run(who: str) -> float:
        if who == "ours":
            for path in BUILD.iterdir() if BUILD.is_dir() else []:
                if path != PEER:
                    shutil.rmtree(path) if path.is_dir() else path.unlink()
            seconds = ours()[0]
            print(f"  ours' steps: {STEPS}", flush=True)
            return seconds
        if not (BUILD / "source").is_dir():
            ours()  # the peer's tree is made from our staged source
        peer_tree()
        shutil.rmtree(PEER / "out", ignore_errors=True)
        return peer()[0]

    alternating_pairs("cold", count, run)


def prose_pairs(count: int, chapter: Path) -> None:
    """Time ``count`` prose-only edits in both trees (each edit undone and both rebuilt, untimed,
    before the next): the case whose two times are closest, so one pair says little."""
    if not (BUILD / "source").is_dir():
        ours()
    if not (PEER / "out").is_dir():
        peer_tree()
    ours(), peer()  # both up to date before the first edit
    peer_chapter = PEER / "src" / "chapters" / chapter.name

    @contextlib.contextmanager
    def edited(index: int):
        text = chapter.read_bytes() + PROSE.encode() * (index + 1)
        edit = Edit({chapter: text, peer_chapter: text})
        try:
            yield
        finally:
            edit.undo()
        ours(), peer()

    alternating_pairs("prose-only edit", count, lambda who: (ours() if who == "ours" else peer())[0], edited)


def _pages(names: list[str]) -> str:
    return ", ".join(names) if names else "none"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chapter", default="housing_market", help="chapter to edit (name under chapters/)")
    parser.add_argument("--no-pages", action="store_true", help="skip the page transfer sizes")
    parser.add_argument(
        "--cold-pairs",
        type=int,
        default=0,
        metavar="N",
        help="only time cold builds: N pairs, ours and the peer's alternately (first ours, then the "
        "peer first), to see the ratio on a machine whose load moves",
    )
    parser.add_argument(
        "--prose-pairs",
        type=int,
        default=0,
        metavar="N",
        help="only time prose-only edits: N pairs, ours and the peer's alternately",
    )
    args = parser.parse_args()
    if args.cold_pairs:
        cold_pairs(args.cold_pairs)
        return
    chapter = ROOT / "chapters" / f"{args.chapter}.md"
    if args.prose_pairs:
        prose_pairs(args.prose_pairs, chapter)
        return
    module = ROOT / "src" / "helpers" / "chapters" / args.chapter / "__init__.py"
    if not module.exists():
        module = ROOT / "src" / "helpers" / "chapters" / f"{args.chapter}.py"

    rows = []

    def case(name: str, edit: Edit | None = None, rebuild_after: bool = True) -> None:
        load_before = load()
        try:
            our_s, our_pages = ours()
            steps = dict(STEPS)
            pdf_s = ours_pdf()
            peer_s, peer_pages = peer()
        finally:
            if edit is not None:
                edit.undo()
        rows.append(
            {
                "case": name,
                "ours": our_s,
                "ours_steps": steps,
                "ours_executed": our_pages,
                "ours_pdf": pdf_s,
                "peer": peer_s,
                "peer_executed": peer_pages,
                "load": [load_before, load()],
            }
        )
        print(
            f"{name}: ours {our_s:.1f} s ({_pages(our_pages)}; {steps}); then make pdf {pdf_s:.1f} s; "
            f"peer {peer_s:.1f} s "
            f"({_pages(peer_pages)}); load average {rows[-1]['load'][0]:.1f} · {rows[-1]['load'][1]:.1f}",
            flush=True,
        )
        if edit is not None and rebuild_after:  # back to the committed state, untimed
            ours()
            ours_pdf()
            peer()

    shutil.rmtree(BUILD, ignore_errors=True)
    load_before = load()
    our_s, our_pages = ours()
    steps = dict(STEPS)
    pdf_s = ours_pdf()
    peer_tree()
    peer_s, peer_pages = peer()
    rows.append(
        {
            "case": "cold",
            "ours": our_s,
            "ours_steps": steps,
            "ours_executed": our_pages,
            "ours_pdf": pdf_s,
            "peer": peer_s,
            "peer_executed": peer_pages,
            "load": [load_before, load()],
        }
    )
    print(
        f"cold: ours {our_s:.1f} s ({len(our_pages)} pages), then make pdf {pdf_s:.1f} s; peer {peer_s:.1f} s ({len(peer_pages)} pages)",
        flush=True,
    )

    case("no change")

    peer_chapter = PEER / "src" / "chapters" / chapter.name
    text = chapter.read_bytes() + PROSE.encode()
    case(f"prose-only edit (chapters/{chapter.name})", Edit({chapter: text, peer_chapter: text}))

    case(
        f"comment in a helper ({HELPER.relative_to(ROOT)})",
        Edit({HELPER: HELPER.read_bytes() + b"\n# a comment added for the benchmark\n"}),
    )

    expected = importers(module)
    case(
        f"real change in {module.relative_to(ROOT)}",
        Edit({module: module.read_bytes() + b"\nBENCHMARK_CHANGE = 1\n"}),
        rebuild_after=False,
    )
    rows[-1]["importers"] = expected

    cold = rows[0]
    result = {
        "machine": f"{platform.machine()}, Python {platform.python_version()}, {os.cpu_count()} cores",
        "date": time.strftime("%Y-%m-%d"),
        "cases": rows,
    }
    print()
    print(
        "| case | ours, the site (`make book`) | peer (`execute_notebooks: cache`) | ours / peer "
        "| ours / our cold | then the PDF edition (`make pdf`; the peer makes none) "
        "| load average (before · after) | pages executed: ours · peer |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for row in rows:
        extra = f" (importers: {_pages(row['importers'])})" if "importers" in row else ""
        print(
            f"| {row['case']} | {row['ours']:.1f} s | {row['peer']:.1f} s | {row['ours'] / row['peer']:.2f} "
            f"| {row['ours'] / cold['ours']:.2f} | {row['ours_pdf']:.1f} s "
            f"| {row['load'][0]:.1f} · {row['load'][1]:.1f} "
            f"| {len(row['ours_executed'])}: {_pages(row['ours_executed'])}{extra}"
            f" · {len(row['peer_executed'])}: {_pages(row['peer_executed'])} |"
        )
    print("\nOur build's steps (seconds, from its last line):")
    for row in rows:
        print(f"  {row['case']}: " + ", ".join(f"{k} {v:.1f}" for k, v in row["ours_steps"].items()))

    if not args.no_pages:
        sizes = page_sizes()
        result["vega_bundle_bytes"] = (SITE / BUNDLE).stat().st_size
        result["pages"] = sizes
        print("\n| page | HTML | transferred, vega bundle excluded | requests |\n|---|---|---|---|")
        for r in sizes:
            print(
                f"| {r['page']} | {r['html_bytes'] / 1e3:.0f} kB | {r['total_without_bundle'] / 1e3:.0f} kB "
                f"| {r['requests']} |"
            )
        print(f"\nvega bundle, once per site: {result['vega_bundle_bytes'] / 1e6:.2f} MB")
    (BUILD / "benchmark.json").write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
