"""The build pipeline: validate data → execute changed chapters (papermill) → build the site.

``python -m helpers.build book`` (what ``make book`` runs):

1. **Validate** ``data/datapackage.json`` and every CSV (:func:`helpers.book.data.validate_package`);
   a bad table stops the build naming file, line and column. Skipped while ``data/``, the
   helpers, the lock and the seed names hash as they did at the last pass.
2. **Execute** every notebook page listed in ``_toc.yml``: jupytext turns the MyST source into
   a notebook, papermill runs it (in parallel, ``--jobs``) into ``_build/executed/``. A page is
   skipped when the hash of its inputs (its own text, ``src/helpers``, ``data/``, the lock file
   and its parameters) equals the hash recorded at its last successful run. A failing page is
   reported with its file, cell number, first line of code and the error; its partial notebook
   is kept in ``_build/failed/`` and nothing is published.
3. **Stage** the site source in ``_build/source/`` (configuration, executed notebooks, plain
   pages, data for download, the vega bundle, the ledger CSV), copying only files whose bytes
   changed so Sphinx rebuilds only changed pages.
4. **Build** with Jupyter Book (``execute_notebooks: off``; warnings are errors) into
   ``_build/html``. Skipped when the staged source and the lock hash as they did at the last
   successful build, so a no-change ``make book`` takes about two seconds.

Other commands: ``execute`` (steps 1–2), ``run PAGE [-p NAME VALUE …] [--output FILE]`` (one
page, with parameters, for authors and scenario tests), ``validate`` (step 1 only).
"""

from __future__ import annotations

import argparse
import concurrent.futures as futures
import functools
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
BUILD = ROOT / "_build"
EXECUTED = BUILD / "executed"
FAILED = BUILD / "failed"
SOURCE = BUILD / "source"
HTML = BUILD / "html"

SITE_FILES = ["_config.yml", "_toc.yml"]
SITE_DIRS = ["_static", "seeds", "data"]
EXECUTION_TIMEOUT = 600  # seconds per cell


class BuildError(RuntimeError):
    """A step of the build failed; the message says which page or file and why."""


# --------------------------------------------------------------------------- pages


@dataclass
class Page:
    """One entry of ``_toc.yml``: ``docname`` (no suffix) and the source file that provides it."""

    docname: str
    path: Path
    notebook: bool
    parameters: dict = field(default_factory=dict)

    @property
    def executed(self) -> Path:
        return EXECUTED / f"{self.docname}.ipynb"

    @property
    def stamp(self) -> Path:
        return EXECUTED / f"{self.docname}.inputs.sha256"


def _toc_docnames(toc: dict) -> list[str]:
    names = [toc["root"]]

    def walk(node):
        for key in ("chapters", "sections"):
            for entry in node.get(key, []) or []:
                if "file" in entry:
                    names.append(entry["file"])
                walk(entry)
        for part in node.get("parts", []) or []:
            walk(part)

    walk(toc)
    return names


def is_notebook(path: Path) -> bool:
    """A MyST page is a notebook when its front matter declares a kernelspec (jupytext format)."""
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---"):
        return False
    end = text.find("\n---", 3)
    front = yaml.safe_load(text[3:end]) if end > 0 else None
    return isinstance(front, dict) and "kernelspec" in front


def pages(root: Path = ROOT) -> list[Page]:
    """Every page in ``_toc.yml``, in order, with its source file; a :class:`BuildError` if one is missing."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    found = []
    for docname in _toc_docnames(toc):
        stem = docname.removesuffix(".md").removesuffix(".ipynb")
        path = root / f"{stem}.md"
        if not path.is_file():
            raise BuildError(f"_toc.yml lists {docname!r} but {path.relative_to(root)} does not exist")
        found.append(Page(stem, path, is_notebook(path)))
    return found


# --------------------------------------------------------------------------- hashing


def _files_under(directory: Path, suffixes: tuple[str, ...]) -> list[Path]:
    return sorted(
        p
        for p in directory.rglob("*")
        if p.is_file() and p.suffix in suffixes and "__pycache__" not in p.parts
    )


def shared_inputs(root: Path = ROOT) -> list[Path]:
    """Files every chapter depends on: the helper package, the data package, the lock file."""
    return (
        _files_under(root / "src" / "helpers", (".py",))
        + _files_under(root / "data", (".csv", ".json"))
        + [root / "requirements.lock"]
    )


def inputs_hash(page: Page, shared: list[Path], root: Path = ROOT) -> str:
    """SHA-256 over the page's text, the shared inputs (path and bytes) and its parameters."""
    h = hashlib.sha256(files_digest([page.path, *shared], root).encode())
    h.update(json.dumps(page.parameters, sort_keys=True).encode())
    return h.hexdigest()


