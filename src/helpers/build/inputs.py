"""What a page really used when it last ran, and whether any of it changed since.

A notebook page is executed again when, and only when, something it used changed:

* **its code**: the source of its code cells in order, which cell carries the ``parameters``
  tag, and its kernel; plus the parameters it is run with;
* **the project modules it imported**: a last, hidden step in the kernel lists every module in
  ``sys.modules`` that lives in the project (``helpers.*`` wherever it is installed, and any
  other module under the project root outside ``.venv``). Each is fingerprinted by its syntax
  tree with docstrings removed, so comments, blank lines, formatting and docstrings do not
  count. Two exceptions keep the bytes: a module whose file name appears in the page's outputs
  (a warning or traceback quoting its line numbers), and any module when the page's code reads
  docstrings (``__doc__``, ``help(``, ``getdoc``), or the module itself does;
* **the data it loaded**: :mod:`helpers.book.data` records each resource :func:`load` read
  (fingerprint: its descriptor entry in ``datapackage.json`` and the CSV's bytes), and whether
  the page read the package as a whole (the resource list or the descriptor), in which case the
  whole ``datapackage.json`` and every CSV it lists count;
* **the environment**: ``requirements.lock`` and the Python version.

When all of that is unchanged but the page's text is not (prose, headings, cell tags), the page
is *rendered*: the new text is merged with the stored outputs (:func:`merge_text`), no kernel
starts. When nothing changed at all, the page is skipped.

A build tool (``helpers.build``) is imported by no page, so it is no input of any page. The
record of a page lives beside its executed notebook, as ``<page>.inputs.json``.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

RECORD_VERSION = 3
RECORD_TAG = "book-inputs-record"
"""Tag of the hidden last cell that reports what the kernel imported and loaded."""

RECORD_MIME = "application/vnd.book.inputs+json"

DOCSTRING_READERS = ("__doc__", "help(", "getdoc", "inspect.")
"""Code that mentions one of these may show a docstring: modules are then fingerprinted whole."""

_RECORDER = """\
def _book_inputs_record(root):
    import os, sys
    from IPython.display import display
    venv = os.path.join(root, ".venv") + os.sep
    modules = {{}}
    for name, module in list(sys.modules.items()):
        path = getattr(module, "__file__", None)
        if not path:
            continue
        path = os.path.realpath(path)
        inside = path.startswith(root + os.sep) and not path.startswith(venv)
        if name == "helpers" or name.startswith("helpers.") or inside:
            modules[name] = path
    data = sys.modules.get("helpers.book.data")
    used = data.used() if data is not None and hasattr(data, "used") else {{}}
    display({{"{mime}": {{"modules": modules, "data": used, "python": sys.version}}}}, raw=True)


