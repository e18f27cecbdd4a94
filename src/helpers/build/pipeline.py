"""The build pipeline: validate data → execute changed chapters (papermill) → build the site.

``python -m helpers.build book`` (what ``make book`` runs):

1. **Validate** ``data/datapackage.json`` and every CSV (:func:`helpers.book.data.validate_package`);
   a bad table stops the build naming file, line and column. Skipped while ``data/``, the
   helpers, the lock and the seed names hash as they did at the last pass.
2. **Execute** every notebook page listed in ``_toc.yml`` whose inputs changed: jupytext turns
   the MyST source into a notebook, papermill runs it (in parallel, ``--jobs``) into
   ``_build/executed/``. What a page used is recorded when it runs (its code, the project
   modules it imported, the data resources it loaded, the lock; :mod:`helpers.build.inputs`),
   and it is executed again only when one of those changed; when only its prose changed it is
   rendered with its stored outputs, and when nothing changed it is skipped. A failing page is
   reported with its file, cell number, first line of code and the error; its partial notebook
   is kept in ``_build/failed/`` and nothing is published.
3. **Stage** the site source in ``_build/source/`` (configuration, executed notebooks, plain
   pages, data for download, the vega bundle, the ledger CSV, the data-package zip),
   copying only files whose bytes changed so Sphinx rebuilds only changed pages. The vega
   bundle, the ledger and errata CSVs depend on no page's run: they are made while pages
   execute.
4. **Build** with Jupyter Book (``execute_notebooks: off``; warnings are errors) into
   ``_build/html``; meanwhile the Chinese web font is cut to the staged text and put into the
   site after Sphinx (it is no Sphinx input, so a new character rewrites no page). Pages
   Sphinx did not rewrite are hard-linked from the published site, not copied. Skipped when
   the staged source and the lock hash as they did at the last successful build.
5. **Print** the PDF edition, ``_build/html/book.pdf`` (:mod:`helpers.build.pdf`, headless
   Chromium), with ``--pdf`` only (``make pdf``, and ``make test``, which publishes nothing
   without it). Skipped while the site's HTML is unchanged. An author's ``make book`` builds
   the site alone, as Jupyter Book does: a prose edit is on screen without a reprint of the
   book, and the site links to a PDF that only ``make pdf`` makes up to date.

Sphinx runs in a process started when the build begins (:mod:`helpers.build.warm_sphinx`), so
its imports are done while pages execute.

Other commands: ``execute`` (steps 1–2), ``run PAGE [-p NAME VALUE …] [--output FILE]`` (one
page, with parameters, for authors and scenario tests), ``validate`` (step 1 only), ``pdf``
(step 5 only).
"""

from __future__ import annotations

import argparse
import contextlib
import copy
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

from . import atomic, workers
from .lock import LockBusy, build_lock

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
        """What the page used at its last run (:mod:`helpers.build.inputs`) and the checksum of
        the notebook that run wrote; written after the notebook, removed before the page runs."""
        return EXECUTED / f"{self.docname}.inputs.json"


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
    """What the ledger CSV and the data validation depend on: the modules pages may import (not
    the build tools), the data package, the lock file. Each page's own inputs are recorded when
    it runs (:mod:`helpers.build.inputs`)."""
    from . import inputs

    return (
        inputs.book_sources(root)
        + _files_under(root / "data", (".csv", ".json"))
        + [root / "requirements.lock"]
    )


def source_digest(paths: list[Path], root: Path = ROOT) -> str:
    """Like :func:`files_digest`, but Python modules count by their code (comments, layout and
    docstrings do not): :func:`helpers.build.inputs.source_fingerprint`."""
    from . import inputs

    return inputs.source_fingerprint(paths, root)