def files_digest(paths: list[Path], root: Path = ROOT) -> str:
    """SHA-256 over each file's path (relative to ``root``) and bytes, in the order given."""
    h = hashlib.sha256()
    for path in paths:
        h.update(str(path.relative_to(root)).encode())
        h.update(b"\0")
        h.update(path.read_bytes() if path.exists() else b"<missing>")
        h.update(b"\0")
    return h.hexdigest()


def _stamp_matches(stamp: Path, digest: str) -> bool:
    return stamp.exists() and stamp.read_text() == digest


# --------------------------------------------------------------------------- execution


def _environment() -> dict:
    env = dict(os.environ)
    bindir = str(Path(sys.executable).parent)
    env["PATH"] = bindir + os.pathsep + env.get("PATH", "")
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    return env


def _first_code_line(source: str) -> str:
    for line in source.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            return line.strip()[:80]
    return source.strip()[:80]


def execute_page(source: Path, output: Path, parameters: dict | None = None, cwd: Path | None = None) -> dict:
    """Execute one MyST notebook with papermill into ``output``; return its execution record.

    Raises :class:`BuildError` naming the page, the cell (1-based, counting code cells of the
    source) and the error; the partial notebook is written to ``_build/failed/``.
    """
    import jupytext
    import papermill
    from papermill.exceptions import PapermillExecutionError

    os.environ["PATH"] = _environment()["PATH"]
    os.environ["BOOK_BUILD"] = "1"
    output.parent.mkdir(parents=True, exist_ok=True)
    work = output.with_suffix(".input.ipynb")
    notebook = jupytext.read(source)
    jupytext.write(notebook, work)
    started = time.time()
    try:
        papermill.execute_notebook(
            str(work),
            str(output),
            parameters=parameters or {},
            cwd=str(cwd or source.parent),
            kernel_name="python3",
            progress_bar=False,
            log_output=False,
            execution_timeout=EXECUTION_TIMEOUT,
            report_mode=False,
            kernel_manager_class=ipc_kernel_manager(),
        )
    except PapermillExecutionError as exc:
        FAILED.mkdir(parents=True, exist_ok=True)
        kept = FAILED / output.name
        if output.exists():
            shutil.move(str(output), kept)
        code_cells = [c for c in notebook.cells if c.cell_type == "code"]
        injected = 1 if parameters else 0
        index = max(exc.exec_count - injected, 0) if exc.exec_count else exc.cell_index
        raise BuildError(
            f"{source.relative_to(ROOT) if source.is_relative_to(ROOT) else source}: "
            f"code cell {index} of {len(code_cells)} failed "
            f"(`{_first_code_line(exc.source)}`): {exc.ename}: {exc.evalue}\n"
            f"  partial notebook: {kept}"
        ) from None
    finally:
        work.unlink(missing_ok=True)
    _finish_notebook(output)
    return {
        "page": str(source.relative_to(ROOT)) if source.is_relative_to(ROOT) else str(source),
        "seconds": round(time.time() - started, 2),
        "parameters": parameters or {},
    }


@functools.cache
def ipc_kernel_manager() -> type:
    """A kernel manager class whose kernels are reached over Unix-domain sockets, not TCP.

    No port is opened that another user of the machine could connect to, and the kernel does
    not print its plain-text-TCP warning into every build log. Each kernel gets a socket path
    of its own: the default, ``kernel-ipc`` in the working directory, is shared by chapters
    executing side by side in the same folder. (Built on first use: importing jupyter_client
    costs about 0.4 s, which a build that executes nothing should not pay.)
    """
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import default

    class IPCKernelManager(AsyncKernelManager):
        @default("transport")
        def _transport_default(self) -> str:
            return "ipc"

        @default("ip")
        def _ip_default(self) -> str:
            return str(Path(tempfile.gettempdir()) / f"book-kernel-{uuid.uuid4().hex[:12]}")

    return IPCKernelManager