_book_inputs_record({root!r})
del _book_inputs_record
"""


# --------------------------------------------------------------------------- fingerprints


def sha256(data: bytes | str) -> str:
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()


class _StripDocstrings(ast.NodeTransformer):
    def _strip(self, node):
        self.generic_visit(node)
        body = node.body
        if (
            body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)
        ):
            node.body = body[1:] or [ast.Pass()]
        return node

    visit_Module = visit_ClassDef = visit_FunctionDef = visit_AsyncFunctionDef = _strip


_FINGERPRINTS: dict[str, str] = {}
_CACHE: dict = {"file": None, "dirty": False}
RACY_SECONDS = 2.0
"""A fingerprint is remembered across builds only for a file last modified longer ago than this:
an edit within the same time-stamp tick that keeps the size could otherwise go unseen."""


def remember_in(folder: Path) -> None:
    """Keep fingerprints across builds in ``folder/fingerprints.json``, keyed by path, size and
    modification time (saved when the process ends). Without it they last one process."""
    import atexit

    path = folder / "fingerprints.json"
    if _CACHE["file"] == path:
        return
    try:
        _FINGERPRINTS.update(json.loads(path.read_text(encoding="utf-8")))
    except (FileNotFoundError, json.JSONDecodeError):
        pass
    if _CACHE["file"] is None:
        atexit.register(_save_remembered)
    _CACHE["file"] = path


def _save_remembered() -> None:
    if _CACHE["file"] is None or not _CACHE["dirty"]:
        return
    try:
        _CACHE["file"].parent.mkdir(parents=True, exist_ok=True)
        tmp = _CACHE["file"].with_name(f"fingerprints.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(_FINGERPRINTS, sort_keys=True), encoding="utf-8")
        tmp.replace(_CACHE["file"])
    except OSError:
        pass  # a cache only


def _remembered(path: Path, kind: str, compute) -> str:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return "missing"
    key = f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\0{kind}"
    value = _FINGERPRINTS.get(key)
    if value is None:
        value = compute()
        if time.time() - stat.st_mtime > RACY_SECONDS:
            _FINGERPRINTS[key] = value
            _CACHE["dirty"] = True
    return value


def module_fingerprint(path: Path, keep_docstrings: bool = False) -> str:
    """SHA-256 of a Python module's syntax tree: comments and layout never count; docstrings
    count only with ``keep_docstrings`` (or when the module reads ``__doc__`` itself).

    A file that does not parse is fingerprinted by its bytes; a missing file is ``"missing"``.
    """
    kind = "module+doc" if keep_docstrings else "module"
    return _remembered(path, kind, lambda: _module_fingerprint(path, keep_docstrings))


def _module_fingerprint(path: Path, keep_docstrings: bool) -> str:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return "missing"
    except UnicodeDecodeError:
        return "bytes:" + sha256(path.read_bytes())
    try:
        tree = ast.parse(text, filename=str(path))
    except SyntaxError:
        return "bytes:" + sha256(text)
    if not (keep_docstrings or any(word in text for word in DOCSTRING_READERS)):
        tree = _StripDocstrings().visit(tree)
    return "ast:" + sha256(ast.dump(tree, annotate_fields=False, include_attributes=False))


def _fingerprint(path: Path, mode: str) -> str:
    """A module by its ``code`` (syntax tree, no docstrings), its code and ``docstrings``, or its
    ``bytes``."""
    if mode == "bytes":
        value = file_fingerprint(path)
        return value if value == "missing" else "bytes:" + value
    return module_fingerprint(path, keep_docstrings=mode == "docstrings")


def file_fingerprint(path: Path) -> str:
    """SHA-256 of a file's bytes, or ``"missing"``."""

    def compute() -> str:
        try:
            return sha256(path.read_bytes())
        except FileNotFoundError:
            return "missing"

    return _remembered(path, "bytes", compute)


def source_fingerprint(paths: list[Path], root: Path) -> str:
    """One digest over files by meaning: Python modules by :func:`module_fingerprint`, other files
    by bytes; with each path relative to ``root``. Used for steps that depend on a whole tree
    (data validation, the ledger CSV): a comment in a helper changes nothing."""
    remember_in(root / "_build" / "cache")
    h = hashlib.sha256()
    for path in paths:
        rel = str(path.relative_to(root)) if path.is_relative_to(root) else str(path)
        value = module_fingerprint(path) if path.suffix == ".py" else file_fingerprint(path)
        h.update(f"{rel}\0{value}\0".encode())
    return h.hexdigest()


def code_key(notebook) -> str:
    """What of a notebook's own text its execution depends on: code cells (source, in order,
    and whether each is the parameters cell) and the kernel. Markdown, raw cells and every
    other cell tag or metadata do not execute and do not count."""
    cells = [
        [cell.source, "parameters" in cell.metadata.get("tags", [])]
        for cell in notebook.cells
        if cell.cell_type == "code"
    ]
    kernel = notebook.metadata.get("kernelspec", {}).get("name", "")
    return sha256(json.dumps({"cells": cells, "kernel": kernel}, ensure_ascii=False))


def _descriptor(data_dir: Path) -> dict:
    try:
        return json.loads((data_dir / "datapackage.json").read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {}


def resource_fingerprint(name: str, data_dir: Path, descriptor: dict | None = None) -> str:
    """SHA-256 over one resource's entry in ``datapackage.json`` and its CSV bytes."""
    descriptor = _descriptor(data_dir) if descriptor is None else descriptor
    entry = next((r for r in descriptor.get("resources", []) if r.get("name") == name), None)
    if entry is None:
        return "missing"
    csv = file_fingerprint(data_dir / entry.get("path", ""))
    return sha256(json.dumps(entry, sort_keys=True, ensure_ascii=False) + "\0" + csv)


def package_fingerprint(data_dir: Path) -> str:
    """The whole data package: ``datapackage.json`` and every CSV it lists."""
    descriptor = _descriptor(data_dir)
    parts = [file_fingerprint(data_dir / "datapackage.json")]
    parts += [file_fingerprint(data_dir / r.get("path", "")) for r in descriptor.get("resources", [])]
    return sha256("\0".join(parts))


def reads_docstrings(notebook) -> bool:
    return any(
        word in cell.source
        for cell in notebook.cells
        if cell.cell_type == "code"
        for word in DOCSTRING_READERS
    )


# --------------------------------------------------------------------------- recording in the kernel


def add_recorder(notebook, root: Path):
    """Append the hidden last cell that reports the modules and data the page used."""
    import nbformat

    cell = nbformat.v4.new_code_cell(_RECORDER.format(root=str(Path(root).resolve()), mime=RECORD_MIME))
    cell.metadata["tags"] = [RECORD_TAG, "remove-cell"]
    notebook.cells.append(cell)
    return notebook


def take_record(notebook) -> dict | None:
    """Remove the recorder cell from an executed notebook; return what it reported (None if it
    never ran)."""
    found = None
    kept = []
    for cell in notebook.cells:
        if RECORD_TAG in cell.metadata.get("tags", []):
            for output in cell.get("outputs", []):
                if RECORD_MIME in output.get("data", {}):
                    found = output["data"][RECORD_MIME]
        else:
            kept.append(cell)
    notebook.cells = kept
    return found


def _outputs_text(notebook) -> str:
    return json.dumps([cell.get("outputs", []) for cell in notebook.cells if cell.cell_type == "code"])


# --------------------------------------------------------------------------- the record


@dataclass
class Decision:
    action: str  # "execute", "render" or "skip"
    reason: str


def _rel(path: Path, root: Path) -> str:
    return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)