def _local_extensions_key(root: Path = ROOT) -> str:
    """Fingerprint of the book's own Sphinx extensions (``helpers.*`` in ``_config.yml``'s
    ``sphinx.config.extensions``): they shape every page, so a change in their code (not a comment)
    runs Sphinx again. Each is fingerprinted by its syntax tree, docstrings kept."""
    from . import inputs

    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8")) or {}
    names = ((config.get("sphinx") or {}).get("config") or {}).get("extensions") or []
    parts = []
    for name in sorted(n for n in names if str(n).startswith("helpers.")):
        base = root / "src" / Path(*name.split("."))
        path = base.with_suffix(".py") if base.with_suffix(".py").exists() else base / "__init__.py"
        parts.append(f"{name}={inputs.module_fingerprint(path, keep_docstrings=True)}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


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


MEMO = BUILD / "cache" / "memo"
"""The build's memo (:mod:`helpers.book.memo`): the ledger and the tables' validation, computed
by one page and read by the next; given to the build's own steps and its workers only."""


@contextlib.contextmanager
def memo_environment():
    """``$BOOK_CACHE_DIR`` set to this build's memo for the block, as it was after it (the tests
    that ``make test`` runs after the build compute everything themselves)."""
    from helpers.book import memo

    before = os.environ.get(memo.ENVIRONMENT_VARIABLE)
    os.environ[memo.ENVIRONMENT_VARIABLE] = str(MEMO)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(memo.ENVIRONMENT_VARIABLE, None)
        else:
            os.environ[memo.ENVIRONMENT_VARIABLE] = before


def _environment() -> dict:
    env = dict(os.environ)
    env["BOOK_CACHE_DIR"] = str(MEMO)  # helpers.book.memo.ENVIRONMENT_VARIABLE (not imported here)
    bindir = str(Path(sys.executable).parent)
    env["PATH"] = bindir + os.pathsep + env.get("PATH", "")
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    return env


def _first_code_line(source: str) -> str:
    for line in source.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            return line.strip()[:80]
    return source.strip()[:80]


DEFAULT_TIMEOUT = EXECUTION_TIMEOUT
ALLOW_WARNING_TAG = "allow-warning"
"""Tag a code cell with this to publish a warning it writes; any other cell's warning fails the build."""


def _rel(path: Path) -> str:
    path = Path(path)
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def parameter_names(notebook) -> list[str] | None:
    """Names the page's ``parameters`` cell assigns at top level, or None when it has no such cell.

    Read with Python's own parser, so a comment containing ``=`` (which papermill's inspector
    misreads) does not hide a parameter.
    """
    import ast

    for cell in notebook.cells:
        if cell.cell_type == "code" and "parameters" in cell.metadata.get("tags", []):
            names = []
            for node in ast.parse(cell.source).body:
                targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
                for target in targets:
                    for leaf in ast.walk(target) if target is not None else []:
                        if isinstance(leaf, ast.Name) and leaf.id not in names:
                            names.append(leaf.id)
            return names
    return None


def check_parameter_names(source: Path, notebook, parameters: dict) -> None:
    """:class:`BuildError` when a parameter given is not one the page's ``parameters`` cell defines."""
    if not parameters:
        return
    known = parameter_names(notebook)
    if known is None:
        raise BuildError(
            f"{_rel(source)}: has no cell tagged `parameters`, so it takes no parameters "
            f"(given: {', '.join(sorted(parameters))})"
        )
    unknown = [name for name in parameters if name not in known]
    if unknown:
        import difflib

        hints = []
        for name in unknown:
            close = difflib.get_close_matches(name, known, n=1)
            hints.append(f"{name!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
        raise BuildError(
            f"{_rel(source)}: unknown parameter {', '.join(hints)}; "
            f"the page's parameters are: {', '.join(known)}"
        )


def page_timeout(source: Path, notebook) -> float:
    """Seconds a code cell of this page may run: front matter ``mystnb: execution_timeout`` (default 600).

    The key is MyST-NB's own per-page setting, so the page reads the same to Jupyter Book.
    """
    value = (notebook.metadata.get("mystnb") or {}).get("execution_timeout", DEFAULT_TIMEOUT)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
        raise BuildError(
            f"{_rel(source)}: front matter `mystnb: execution_timeout: {value!r}` must be a positive "
            "number of seconds"
        )
    return float(value)


def _code_cell_label(notebook, cell_index: int, injected: bool) -> tuple[int, int]:
    """(1-based number of the code cell among the page's own code cells, how many there are):
    papermill's injected cell and the build's recorder cell are not the page's."""
    from .inputs import RECORD_TAG

    own = [
        i
        for i, c in enumerate(notebook.cells)
        if c.cell_type == "code" and not {"injected-parameters", RECORD_TAG} & set(c.metadata.get("tags", []))
    ]
    number = own.index(cell_index) + 1 if cell_index in own else 0
    return number, len(own)


def _keep_partial(output: Path, kept_name: str, final: Path | None = None) -> Path:
    """Move a failed run's partial notebook to ``_build/failed/<page>.ipynb``; a run whose output
    lies outside the project (a test's temporary folder) keeps it beside that output instead, in
    ``failed/<output name>``, so tests never write into the project's build folder."""
    if final is not None and not Path(final).resolve().is_relative_to(ROOT.resolve()):
        failed, kept_name = Path(final).parent / "failed", Path(final).name
    else:
        failed = FAILED
    failed.mkdir(parents=True, exist_ok=True)
    kept = failed / kept_name
    if output.exists():
        os.replace(output, kept)
    return kept


def cell_warnings(notebook) -> list[tuple[int, str, bool]]:
    """Every code cell that wrote to stderr (warnings): ``(cell index, text, allowed by tag)``."""
    found = []
    for i, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        text = "".join(
            o.get("text", "")
            for o in cell.get("outputs", [])
            if o.get("output_type") == "stream" and o.get("name") == "stderr"
        )
        if text.strip():
            found.append((i, text.strip(), ALLOW_WARNING_TAG in cell.metadata.get("tags", [])))
    return found


def execute_page(
    source: Path,
    output: Path,
    parameters: dict | None = None,
    cwd: Path | None = None,
    before: dict | None = None,
) -> dict:
    """Execute one MyST notebook with papermill into ``output``; return its execution record.

    The notebook is written beside ``output`` under a temporary name and renamed into place
    only when every cell ran without error and without an unexpected warning. A failure (an
    error, a cell over the page's time limit, a warning in a cell not tagged ``allow-warning``,
    an unknown parameter) raises :class:`BuildError` naming the page, the code cell (1-based
    among the page's code cells) and the cause; the partial notebook is kept in ``_build/failed/``.
    ``before`` is :func:`helpers.build.inputs.snapshot` taken by the build before it started
    its workers (one snapshot for all pages); without it the page takes its own.
    """
    import jupytext
    import nbformat
    import papermill
    from nbclient.exceptions import CellTimeoutError
    from papermill.exceptions import PapermillExecutionError

    from . import inputs

    os.environ["PATH"] = _environment()["PATH"]
    os.environ["BOOK_BUILD"] = "1"
    parameters = parameters or {}
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    text = Path(source).read_text(encoding="utf-8")
    # fingerprints of what the page may use, taken before it runs (an edit during the run counts)
    if before is None:
        before = take_snapshot()
    notebook = jupytext.reads(text, fmt="md:myst")
    check_parameter_names(source, notebook, parameters)
    timeout = page_timeout(source, notebook)
    work = output.with_name(f".{output.stem}.input-{os.getpid()}.ipynb")
    partial = output.with_name(f".{output.stem}.running-{os.getpid()}.ipynb")
    jupytext.write(inputs.add_recorder(copy.deepcopy(notebook), ROOT), work)
    started = time.time()
    page = _rel(source)
    kept_name = f"{Path(page).stem}.ipynb"
    own_folder = None
    if not os.environ.get("BOOK_KERNEL_DIR"):  # called in process (tests): a folder for this page only
        own_folder = tempfile.mkdtemp(prefix=f"book-kernels-{os.getpid()}-")
        os.environ["BOOK_KERNEL_DIR"] = own_folder
    try:
        papermill.execute_notebook(
            str(work),
            str(partial),
            parameters=parameters,
            cwd=str(cwd or source.parent),
            kernel_name="python3",
            progress_bar=False,
            log_output=False,
            execution_timeout=timeout,
            report_mode=False,
            kernel_manager_class=ipc_kernel_manager(),
        )
    except PapermillExecutionError as exc:
        kept = _keep_partial(partial, kept_name, output)
        code_cells = [c for c in notebook.cells if c.cell_type == "code"]
        injected = 1 if parameters else 0
        index = max(exc.exec_count - injected, 0) if exc.exec_count else exc.cell_index
        raise BuildError(
            f"{page}: code cell {index} of {len(code_cells)} failed "
            f"(`{_first_code_line(exc.source)}`): {exc.ename}: {exc.evalue}\n"
            f"  partial notebook: {kept}"
        ) from None
    except CellTimeoutError:
        partial_nb = nbformat.read(partial, as_version=4) if partial.exists() else None
        kept = _keep_partial(partial, kept_name, output)
        where = "a code cell"
        if partial_nb is not None:
            # the cell that timed out is the last one papermill started
            running = [
                i
                for i, c in enumerate(partial_nb.cells)
                if c.get("metadata", {}).get("papermill", {}).get("start_time")
            ][-1:]
            if running:
                number, total = _code_cell_label(partial_nb, running[0], bool(parameters))
                where = f"code cell {number} of {total} (`{_first_code_line(partial_nb.cells[running[0]].source)}`)"
        raise BuildError(
            f"{page}: {where} timed out: still running after {timeout:g} s, the page's limit "
            "(front matter `mystnb: execution_timeout`)\n"
            f"  partial notebook: {kept}"
        ) from None
    except Exception as exc:  # a dead kernel, a broken notebook: name the page all the same
        kept = _keep_partial(partial, kept_name, output)
        raise BuildError(
            f"{page}: execution stopped: {type(exc).__name__}: {exc}\n  partial notebook: {kept}"
        ) from None
    finally:
        work.unlink(missing_ok=True)
        if own_folder:
            os.environ.pop("BOOK_KERNEL_DIR", None)
            shutil.rmtree(own_folder, ignore_errors=True)
    nb = nbformat.read(partial, as_version=4)
    used = _finish_notebook(nb)
    problems, notes = [], []
    for index, warning, allowed in cell_warnings(nb):
        number, total = _code_cell_label(nb, index, bool(parameters))
        lines = warning.splitlines()
        first = next((ln for ln in lines if "Warning" in ln), lines[0]).strip()[:200]
        label = f"code cell {number} of {total} (`{_first_code_line(nb.cells[index].source)}`)"
        if allowed:
            notes.append(
                f"{page}: {label} wrote a warning, published as tagged `{ALLOW_WARNING_TAG}`: {first}"
            )
        else:
            problems.append(f"{page}: {label} wrote a warning: {first}")
    if problems:
        nbformat.write(nb, partial)
        kept = _keep_partial(partial, kept_name, output)
        raise BuildError(
            "\n".join(problems)
            + f"\n  fix its cause, or tag the cell `{ALLOW_WARNING_TAG}` to publish the warning on purpose"
            + f"\n  partial notebook: {kept}"
        )
    nbformat.write(nb, partial)
    os.replace(partial, output)
    return {
        "page": page,
        "seconds": round(time.time() - started, 2),
        "parameters": parameters,
        "notes": notes,
        "inputs": inputs.make_record(text, notebook, parameters, used or {}, nb, ROOT, before),
    }


@functools.cache
def ipc_kernel_manager() -> type:
    """A kernel manager class whose kernels are reached over Unix-domain sockets, not TCP.

    No port is opened that another user of the machine could connect to, and the kernel does
    not print its plain-text-TCP warning into every build log. Each kernel gets a socket path
    of its own, in the private folder ``$BOOK_KERNEL_DIR`` the build gives each worker (see
    :mod:`helpers.build.workers`), with its connection file and a pid file: a stopped build
    kills the kernel by its pid and removes the folder, sockets and all. (Built on first use:
    importing jupyter_client costs about 0.4 s, which a build that executes nothing should not pay.)
    """
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import default

    def folder() -> Path:
        path = os.environ.get("BOOK_KERNEL_DIR")
        if not path:
            path = tempfile.mkdtemp(prefix=f"book-kernels-{os.getpid()}-")
            os.environ["BOOK_KERNEL_DIR"] = path
        return Path(path)

    class IPCKernelManager(AsyncKernelManager):
        @default("transport")
        def _transport_default(self) -> str:
            return "ipc"

        @default("ip")
        def _ip_default(self) -> str:
            return str(folder() / f"kernel-{uuid.uuid4().hex[:8]}")

        @default("connection_file")
        def _connection_file_default(self) -> str:
            return str(folder() / f"kernel-{uuid.uuid4().hex[:8]}.json")

        async def _async_launch_kernel(self, kernel_cmd, **kw):
            await super()._async_launch_kernel(kernel_cmd, **kw)
            pid = getattr(self.provisioner, "pid", None)
            if pid:
                (folder() / f"kernel-{pid}.pid").write_text(str(pid))

    return IPCKernelManager


def _finish_notebook(nb) -> dict | None:
    """Hide papermill's injected-parameters cell from readers (tag it ``remove-cell``); take out
    the recorder cell and return what it reported (:func:`helpers.build.inputs.take_record`);
    give the cells ids that do not change from build to build (:func:`~helpers.build.inputs.stable_cell_ids`)."""
    from . import inputs

    used = inputs.take_record(nb)
    for cell in nb.cells:
        tags = cell.metadata.setdefault("tags", [])
        if "injected-parameters" in tags and "remove-cell" not in tags:
            tags.append("remove-cell")
    inputs.stable_cell_ids(nb)
    return used


def serve_worker() -> int:
    """A worker process that runs pages one after another (:mod:`helpers.build.workers`): each
    line on standard input is a task file; the page's kernel gets the task's folder
    (``$BOOK_KERNEL_DIR``) and the page's output goes to ``worker.log`` there. The end of input
    ends the worker."""
    import jupytext  # noqa: F401 - what execute_page imports: once for every page of this worker
    import nbformat  # noqa: F401
    import papermill  # noqa: F401

    while True:
        line = sys.stdin.readline()
        if not line:
            return 0
        task_file = Path(line.strip())
        os.environ["BOOK_KERNEL_DIR"] = str(task_file.parent)
        sys.stdout.flush()
        sys.stderr.flush()
        saved = os.dup(1), os.dup(2)
        with open(task_file.parent / "worker.log", "ab") as log:
            os.dup2(log.fileno(), 1)
            os.dup2(log.fileno(), 2)
            try:
                run_worker(task_file)
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os.dup2(saved[0], 1)
                os.dup2(saved[1], 2)
                os.close(saved[0])
                os.close(saved[1])


def run_worker(task_file: Path) -> int:
    """The worker process: execute the page described in ``task_file``; write ``result.json`` beside it."""
    task = json.loads(Path(task_file).read_text())
    result_path = Path(task_file).with_name("result.json")
    try:
        record = execute_page(
            Path(task["source"]),
            Path(task["output"]),
            task.get("parameters") or {},
            Path(task["cwd"]) if task.get("cwd") else None,
            task.get("snapshot"),
        )
        result = {"ok": True, "record": record}
    except BuildError as exc:
        result = {"ok": False, "error": str(exc)}
    except Exception as exc:  # noqa: BLE001 - reported with the page's name by the build
        result = {"ok": False, "error": f"{task['source']}: {type(exc).__name__}: {exc}"}
    atomic.write_text(result_path, json.dumps(result))
    return 0


# ----------------------------------------------------------------- cache records (stamps)


def read_stamp(page: Page) -> dict | None:
    """The record of the page's last successful execution, or None (absent or unreadable)."""
    try:
        record = json.loads(page.stamp.read_text())
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None


def _legacy_stamp(page: Page) -> bool:
    """A stamp in the earlier format (a bare hex digest): outdated, not damaged."""
    try:
        text = page.stamp.read_text().strip()
    except OSError:
        return False
    return len(text) == 64 and all(c in "0123456789abcdef" for c in text)


def write_stamp(page: Page, record: dict) -> None:
    """Record a finished execution: what the page used (:func:`helpers.build.inputs.make_record`)
    and the notebook's own checksum.

    Written after the notebook is in place (and removed before the page runs again), so a
    stamp always describes a whole notebook; the checksum lets the next build notice a
    notebook damaged since.
    """
    atomic.write_text(
        page.stamp,
        json.dumps({**record, "notebook": atomic.sha256_file(page.executed)}, indent=1, sort_keys=True),
    )


def executed_is_current(page: Page) -> bool:
    """True when the page has a stamp and its executed notebook is the whole one that stamp describes.

    A notebook whose bytes no longer match the checksum recorded with it, or a stamp that is not
    a record, is reported as damaged (and the page runs again). Whether the page's inputs changed
    is :func:`helpers.build.inputs.decide`'s question.
    """
    record = read_stamp(page)
    if record is None or not page.executed.exists():
        if page.stamp.exists() and record is None and not _legacy_stamp(page):
            print(
                f"damaged cache file {_rel(page.stamp)} (not a stamp record): {page.docname} runs again",
                flush=True,
            )
        return False
    if record.get("notebook") != atomic.sha256_file(page.executed):
        print(
            f"damaged cache file {_rel(page.executed)} (its bytes differ from those recorded when it was "
            f"written): {page.docname} runs again",
            flush=True,
        )
        return False
    return True


def take_snapshot() -> dict:
    """Fingerprints of every module a page may import and of the data package
    (:func:`helpers.build.inputs.snapshot`), taken before pages run."""
    from . import inputs

    return inputs.snapshot(ROOT, Path(os.environ.get("BOOK_DATA_DIR", ROOT / "data")))


def _page_task(page: Page, snapshot: dict | None = None) -> workers.Task:
    output = page.executed.with_name(f".{page.executed.stem}.worker.ipynb")
    return workers.Task(
        key=page.docname,
        spec={
            "source": str(page.path),
            "output": str(output),
            "parameters": page.parameters,
            "snapshot": snapshot,
        },
        extra={"page": page, "output": output},
    )


def _accept(page: Page, record: dict, produced: Path) -> None:
    """Check the worker's notebook is whole, move it into place, then write the stamp."""
    import nbformat

    try:
        nbformat.read(produced, as_version=4)
    except Exception as exc:  # noqa: BLE001
        raise BuildError(
            f"{page.docname}: the executed notebook is unreadable ({type(exc).__name__}: {exc})"
        ) from None
    atomic.move_into_place(produced, page.executed)
    write_stamp(page, record)


def run_page(source: Path, output: Path, parameters: dict | None = None) -> dict:
    """Execute one page into ``output`` in a worker (as a build does), for authors and scenario runs."""
    workers.remove_stale_folders()
    task = workers.Task(
        key=_rel(source), spec={"source": str(source), "output": str(output), "parameters": parameters or {}}
    )
    for _, result in workers.run([task], 1, _environment()):
        if not result.get("ok"):
            raise BuildError(result.get("error", f"{_rel(source)}: failed"))
        return result["record"]
    raise BuildError(f"{_rel(source)}: not executed")


def execute(jobs: int = 2, force: bool = False, only: list[str] | None = None, before_pages=None) -> dict:
    """Execute every notebook page whose inputs changed; return ``{"ran": [...], "skipped": [...]}``.

    Pages run in worker processes (:mod:`helpers.build.workers`), all of them even if one
    fails; failures are then raised together. A page's stamp is removed before it runs and
    written only after its whole notebook is in place. Ctrl-C stops every worker and kernel.
    ``before_pages()``, if given, is called once before the first page starts (and not at all
    when no page runs).
    """
    with build_lock(BUILD / ".build.lock", "execute"):
        return _execute(jobs, force, only, before_pages)


def _remove_worker_leftovers() -> None:
    """Temporary notebooks of workers that did not finish (the build holds the lock: none is running)."""
    for pattern in ("**/.*.worker.ipynb", "**/.*.running-*.ipynb", "**/.*.input-*.ipynb"):
        atomic.remove_leftovers(EXECUTED, pattern)


def _execute(jobs, force, only, before_pages=None) -> dict:
    from . import inputs

    workers.remove_stale_folders()
    _remove_worker_leftovers()
    todo, skipped, rendered = [], [], []
    for page in pages():
        if not page.notebook or (only and page.docname not in only and Path(page.docname).name not in only):
            continue
        if force:
            todo.append((page, "forced"))
            continue
        if not executed_is_current(page):
            todo.append((page, "no whole executed notebook with its record"))
            continue
        decision = inputs.decide(page.path, page.parameters, page.stamp, page.executed, ROOT)
        if decision.action == "execute":
            todo.append((page, decision.reason))
        elif decision.action == "render" and inputs.render(page.path, page.executed, page.stamp):
            write_stamp(page, inputs.read_record(page.stamp))  # the notebook's new checksum
            rendered.append(page.docname)
        elif decision.action == "render":
            todo.append((page, "its stored notebook does not match its code"))
        else:
            skipped.append(page.docname)
    if rendered:
        print(f"only the text changed, rendered with stored outputs: {', '.join(rendered)}", flush=True)
    ran, errors, records = [], [], []
    if todo:
        print(f"executing {len(todo)} page(s): {', '.join(p.docname for p, _ in todo)}", flush=True)
        for page, reason in todo:
            print(f"  {page.docname}: {reason}", flush=True)
            page.stamp.unlink(missing_ok=True)
        # one snapshot, before any page starts, for every page of this build: each worker
        # would otherwise fingerprint every module and table again
        snapshot = take_snapshot()
        tasks = [_page_task(page, snapshot) for page, _ in todo]
        if before_pages is not None:
            before_pages()
        try:
            for task, result in workers.run(tasks, jobs, _environment()):
                page, produced = task.extra["page"], task.extra["output"]
                try:
                    if not result.get("ok"):
                        raise BuildError(result.get("error", f"{page.docname}: failed"))
                    _accept(page, result["record"].pop("inputs"), produced)
                except BuildError as exc:
                    produced.unlink(missing_ok=True)
                    errors.append(str(exc))
                    continue
                record = result["record"]
                for note in record.pop("notes", []):
                    print(note, flush=True)
                ran.append(page.docname)
                records.append(record)
                print(f"  executed {page.docname} in {record['seconds']:.1f}s", flush=True)
        finally:
            _remove_worker_leftovers()
            _update_execution_log(records)
    else:
        _update_execution_log([])
    if skipped:
        print(f"unchanged, not executed again: {', '.join(skipped)}", flush=True)
    if errors:
        raise BuildError("execution failed:\n" + "\n".join(errors))
    return {"ran": sorted(ran), "rendered": rendered, "skipped": skipped}


def read_json_cache(path: Path, default):
    """A JSON object the build wrote, or ``default`` if absent or damaged (a damaged file is named)."""
    if not path.exists():
        return default
    try:
        value = json.loads(path.read_text())
    except (OSError, ValueError):
        value = None
    if not isinstance(value, dict):
        print(f"damaged cache file {_rel(path)} (not the JSON object the build writes): rebuilt", flush=True)
        return default
    return value


def _log_from_notebook(page: Page) -> dict | None:
    """A page's execution record rebuilt from papermill's metadata in its executed notebook."""
    try:
        meta = json.loads(page.executed.read_text()).get("metadata", {}).get("papermill", {})
    except (OSError, ValueError):
        return None
    end = str(meta.get("end_time") or "")[:19]
    return {
        "page": _rel(page.path),
        "seconds": round(float(meta.get("duration") or 0), 2),
        "parameters": meta.get("parameters") or {},
        "finished": f"{end}Z" if end else "unknown",
    }


def _update_execution_log(records: list[dict]) -> None:
    """Add this run's records to ``execution-log.json``; a damaged log is rebuilt from the notebooks."""
    log_path = EXECUTED / "execution-log.json"
    log = read_json_cache(log_path, None) if log_path.exists() else {}
    if log is None:  # damaged: rebuild every entry from the executed notebooks themselves
        log = {}
        for page in pages():
            if page.notebook and executed_is_current(page):
                entry = _log_from_notebook(page)
                if entry:
                    log[entry["page"]] = entry
    elif not records and log_path.exists():
        return
    for record in records:
        log[record["page"]] = {**record, "finished": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    atomic.write_text(log_path, json.dumps(log, indent=1, sort_keys=True))


# --------------------------------------------------------------------------- site


def _sync_file(src: Path | None, dst: Path, content: bytes | None = None) -> bool:
    """Copy ``src`` (or write ``content``) to ``dst`` only if the bytes differ, atomically; True if written."""
    data = content if content is not None else src.read_bytes()
    if dst.exists() and dst.read_bytes() == data:
        return False
    atomic.write_bytes(dst, data)
    return True


def stage() -> Path:
    """Assemble ``_build/source`` from configuration, pages, executed notebooks and generated files.

    Only notebooks whose stamp vouches for them are taken: a page whose last run failed or was
    interrupted (its stamp was removed before it ran) or whose notebook is damaged stops the build.
    """
    from . import downloads

    wanted: dict[Path, Path | bytes] = {}
    for name in SITE_FILES:
        wanted[SOURCE / name] = ROOT / name
    for directory in SITE_DIRS:
        for path in sorted((ROOT / directory).rglob("*")):
            if path.is_file():
                wanted[SOURCE / path.relative_to(ROOT)] = path
    for page in pages():
        if page.notebook:
            if not executed_is_current(page):
                raise BuildError(
                    f"{page.docname}: no whole executed notebook (its last run failed, was stopped, or the "
                    "file was damaged); run `make book`"
                )
            wanted[SOURCE / f"{page.docname}.ipynb"] = page.executed
        else:
            wanted[SOURCE / f"{page.docname}.md"] = page.path
    wanted[SOURCE / "_static" / "vega-bundle.js"] = vega_bundle()
    wanted[SOURCE / "generated" / "ledger.csv"] = downloads.spreadsheet_csv(_ledger_csv())
    wanted[SOURCE / "generated" / "errata.csv"] = downloads.spreadsheet_csv(_errata_csv())
    wanted[SOURCE / "generated" / "execution.md"] = execution_report().encode()
    # Downloads for readers: CSVs with a byte-order mark (spreadsheets), the data package zip.
    for dst, src in list(wanted.items()):
        if SOURCE / "data" in dst.parents and dst.suffix == ".csv":  # data/ and data/ledger/cells/
            wanted[dst] = downloads.spreadsheet_csv(src.read_bytes())
    wanted[SOURCE / "generated" / downloads.ZIP_NAME] = downloads.data_package_zip(
        ROOT / "data", ROOT / "seeds"
    )
    # The Chinese web font is cut from the staged pages' characters while Sphinx runs and put
    # into the built site (build_site): it is no Sphinx input, so a new character rewrites no page.
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


def cached_bytes(name: str, key: str, make) -> bytes:
    """Bytes from ``_build/cache/<name>`` if recorded for ``key`` and whole; else ``make()``, stored atomically.

    The record beside the file (``<name>.record.json``) holds the key and the file's SHA-256, so
    a cache file damaged after it was written is named and made again rather than published.
    """
    cache = BUILD / "cache" / name
    record_path = cache.with_name(name + ".record.json")
    record = read_json_cache(record_path, {})
    if cache.exists() and record.get("key") == key:
        content = cache.read_bytes()
        if hashlib.sha256(content).hexdigest() == record.get("sha256"):
            return content
        print(
            f"damaged cache file {_rel(cache)} (its bytes differ from those recorded): made again", flush=True
        )
    record_path.unlink(missing_ok=True)
    content = make()
    atomic.write_bytes(cache, content)
    atomic.write_text(record_path, json.dumps({"key": key, "sha256": hashlib.sha256(content).hexdigest()}))
    return content


def _ledger_csv() -> bytes:
    """The whole book's reproduction ledger as CSV, recomputed only when the shared inputs change."""

    def make() -> bytes:
        from helpers.book import ledger

        return ledger.collect().to_csv(index=False, float_format="%.10g").encode()

    return cached_bytes("ledger.csv", source_digest(shared_inputs()), make)


def vega_bundle() -> bytes:
    """The vega JavaScript bundle (:func:`helpers.charts.write_bundle`), checked against its record.

    Keyed by the installed versions of Altair (which fixes the Vega-Lite version) and vl-convert
    (which carries the JavaScript), read from the package metadata: a build that finds the
    bundle made does not import either."""
    from importlib import metadata

    def make() -> bytes:
        from helpers.book import charts

        scratch = BUILD / "cache" / f".vega-bundle-{os.getpid()}.js"
        scratch.unlink(missing_ok=True)
        try:
            return charts.write_bundle(scratch).read_bytes()
        finally:
            scratch.unlink(missing_ok=True)

    key = f"altair {metadata.version('altair')} vl-convert-python {metadata.version('vl-convert-python')}"
    return cached_bytes("vega-bundle.js", key, make)


def _errata_csv() -> bytes:
    """The ledger's findings, one row per source problem (``appendices.errata_csv``); cached
    under the same key as the ledger CSV it is made from (the book's modules, data and lock)."""

    def make() -> bytes:
        import pandas as pd

        from helpers.chapters import appendices

        table = pd.read_csv(io.BytesIO(_ledger_csv()), keep_default_na=False, na_values=[""])
        table["finding"] = table["finding"].fillna("")
        table["note"] = table["note"].fillna("")
        return appendices.errata_csv(table)

    return cached_bytes("errata.csv", source_digest(shared_inputs()), make)


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

    log = read_json_cache(EXECUTED / "execution-log.json", {})
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


SPHINX_WORK = BUILD / "sphinx"
"""Where Sphinx builds (its output and doctrees); the published ``_build/html`` is a copy swapped in whole."""


def _assets_digest(staged: list[Path]) -> str:
    """Digest of every staged file that is not a page: static files, downloads, configuration."""
    return files_digest([p for p in staged if p.suffix not in (".md", ".ipynb")], SOURCE)


def check_static_published(html: Path) -> list[str]:
    """Static files of the source whose bytes the site does not carry (a stale copy or none)."""
    stale = []
    for path in sorted((SOURCE / "_static").rglob("*")):
        if path.is_file() and not path.name.endswith("_t"):
            out = html / "_static" / path.relative_to(SOURCE / "_static")
            if not out.is_file() or out.read_bytes() != path.read_bytes():
                stale.append(str(path.relative_to(SOURCE)))
    return stale


def build_site(strict: bool = True, sphinx=None) -> Path:
    """Run Jupyter Book on the staged source; publish the result to ``_build/html`` only if it passed.

    Sphinx works in ``_build/sphinx`` (incrementally); when it succeeds, and the site carries
    every static file as staged, its output is copied aside and swapped in for ``_build/html``
    whole (:func:`helpers.build.atomic.swap_folder`). When it fails, ``_build/html`` is left as
    it was and Sphinx's environment is discarded, so the next build reads every page again and
    reports the same error instead of passing on a cached environment. A change to a static
    file, a download or the configuration makes Sphinx write every page (``--all``), because
    Sphinx copies those only when it writes a page.
    """
    with build_lock(BUILD / ".build.lock", "site"):
        return _build_site(strict, sphinx)


def _build_site(strict: bool, sphinx=None) -> Path:
    from . import fonts

    exe = Path(sys.executable).parent / "jupyter-book"
    work_html = SPHINX_WORK / "_build" / "html"
    cmd = [
        str(exe),
        "build",
        str(SOURCE),
        "--path-output",
        str(SPHINX_WORK),
        "--builder",
        "html",
        "--keep-going",
    ]
    if strict:
        cmd += ["-W", "-n"]
    # The site is a function of the staged source, the installed packages and the command; and
    # its Chinese web font of the characters of the staged pages.
    staged = sorted(p for p in SOURCE.rglob("*") if p.is_file())
    characters = fonts.cjk_characters(p for p in staged if p.suffix in fonts.TEXT_SUFFIXES)
    digest = (
        files_digest([*staged, ROOT / "requirements.lock"])
        + " ".join(cmd[3:]).replace(str(ROOT), "")
        + f" font {fonts.font_key(characters)}"
        + f" extensions {_local_extensions_key()}"
    )
    stamp = BUILD / "site.sha256"
    font_path = Path("_static") / "fonts" / fonts.FONT_FILE
    if _stamp_matches(stamp, digest) and (HTML / "index.html").exists() and (HTML / font_path).exists():
        print("site source unchanged since the last build; Sphinx not run", flush=True)
        return HTML
    stamp.unlink(missing_ok=True)
    atomic.remove_leftovers(BUILD, "html.new-*")
    atomic.remove_leftovers(BUILD, "html.old-*")
    # Sphinx never deletes the HTML of a page that left the book: when the set of pages changes,
    # build from scratch so that no orphan page stays published.
    docs = sorted(str(p.relative_to(SOURCE)) for p in staged if p.suffix in (".md", ".ipynb"))
    record = BUILD / "site-record.json"
    previous = read_json_cache(record, {})
    if previous.get("pages") is not None and previous.get("pages") != docs:
        print("pages were added or removed: building the site from scratch", flush=True)
        shutil.rmtree(SPHINX_WORK, ignore_errors=True)
    assets = _assets_digest(staged)
    if previous.get("assets") != assets and work_html.exists():
        print("static files, downloads or configuration changed: Sphinx writes every page", flush=True)
        cmd.append("--all")
    font: dict = {}

    def cut_font() -> None:  # in a thread while Sphinx runs (fontTools; the build only waits)
        try:
            font["bytes"] = fonts.font_for(characters, BUILD / "cache" / "fonts")
        except Exception as exc:  # noqa: BLE001 - reported after Sphinx, naming the cause
            font["error"] = exc

    with alongside(cut_font):
        if sphinx is not None:  # a process started with the build, its imports done (warm_sphinx)
            result = sphinx.run(cmd)
        else:
            result = subprocess.run(cmd, cwd=ROOT, env=_environment(), capture_output=True, text=True)
    atomic.write_text(BUILD / "sphinx.log", result.stdout + "\n" + result.stderr)
    if result.returncode != 0:
        shutil.rmtree(SPHINX_WORK, ignore_errors=True)
        warnings = [
            ln
            for ln in (result.stdout + result.stderr).splitlines()
            if "WARNING" in ln or "ERROR" in ln or "Error" in ln
        ]
        raise BuildError(
            "site build failed; the published site (_build/html) is unchanged (full log: _build/sphinx.log):\n  "
            + "\n  ".join(warnings[-30:])
        )
    if "error" in font:
        shutil.rmtree(SPHINX_WORK, ignore_errors=True)
        error = font["error"]
        raise BuildError(str(error) if isinstance(error, fonts.FontError) else f"web font: {error!r}")
    atomic.write_bytes(work_html / font_path, font["bytes"])
    stale = check_static_published(work_html)
    if stale:
        shutil.rmtree(SPHINX_WORK, ignore_errors=True)
        raise BuildError("site build left static files out of date: " + ", ".join(stale[:10]))
    new = BUILD / f"html.new-{os.getpid()}"
    shutil.rmtree(new, ignore_errors=True)
    atomic.copy_tree_reusing(work_html, new, HTML)  # pages Sphinx did not rewrite: linked, not copied
    atomic.swap_folder(new, HTML)
    atomic.write_text(record, json.dumps({"pages": docs, "assets": assets}))
    atomic.write_text(stamp, digest)
    return HTML


def pdf_edition(html: Path = HTML, force: bool = False) -> None:
    """Print the built site into ``book.pdf`` (:mod:`helpers.build.pdf`); skipped while it is unchanged."""
    from . import pdf

    started = time.time()
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    try:
        written = pdf.build_pdf(html, toc, config, BUILD / "pdf", force=force)
    except pdf.PdfError as exc:
        (html / pdf.PDF_NAME).unlink(missing_ok=True)
        raise BuildError(f"PDF edition: {exc}") from None
    if written:
        print(f"PDF edition written in {time.time() - started:.1f}s: {written}", flush=True)
    else:
        print("site unchanged since the PDF edition was printed; not printed again", flush=True)


def validate(force: bool = False, before=None) -> None:
    """Validate the data package; :class:`BuildError` listing every bad table.

    Validation is a pure function of ``data/``, the helpers, the lock and the names of the seed
    files, so it is skipped when their digest equals the one recorded at the last pass.
    ``before()``, if given, is called when validation does run, before its two processes start.
    """
    digest = source_digest(shared_inputs() + sorted((ROOT / "seeds").glob("*")))
    stamp = BUILD / "validated.sha256"
    if not force and _stamp_matches(stamp, digest):
        print("data package unchanged since it last passed validation", flush=True)
        return
    from helpers.book import data  # pandas and frictionless: imported only when validating

    stamp.unlink(missing_ok=True)
    if before is not None:
        before()
    problems = data.validate_package(processes=2)  # one per core; pages have not started
    if problems:
        raise BuildError("\n".join(problems))
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(digest)


def prepare_generated() -> None:
    """Make the staged files that depend on no page's run (the vega bundle, the ledger CSV) into
    their caches, so that :func:`stage` finds them made. Run alongside execution: the build
    process only waits for its workers then, and the last page often leaves a core idle. A
    failure here is left for :func:`stage`, which makes the same file again and reports it."""
    # the ledger first: it is stored in the build's memo, where the pages that need it find it
    for make in (_ledger_csv, _errata_csv, vega_bundle):
        try:
            make()
        except Exception:  # noqa: BLE001 - stage() makes it again and names the error
            pass


@contextlib.contextmanager
def alongside(work):
    """Run ``work()`` in a thread while the block runs; wait for it before leaving the block
    (also when the block fails or is interrupted), so nothing is written after the build ends."""
    import threading

    thread = threading.Thread(target=work, name=getattr(work, "__name__", "alongside"), daemon=True)
    thread.start()
    try:
        yield
    finally:
        thread.join()


class StageTimes:
    """Wall time of each step of a build, printed on its last line (``validate 0.1s, …``)."""

    def __init__(self):
        self.seconds: dict[str, float] = {}

    @contextlib.contextmanager
    def __call__(self, name: str):
        start = time.time()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.time() - start

    def __str__(self) -> str:
        return ", ".join(f"{name} {seconds:.1f}s" for name, seconds in self.seconds.items())


def book(jobs: int = 2, force: bool = False, pdf: bool = False) -> Path:
    """Validate, execute changed pages, stage and build the site (``make book``); with ``pdf``,
    print the PDF edition too (``make pdf``, ``make test``)."""
    from . import warm_sphinx

    t0 = time.time()
    times = StageTimes()
    with (
        build_lock(BUILD / ".build.lock", "book"),
        memo_environment(),
        warm_sphinx.started(
            ROOT / "_config.yml", ROOT, _environment(), BUILD / "cache" / "sphinx-modules.json"
        ) as sphinx,
    ):
        with times("validate"):
            validate(before=sphinx.make_way)  # the warm process makes way for the build's work
        with times("execute"), alongside(prepare_generated):
            execute(jobs=jobs, force=force, before_pages=sphinx.make_way)
        with times("stage"):
            stage()
        with times("site"):
            html = build_site(sphinx=sphinx)
        if pdf:
            with times("pdf"):
                pdf_edition(html)
    print(f"built in {time.time() - t0:.1f}s ({times}); open {html / 'index.html'}", flush=True)
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
    b = sub.add_parser("book", help="validate, execute changed pages, build the site (--pdf: and the PDF)")
    b.add_argument("--jobs", type=int, default=2)
    b.add_argument("--force", action="store_true", help="execute every page even if unchanged")
    b.add_argument("--pdf", action="store_true", help="print the PDF edition too (make pdf)")
    e = sub.add_parser("execute", help="validate and execute changed pages")
    e.add_argument("--jobs", type=int, default=2)
    e.add_argument("--force", action="store_true")
    e.add_argument("--only", nargs="*", help="page names to consider")
    r = sub.add_parser("run", help="execute one page, optionally with parameters")
    r.add_argument("page", help="e.g. chapters/retail_risk.md or retail_risk")
    r.add_argument("-p", "--parameter", nargs=2, action="append", metavar=("NAME", "VALUE"), default=[])
    r.add_argument("--output", help="executed notebook path (default _build/runs/<page>.ipynb)")
    sub.add_parser("validate", help="validate the data package")
    sub.add_parser("site", help="stage and build the site (not the PDF) from already executed pages")
    d = sub.add_parser("pdf", help="print the built site into _build/html/book.pdf")
    d.add_argument("--force", action="store_true", help="print even if the site is unchanged")
    w = sub.add_parser("worker", help=argparse.SUPPRESS)
    w.add_argument("task", nargs="?", help="one page's task file (without --serve)")
    w.add_argument("--serve", action="store_true", help="run the pages named on standard input")
    args = parser.parse_args(argv)
    if args.command == "worker":
        return serve_worker() if args.serve else run_worker(Path(args.task))
    try:
        if args.command == "book":
            book(jobs=args.jobs, force=args.force, pdf=args.pdf)
        elif args.command == "execute":
            with build_lock(BUILD / ".build.lock", "execute"):
                validate()
                execute(jobs=args.jobs, force=args.force, only=args.only)
        elif args.command == "validate":
            with build_lock(BUILD / ".build.lock", "validate"):
                validate(force=True)
            print("data package valid")
        elif args.command == "site":
            with build_lock(BUILD / ".build.lock", "site"):
                stage()
                print(f"open {build_site() / 'index.html'}")
        elif args.command == "pdf":
            with build_lock(BUILD / ".build.lock", "pdf"):
                pdf_edition(force=args.force)
        elif args.command == "run":
            source = Path(args.page)
            if not source.exists():
                source = ROOT / "chapters" / f"{Path(args.page).stem}.md"
            params = {name: _parse_value(value) for name, value in args.parameter}
            out = Path(args.output) if args.output else BUILD / "runs" / f"{source.stem}.ipynb"
            record = run_page(source.resolve(), out.resolve(), params)
            for note in record.pop("notes", []):
                print(note, flush=True)
            print(f"executed {record['page']} in {record['seconds']}s → {out}")
    except BuildError as exc:
        print(f"BUILD FAILED: {exc}", file=sys.stderr)
        return 1
    except LockBusy as exc:
        print(f"BUILD STOPPED: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(
            "BUILD STOPPED: interrupted; running pages and their kernels were stopped, and nothing "
            "half-built was published (the next build redoes what was cut short)",
            file=sys.stderr,
        )
        return 130
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