def _finish_notebook(path: Path) -> None:
    """Hide papermill's injected-parameters cell from readers (tag it ``remove-cell``)."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        tags = cell.metadata.setdefault("tags", [])
        if "injected-parameters" in tags and "remove-cell" not in tags:
            tags.append("remove-cell")
    nbformat.write(nb, path)


def _execute_job(page_source: str, output: str, parameters: dict) -> dict:
    return execute_page(Path(page_source), Path(output), parameters)


def execute(jobs: int = 2, force: bool = False, only: list[str] | None = None) -> dict:
    """Execute every notebook page whose inputs changed; return ``{"ran": [...], "skipped": [...]}``.

    All pages run (in parallel) even if one fails; failures are then raised together.
    """
    todo, skipped = [], []
    shared = shared_inputs()
    for page in pages():
        if not page.notebook or (only and page.docname not in only and Path(page.docname).name not in only):
            continue
        digest = inputs_hash(page, shared)
        if not force and page.executed.exists() and page.stamp.exists() and page.stamp.read_text() == digest:
            skipped.append(page.docname)
        else:
            todo.append((page, digest))
    ran, errors, records = [], [], []
    if todo:
        print(f"executing {len(todo)} page(s): {', '.join(p.docname for p, _ in todo)}", flush=True)
        with futures.ProcessPoolExecutor(max_workers=max(1, min(jobs, len(todo)))) as pool:
            pending = {
                pool.submit(_execute_job, str(page.path), str(page.executed), page.parameters): (page, digest)
                for page, digest in todo
            }
            for fut in futures.as_completed(pending):
                page, digest = pending[fut]
                try:
                    record = fut.result()
                except BuildError as exc:
                    page.stamp.unlink(missing_ok=True)
                    page.executed.unlink(missing_ok=True)
                    errors.append(str(exc))
                    continue
                page.stamp.write_text(digest)
                ran.append(page.docname)
                records.append(record)
                print(f"  executed {page.docname} in {record['seconds']:.1f}s", flush=True)
    if skipped:
        print(f"unchanged, not executed again: {', '.join(skipped)}", flush=True)
    _update_execution_log(records)
    if errors:
        raise BuildError("execution failed:\n" + "\n".join(errors))
    return {"ran": sorted(ran), "skipped": skipped}


def _update_execution_log(records: list[dict]) -> None:
    log_path = EXECUTED / "execution-log.json"
    log = json.loads(log_path.read_text()) if log_path.exists() else {}
    for record in records:
        log[record["page"]] = {**record, "finished": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    EXECUTED.mkdir(parents=True, exist_ok=True)
    log_path.write_text(json.dumps(log, indent=1, sort_keys=True))


# --------------------------------------------------------------------------- site


def _sync_file(src: Path | None, dst: Path, content: bytes | None = None) -> bool:
    """Copy ``src`` (or write ``content``) to ``dst`` only if the bytes differ; True if written."""
    data = content if content is not None else src.read_bytes()
    if dst.exists() and dst.read_bytes() == data:
        return False
    dst.parent.mkdir(parents=True, exist_ok=True)
    dst.write_bytes(data)
    return True


def stage() -> Path:
    """Assemble ``_build/source`` from configuration, pages, executed notebooks and generated files."""
    from helpers.book import charts

    wanted: dict[Path, Path | bytes] = {}
    for name in SITE_FILES:
        wanted[SOURCE / name] = ROOT / name
    for directory in SITE_DIRS:
        for path in sorted((ROOT / directory).rglob("*")):
            if path.is_file():
                wanted[SOURCE / path.relative_to(ROOT)] = path
    for page in pages():
        if page.notebook:
            if not page.executed.exists():
                raise BuildError(f"{page.docname}: no executed notebook; run the execute step first")
            wanted[SOURCE / f"{page.docname}.ipynb"] = page.executed
        else:
            wanted[SOURCE / f"{page.docname}.md"] = page.path
    bundle = charts.write_bundle(BUILD / "cache" / "vega-bundle.js")
    wanted[SOURCE / "_static" / "vega-bundle.js"] = bundle
    wanted[SOURCE / "generated" / "ledger.csv"] = _ledger_csv()
    wanted[SOURCE / "generated" / "errata.csv"] = _errata_csv()
    wanted[SOURCE / "generated" / "execution.md"] = execution_report().encode()
    for dst, src in wanted.items():
        if isinstance(src, bytes):
            _sync_file(None, dst, src)
        else:
            _sync_file(src, dst)
    for path in sorted(SOURCE.rglob("*"), reverse=True):
        if path.is_file() and path not in wanted:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return SOURCE


def _ledger_csv() -> bytes:
    """The whole book's reproduction ledger as CSV, recomputed only when the shared inputs change."""
    from helpers.book import ledger

    digest = files_digest(shared_inputs())
    cache = BUILD / "cache" / "ledger.csv"
    stamp = BUILD / "cache" / "ledger.sha256"
    if cache.exists() and _stamp_matches(stamp, digest):
        return cache.read_bytes()
    content = ledger.collect().to_csv(index=False, float_format="%.10g").encode()
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_bytes(content)
    stamp.write_text(digest)
    return content