def _abs(rel: str, root: Path) -> Path:
    path = Path(rel)
    return path if path.is_absolute() else root / path


def _environment(root: Path) -> dict:
    return {"lock": file_fingerprint(root / "requirements.lock"), "python": sys.version}


def snapshot(root: Path, data_dir: Path) -> dict:
    """Fingerprints of every module a page may import and of the data package, taken before a
    page runs: a file edited while the page runs then counts as changed at the next build."""
    root = root.resolve()
    descriptor = _descriptor(data_dir)
    return {
        "modules": {_rel(p, root): module_fingerprint(p) for p in book_sources(root)},
        "resources": {
            r.get("name"): resource_fingerprint(r.get("name"), data_dir, descriptor)
            for r in descriptor.get("resources", [])
        },
        "package": package_fingerprint(data_dir),
        "files": {
            p.relative_to(data_dir).as_posix(): file_fingerprint(p)
            for p in sorted(data_dir.rglob("*.csv"))
            if p.is_file()
        },
        "environment": _environment(root),
    }


def make_record(
    source_text: str, source_nb, parameters: dict, used: dict, executed_nb, root: Path, before: dict
) -> dict:
    """The record of one successful run: what the page used (as the kernel reported it), each
    with its fingerprint from the :func:`snapshot` taken ``before`` the run."""
    root = root.resolve()
    data_used = used.get("data") or {}
    data_dir = Path(data_used.get("directory") or root / "data")
    outputs = _outputs_text(executed_nb)
    whole = reads_docstrings(source_nb)
    modules = {}
    for path in sorted(set(used.get("modules", {}).values())):
        file = Path(path)
        rel = _rel(file, root)
        if str(file) in outputs or rel in outputs:
            mode = "bytes"  # the outputs quote its line numbers: every byte counts
        elif whole:
            mode = "docstrings"  # the page reads docstrings
        else:
            mode = "code"
        fingerprint = (before["modules"].get(rel) if mode == "code" else None) or _fingerprint(file, mode)
        modules[rel] = {"mode": mode, "fingerprint": fingerprint}
    descriptor = _descriptor(data_dir)
    resources = {}
    for name in sorted(data_used.get("resources", [])):
        resources[name] = before["resources"].get(name) or resource_fingerprint(name, data_dir, descriptor)
    files = {}
    for rel in sorted(data_used.get("files", [])):
        files[rel] = before.get("files", {}).get(rel) or file_fingerprint(_abs(rel, data_dir))
    return {
        "version": RECORD_VERSION,
        "text": sha256(source_text),
        "code": code_key(source_nb),
        "parameters": parameters or {},
        "environment": before["environment"],
        "modules": modules,
        "resources": resources,
        "package": before["package"] if data_used.get("package") else None,
        "files": files,
        "data_dir": _rel(data_dir, root),
    }


def read_record(path: Path) -> dict | None:
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return None
    return record if record.get("version") == RECORD_VERSION else None