def _errata_csv() -> bytes:
    """The ledger's findings, one row per source problem (``appendices.errata_csv``)."""
    import pandas as pd

    from helpers.chapters import appendices

    table = pd.read_csv(io.BytesIO(_ledger_csv()), keep_default_na=False, na_values=[""])
    table["finding"] = table["finding"].fillna("")
    table["note"] = table["note"].fillna("")
    return appendices.errata_csv(table)


REPORTED_PACKAGES = [
    "jupyter-book",
    "sphinx",
    "myst-nb",
    "papermill",
    "jupytext",
    "nbval",
    "pandas",
    "numpy",
    "altair",
    "vl-convert-python",
    "frictionless",
    "playwright",
]


def execution_report() -> str:
    """Markdown for the execution-report page: each page's last run, and package versions."""
    from importlib import metadata

    log_path = EXECUTED / "execution-log.json"
    log = json.loads(log_path.read_text()) if log_path.exists() else {}
    lines = ["| page | last executed (UTC) | seconds | parameters |", "|---|---|---|---|"]
    for page in pages():
        if not page.notebook:
            continue
        rel = str(page.path.relative_to(ROOT))
        rec = log.get(rel, {})
        params = (
            json.dumps(rec.get("parameters", {}), sort_keys=True) if rec.get("parameters") else "defaults"
        )
        lines.append(
            f"| {{doc}}`/{page.docname}` | {rec.get('finished', 'not run')} | "
            f"{rec.get('seconds', '')} | {params} |"
        )
    lines += [
        "",
        f"Python {sys.version.split()[0]}. Main packages (all pinned in `requirements.lock`):",
        "",
        "| package | version |",
        "|---|---|",
    ]
    for name in REPORTED_PACKAGES:
        try:
            lines.append(f"| {name} | {metadata.version(name)} |")
        except metadata.PackageNotFoundError:
            lines.append(f"| {name} | not installed |")
    return "\n".join(lines) + "\n"


def build_site(strict: bool = True) -> Path:
    """Run Jupyter Book on the staged source into ``_build/html``; :class:`BuildError` on failure."""
    exe = Path(sys.executable).parent / "jupyter-book"
    cmd = [str(exe), "build", str(SOURCE), "--path-output", str(ROOT), "--builder", "html", "--keep-going"]
    if strict:
        cmd += ["-W", "-n"]
    # The site is a function of the staged source, the installed packages and the command.
    staged = sorted(p for p in SOURCE.rglob("*") if p.is_file())
    digest = files_digest([*staged, ROOT / "requirements.lock"]) + " ".join(cmd[3:])
    stamp = BUILD / "site.sha256"
    if _stamp_matches(stamp, digest) and (HTML / "index.html").exists():
        print("site source unchanged since the last build; Sphinx not run", flush=True)
        return HTML
    stamp.unlink(missing_ok=True)
    # Sphinx never deletes the HTML of a page that left the book: when the set of pages changes,
    # build from scratch so that no orphan page stays published.
    docs = sorted(str(p.relative_to(SOURCE)) for p in staged if p.suffix in (".md", ".ipynb"))
    record = BUILD / "site-pages.json"
    if record.exists() and json.loads(record.read_text()) != docs:
        print("pages were added or removed: building the site from scratch", flush=True)
        shutil.rmtree(HTML, ignore_errors=True)
        shutil.rmtree(BUILD / ".doctrees", ignore_errors=True)
    result = subprocess.run(cmd, cwd=ROOT, env=_environment(), capture_output=True, text=True)
    log = BUILD / "sphinx.log"
    log.write_text(result.stdout + "\n" + result.stderr)
    if result.returncode != 0:
        warnings = [
            ln
            for ln in (result.stdout + result.stderr).splitlines()
            if "WARNING" in ln or "ERROR" in ln or "Error" in ln
        ]
        raise BuildError("site build failed (full log: _build/sphinx.log):\n  " + "\n  ".join(warnings[-30:]))
    stamp.write_text(digest)
    record.write_text(json.dumps(docs))
    return HTML


def validate(force: bool = False) -> None:
    """Validate the data package; :class:`BuildError` listing every bad table.

    Validation is a pure function of ``data/``, the helpers, the lock and the names of the seed
    files, so it is skipped when their digest equals the one recorded at the last pass.
    """
    from helpers.book import data

    digest = files_digest(shared_inputs() + sorted((ROOT / "seeds").glob("*")))
    stamp = BUILD / "validated.sha256"
    if not force and _stamp_matches(stamp, digest):
        print("data package unchanged since it last passed validation", flush=True)
        return
    stamp.unlink(missing_ok=True)
    problems = data.validate_package()
    if problems:
        raise BuildError("\n".join(problems))
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(digest)


def book(jobs: int = 2, force: bool = False) -> Path:
    """Validate, execute changed pages, stage and build: the whole of ``make book``."""
    t0 = time.time()
    validate()
    execute(jobs=jobs, force=force)
    stage()
    html = build_site()
    print(f"built in {time.time() - t0:.1f}s; open {html / 'index.html'}", flush=True)
    return html


# --------------------------------------------------------------------------- command line


def _parse_value(text: str):
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.build", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("book", help="validate, execute changed pages, build the site")
    b.add_argument("--jobs", type=int, default=2)
    b.add_argument("--force", action="store_true", help="execute every page even if unchanged")
    e = sub.add_parser("execute", help="validate and execute changed pages")
    e.add_argument("--jobs", type=int, default=2)
    e.add_argument("--force", action="store_true")
    e.add_argument("--only", nargs="*", help="page names to consider")
    r = sub.add_parser("run", help="execute one page, optionally with parameters")
    r.add_argument("page", help="e.g. chapters/retail_risk.md or retail_risk")
    r.add_argument("-p", "--parameter", nargs=2, action="append", metavar=("NAME", "VALUE"), default=[])
    r.add_argument("--output", help="executed notebook path (default _build/runs/<page>.ipynb)")
    sub.add_parser("validate", help="validate the data package")
    sub.add_parser("site", help="stage and build the site from already executed pages")
    args = parser.parse_args(argv)
    try:
        if args.command == "book":
            book(jobs=args.jobs, force=args.force)
        elif args.command == "execute":
            validate()
            execute(jobs=args.jobs, force=args.force, only=args.only)
        elif args.command == "validate":
            validate(force=True)
            print("data package valid")
        elif args.command == "site":
            stage()
            print(f"open {build_site() / 'index.html'}")
        elif args.command == "run":
            source = Path(args.page)
            if not source.exists():
                source = ROOT / "chapters" / f"{Path(args.page).stem}.md"
            params = {name: _parse_value(value) for name, value in args.parameter}
            out = Path(args.output) if args.output else BUILD / "runs" / f"{source.stem}.ipynb"
            record = execute_page(source.resolve(), out.resolve(), params)
            print(f"executed {record['page']} in {record['seconds']}s → {out}")
    except BuildError as exc:
        print(f"BUILD FAILED: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