def decide(source: Path, parameters: dict, record_path: Path, executed: Path, root: Path) -> Decision:
    """Whether a page must be executed, only rendered with its stored outputs, or skipped."""
    root = root.resolve()
    remember_in(root / "_build" / "cache")
    record = read_record(record_path)
    if record is None or not executed.exists():
        return Decision("execute", "no record of an earlier run")
    data_dir = _abs(record["data_dir"], root)
    text = source.read_text(encoding="utf-8")
    if record["parameters"] != (parameters or {}):
        return Decision("execute", "its parameters changed")
    if record["environment"] != _environment(root):
        return Decision("execute", "requirements.lock or Python changed")
    for rel, module in record["modules"].items():
        now = _fingerprint(_abs(rel, root), module["mode"])
        if now != module["fingerprint"]:
            return Decision("execute", f"{rel} changed" if now != "missing" else f"{rel} is gone")
    descriptor = _descriptor(data_dir) if record["resources"] else {}
    for name, fingerprint in record["resources"].items():
        if resource_fingerprint(name, data_dir, descriptor) != fingerprint:
            return Decision("execute", f"data resource {name!r} changed")
    if record["package"] is not None and package_fingerprint(data_dir) != record["package"]:
        return Decision("execute", "the data package changed")
    for rel, fingerprint in record.get("files", {}).items():
        if file_fingerprint(_abs(rel, data_dir)) != fingerprint:
            return Decision("execute", f"data file {rel} changed")
    if sha256(text) == record["text"]:
        return Decision("skip", "unchanged")
    import jupytext  # only for a page whose text changed

    if code_key(jupytext.reads(text, fmt="md:myst")) != record["code"]:
        return Decision("execute", "its code changed")
    return Decision("render", "only its text changed")


def merge_text(source_nb, executed_nb):
    """The page's new text with the stored outputs: every markdown and raw cell, and every cell's
    metadata, from ``source_nb``; each code cell's outputs and execution count from the stored
    ``executed_nb`` (same code, by :func:`code_key`); cells papermill injected stay after the
    parameters cell, as they were; the stored notebook metadata is kept and updated from the new."""
    injected = [c for c in executed_nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    stored = [
        c
        for c in executed_nb.cells
        if c.cell_type == "code" and "injected-parameters" not in c.metadata.get("tags", [])
    ]
    code = [c for c in source_nb.cells if c.cell_type == "code"]
    if [c.source for c in code] != [c.source for c in stored]:
        raise ValueError("the stored notebook's code differs from the page's: execute it instead")
    merged = []
    remaining = iter(stored)
    for cell in source_nb.cells:
        if cell.cell_type != "code":
            merged.append(cell)
            continue
        old = next(remaining)
        new = cell.copy()
        new.outputs = old.outputs
        new.execution_count = old.execution_count
        for key in ("papermill", "execution"):
            if key in old.metadata:
                new.metadata[key] = old.metadata[key]
        merged.append(new)
        if "parameters" in cell.metadata.get("tags", []):
            merged.extend(injected)
    result = executed_nb.copy()
    result.metadata = {**executed_nb.metadata, **source_nb.metadata}
    result.cells = merged
    return result


def stable_cell_ids(nb):
    """Give every cell of ``nb`` an id made from its place, type and source (nbformat gives a
    cell read from text, or injected by papermill, a random one): two builds of the same page
    then write the same notebook, byte for byte (it is offered for download). Returns ``nb``."""
    for index, cell in enumerate(nb.cells):
        cell["id"] = sha256(f"{index}\0{cell.cell_type}\0{cell.source}")[:16]
    return nb


def write_record(path: Path, record: dict) -> None:
    """Write a page's record (through a temporary file, so a record is never half written)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(record, indent=1, sort_keys=True), encoding="utf-8")
    tmp.replace(path)


def render(source: Path, executed: Path, record_path: Path) -> bool:
    """Rewrite the executed notebook with the page's new text and its stored outputs; update the
    record's text digest. Only for a :func:`decide` that said ``render``; False (nothing
    written) when the stored notebook's code does not match the page's, which must then run."""
    import jupytext
    import nbformat

    text = source.read_text(encoding="utf-8")
    try:
        merged = merge_text(jupytext.reads(text, fmt="md:myst"), nbformat.read(executed, as_version=4))
    except ValueError:
        return False
    tmp = executed.with_name(executed.name + ".tmp")
    nbformat.write(stable_cell_ids(merged), tmp)
    record = read_record(record_path)
    record["text"] = sha256(text)
    tmp.replace(executed)
    write_record(record_path, record)
    return True


def book_sources(root: Path) -> list[Path]:
    """The project's Python modules that pages may import: ``src/helpers`` without the build
    tools (``helpers.build``, imported by no page)."""
    package = root / "src" / "helpers"
    return sorted(
        p
        for p in package.rglob("*.py")
        if "__pycache__" not in p.parts and not p.is_relative_to(package / "build")
    )
