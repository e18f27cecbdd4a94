"""Load the book's tables from the Frictionless Data Package in ``data/``, validated.

``load("name")`` returns a :class:`pandas.DataFrame` only after the CSV has passed every check:

1. the Table Schema in ``data/datapackage.json`` (column names, types, ``required``,
   ``minimum``/``maximum``, ``enum``, primary key), checked by the ``frictionless`` library;
2. units: every ``unit`` cell, and every field's ``"unit"`` property, is a code in
   :data:`helpers.units.UNITS`;
3. provenance: every row names a ``source`` that is a file in ``seeds/`` and a ``locator``.

The first problems found are reported together in one :class:`DataError` whose message names
the file, the line (as an editor counts it, header = line 1) and the column of each, and why.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import json
import multiprocessing
import os
import re
from functools import cache
from pathlib import Path

import pandas as pd

from helpers.book import memo, units

PROJECT_ROOT = Path(__file__).resolve().parents[3]
"""The repository root (``src/helpers/book/`` is three levels below it)."""

MAX_REPORTED = 10
"""How many problems one :class:`DataError` lists before it stops counting."""

PROVENANCE_COLUMNS = ("source", "locator")


class DataError(ValueError):
    """A table in ``data/`` failed validation; the message names file, line and column."""


def data_dir() -> Path:
    """The data package folder: ``$BOOK_DATA_DIR`` if set (tests use this), else ``data/``."""
    return Path(os.environ.get("BOOK_DATA_DIR", PROJECT_ROOT / "data")).resolve()


def seeds_dir() -> Path:
    """The folder of primary sources that every row's ``source`` must name a file in."""
    return Path(os.environ.get("BOOK_SEEDS_DIR", PROJECT_ROOT / "seeds")).resolve()


_USED: dict = {"resources": set(), "package": False, "files": set()}


def used() -> dict:
    """What this process has read of the data package: the resources it loaded, and whether it
    read the package as a whole (its resource list or descriptor). The build records this after
    a page runs, so the page is executed again only when what it read changes."""
    base = data_dir()
    files = set()
    for path in _USED["files"]:
        file = Path(path).resolve()
        files.add(file.relative_to(base).as_posix() if file.is_relative_to(base) else str(file))
    return {
        "resources": sorted(_USED["resources"]),
        "package": _USED["package"],
        "files": sorted(files),
        "directory": str(base),
    }


@contextlib.contextmanager
def tracking():
    """Within the block, collect what is read of the data package into the dict it yields
    (``resources``, ``files`` relative to the data folder, ``package``), and record it as read
    as usual; :func:`replay` records such a dict again (a result read from the build's memo)."""
    saved = {"resources": _USED["resources"], "files": _USED["files"], "package": _USED["package"]}
    _USED.update(resources=set(), files=set(), package=False)
    used: dict = {}
    try:
        yield used
    finally:
        base = data_dir()
        used.update(
            resources=sorted(_USED["resources"]),
            files=sorted(_relative(Path(p).resolve(), base) for p in _USED["files"]),
            package=_USED["package"],
        )
        _USED.update(
            resources=saved["resources"] | _USED["resources"],
            files=saved["files"] | _USED["files"],
            package=saved["package"] or _USED["package"],
        )


def _relative(file: Path, base: Path) -> str:
    return file.relative_to(base).as_posix() if file.is_relative_to(base) else str(file)


def replay(used: dict) -> None:
    """Record as read what :func:`tracking` collected (see :mod:`helpers.book.memo`)."""
    base = data_dir()
    _USED["resources"].update(used.get("resources", ()))
    _USED["files"].update(str(base / rel) for rel in used.get("files", ()))  # absolute stays absolute
    _USED["package"] = _USED["package"] or bool(used.get("package"))


def note_file(path) -> None:
    """Record that this process read ``path``, a file of the data folder that is not a package
    resource (the ledger's cells files and findings table): a page that read it is executed
    again when it changes."""
    _USED["files"].add(str(path))


def _read_descriptor(directory: Path | None = None) -> dict:
    path = (directory or data_dir()) / "datapackage.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(f"{path}: the data package descriptor is missing") from None
    except json.JSONDecodeError as exc:
        raise DataError(
            f"{path}: line {exc.lineno}, column {exc.colno}: not valid JSON ({exc.msg})"
        ) from None


@cache
def _parsed_descriptor(path: str, mtime_ns: int, size: int) -> dict:
    """``datapackage.json`` parsed once while its modification time and size stay the same."""
    return _read_descriptor(Path(path).parent)


def package_descriptor(directory: Path | None = None) -> dict:
    """The parsed ``datapackage.json``; a :class:`DataError` if it is missing or not JSON."""
    _USED["package"] = True
    return _read_descriptor(directory)


def resource_names(directory: Path | None = None) -> list[str]:
    """Names of every resource in the data package, in descriptor order."""
    _USED["package"] = True
    return [r["name"] for r in _read_descriptor(directory).get("resources", [])]


def resource(name: str, directory: Path | None = None) -> dict:
    """The descriptor of resource ``name``; a :class:`DataError` listing the known names if absent."""
    _USED["resources"].add(name)
    path = (directory or data_dir()) / "datapackage.json"
    try:
        stat = path.stat()
    except FileNotFoundError:
        stat = None
    parsed = (
        _parsed_descriptor(str(path), stat.st_mtime_ns, stat.st_size) if stat else _read_descriptor(directory)
    )
    resources = parsed.get("resources", [])
    for res in resources:
        if res.get("name") == name:
            return copy.deepcopy(res)  # the cached descriptor stays as read
    known = ", ".join(sorted(r.get("name", "?") for r in resources))
    raise DataError(f"no table named {name!r} in data/datapackage.json; known tables: {known}")


def _field_names(descriptor: dict) -> list[str]:
    return [f["name"] for f in descriptor.get("schema", {}).get("fields", [])]


def _json_position(text: str, resource: str | None, field: str | None = None) -> tuple[int, int]:
    """Line and column (1-based, as an editor shows them) of a resource's or field's name in the JSON text."""
    offset = 0
    if resource is not None:
        m = re.search(r'"name"\s*:\s*' + re.escape(json.dumps(resource)), text)
        if m:
            offset = m.start()
            if field is not None:
                f = re.compile(r'"name"\s*:\s*' + re.escape(json.dumps(field))).search(text, m.end())
                if f:
                    offset = f.start()
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


SCHEMA_TYPES = (
    "string",
    "number",
    "integer",
    "boolean",
    "date",
    "datetime",
    "time",
    "year",
    "yearmonth",
    "duration",
)


def descriptor_problems(directory: Path | None = None) -> list[str]:
    """Structural problems of ``datapackage.json``, each naming the file, line and column.

    Checked before any table is read, so a broken descriptor gives one clear line per problem
    instead of a traceback: resources a list of objects, each with ``name``, ``path`` and a
    ``schema`` whose ``fields`` are objects with a ``name`` and a supported ``type``; then
    whatever else the Frictionless library rejects in the resource.
    """
    import frictionless

    path = (directory or data_dir()) / "datapackage.json"
    pkg = package_descriptor(directory)
    text = path.read_text(encoding="utf-8")
    problems: list[str] = []

    def at(resource=None, field=None):
        line, column = _json_position(text, resource, field)
        return f"{path}, line {line}, column {column}"

    resources = pkg.get("resources") if isinstance(pkg, dict) else None
    if not isinstance(resources, list):
        return [f"{at()}: 'resources' must be a list of table descriptions"]
    for i, res in enumerate(resources):
        if not isinstance(res, dict):
            problems.append(f"{at()}: resource {i + 1} is not an object")
            continue
        name = res.get("name")
        label = f"resource {name!r}" if isinstance(name, str) else f"resource {i + 1}"
        for key in ("name", "path"):
            if not isinstance(res.get(key), str) or not res.get(key):
                problems.append(f"{at(name)}: {label} has no {key!r} (a string)")
        if isinstance(name, str) and not re.fullmatch(r"[a-z0-9_]+", name):
            problems.append(f"{at(name)}: {label}: a name is lowercase letters, digits and _ only")
        elif isinstance(name, str) and isinstance(res.get("path"), str) and res["path"] != f"{name}.csv":
            problems.append(f"{at(name)}: {label}: 'path' must be {name + '.csv'!r} (the name plus .csv)")
        fields = res.get("schema", {}).get("fields") if isinstance(res.get("schema"), dict) else None
        if not isinstance(fields, list) or not fields:
            problems.append(f"{at(name)}: {label} has no 'schema' with a list of 'fields'")
            continue
        bad_field = False
        for j, f in enumerate(fields):
            if not isinstance(f, dict) or not isinstance(f.get("name"), str):
                problems.append(f"{at(name)}: {label}, field {j + 1} is not an object with a 'name'")
                bad_field = True
            elif not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", f["name"]):
                problems.append(
                    f"{at(name, f['name'])}: {label}, field {f['name']!r}: a column name is letters, digits and _ only"
                )
                bad_field = True
            elif f.get("type", "string") not in SCHEMA_TYPES:
                problems.append(
                    f"{at(name, f['name'])}: {label}, field {f['name']!r}: type {f.get('type')!r} "
                    f"is not one of {', '.join(SCHEMA_TYPES)}"
                )
                bad_field = True
        if bad_field or any(p.startswith(at(name)) for p in problems):
            continue
        try:
            frictionless.Resource(res, basepath=str(path.parent))
        except frictionless.FrictionlessException as exc:
            text = str(exc)
            inner = re.search(r"\((.*)\)\s*$", text, re.S)
            note = inner.group(1) if inner else re.sub(r"^\[[a-z-]+\]\s*", "", text)
            problems.append(f"{at(name)}: {label}: {note}")
    return problems


def _header_problems(descriptor: dict, path: Path) -> list[str]:
    """The CSV header against the schema's field names: one line per missing, unexpected or moved column.

    Checked first, because a missing column shifts every later one and the cell-level check
    would blame the wrong columns on every row.
    """
    import csv

    with open(path, encoding="utf-8", newline="") as fh:
        header = next(csv.reader(fh), [])
    expected = _field_names(descriptor)
    if header == expected:
        return []
    problems = []
    for name in expected:
        if name not in header:
            problems.append(
                f"{path}, line 1: column {name!r} is missing "
                f"(the schema expects {', '.join(expected)}; the header has {', '.join(header)})"
            )
    for k, name in enumerate(header, start=1):
        if name not in expected:
            problems.append(f"{path}, line 1, column {k}: unexpected column {name!r} (not in the schema)")
    if not problems:
        problems.append(
            f"{path}, line 1: columns are in the wrong order: the schema expects "
            f"{', '.join(expected)}; the header has {', '.join(header)}"
        )
    return problems


def record_lines(path: Path) -> dict[int, int]:
    """Map each CSV record number (header = 1, as Frictionless counts rows) to the line it starts on.

    They differ once a quoted field spans several lines: an editor's line numbers then run
    ahead of the record count.
    """
    import csv

    lines: dict[int, int] = {}
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        start = 1
        number = 0
        for row in reader:
            if row:
                number += 1
                lines[number] = start
            start = reader.line_num + 1
    return lines


def _schema_problems(descriptor: dict, base: Path) -> list[str]:
    """Run frictionless over one resource; one message per error: file, line, column, why."""
    import frictionless

    path = base / descriptor["path"]
    if not path.is_file():
        return [f"{path}: file listed in datapackage.json does not exist"]
    from frictionless.formats import CsvControl

    header = _header_problems(descriptor, path)
    if header:
        return header
    try:
        # The dialect is fixed, not sniffed: a note full of `|` must not make `|` the delimiter.
        res = frictionless.Resource(descriptor, basepath=str(base), control=CsvControl(delimiter=","))
    except frictionless.FrictionlessException:
        return descriptor_problems(base) or [
            f"{base / 'datapackage.json'}: resource {descriptor.get('name')!r} is not valid"
        ]
    report = frictionless.validate(res, limit_errors=MAX_REPORTED)
    problems = []
    lines = None
    for task in report.tasks:
        for err in task.errors:
            row = getattr(err, "row_number", None)
            field = getattr(err, "field_name", None)
            where = f"{path}"
            if row is not None:
                lines = lines if lines is not None else record_lines(path)
                where += f", line {lines.get(row, row)}"
            if field:
                where += f", column {field!r}"
            cell = getattr(err, "cell", None)
            value = f" value {cell!r}:" if cell is not None else ""
            problems.append(f"{where}: {err.type}:{value} {err.note or err.message}")
    return problems


def _semantic_problems(descriptor: dict, frame: pd.DataFrame, path: Path) -> list[str]:
    """Checks the Table Schema cannot express: known units, provenance naming a real seed file."""
    problems: list[str] = []
    fields = descriptor.get("schema", {}).get("fields", [])
    for f in fields:
        if "unit" in f and f["unit"] not in units.UNITS:
            problems.append(
                f"{path}, column {f['name']!r}: schema declares unknown unit {f['unit']!r}"
                f" (known: {', '.join(sorted(units.UNITS))})"
            )
    names = [f["name"] for f in fields]
    for col in PROVENANCE_COLUMNS:
        if col not in names:
            problems.append(f"{path}: required provenance column {col!r} is missing")
    starts = record_lines(path)
    line = lambda i: starts.get(i + 2, i + 2)  # noqa: E731  (frame index 0 is record 2; header is 1)
    if "unit" in frame.columns:
        for i, code in frame["unit"].items():
            if pd.notna(code) and code not in units.UNITS:
                problems.append(
                    f"{path}, line {line(i)}, column 'unit': unknown unit {code!r}"
                    f" (known: {', '.join(sorted(units.UNITS))})"
                )
    problems += _kind_problems(descriptor, frame, path, line)
    if "source" in frame.columns:
        seeds = {p.name for p in seeds_dir().glob("*.txt")}
        for i, src in frame["source"].items():
            if src not in seeds:
                problems.append(f"{path}, line {line(i)}, column 'source': {src!r} is not a file in seeds/")
    if "locator" in frame.columns:
        for i, loc in frame["locator"].items():
            if pd.isna(loc) or not str(loc).strip():
                problems.append(f"{path}, line {line(i)}, column 'locator': empty; say where in the source")
    return problems


def _kind_problems(descriptor: dict, frame: pd.DataFrame, path: Path, line) -> list[str]:
    """Each row's unit against its indicator's declared kind, and the sign a kind allows.

    A table with an ``indicator`` column declares on its ``unit`` field ``kindKey`` (the
    columns naming an indicator, e.g. ``["indicator", "measure"]``) and ``kinds``: for each
    indicator, the dimension of its unit (``money_cny``, ``share``, ``area`` … as in
    :data:`helpers.book.units.UNITS`), followed by `` change`` when its values may be
    negative. A real unit of the wrong dimension (``pct`` on an amount), an indicator with no
    declared kind, or a negative level is an error naming line and column.
    """
    spec = next((f for f in descriptor.get("schema", {}).get("fields", []) if f.get("name") == "unit"), {})
    kinds, key = spec.get("kinds"), spec.get("kindKey")
    if not kinds or not key or "unit" not in frame.columns:
        return []
    known = {u.dimension for u in units.UNITS.values()}
    problems = [
        f"{path}: datapackage.json declares {name!r} as {kind!r}; the kind is one of {', '.join(sorted(known))}"
        " (optionally followed by ' change')"
        for name, kind in kinds.items()
        if kind.partition(" ")[0] not in known or kind.partition(" ")[2] not in ("", "change")
    ]
    values = [c for c in ("value", "value_low", "value_high") if c in frame.columns]
    for i, row in frame.iterrows():
        name = "/".join(str(row[c]) for c in key)
        kind = kinds.get(name)
        if kind is None:
            problems.append(
                f"{path}, line {line(i)}, column {key[0]!r}: {name!r} has no declared kind; add it to "
                f"'kinds' of the 'unit' field in datapackage.json (e.g. \"{name}\": \"money_cny\")"
            )
            continue
        dimension, _, change = kind.partition(" ")
        code = row["unit"]
        if code in units.UNITS and units.UNITS[code].dimension != dimension:
            problems.append(
                f"{path}, line {line(i)}, column 'unit': {code!r} measures {units.UNITS[code].dimension}, "
                f"but {name!r} is declared {dimension} in datapackage.json"
            )
        if change != "change":
            for col in values:
                v = row[col]
                if v is not None and pd.notna(v) and v < 0:
                    problems.append(
                        f"{path}, line {line(i)}, column {col!r}: {v!r} is negative, but {name!r} is a level "
                        f'({dimension}); declare it "{dimension} change" if it can fall below zero'
                    )
    return problems


_PANDAS_TYPES = {"integer": "Int64", "number": "float64", "year": "Int64", "boolean": "boolean"}


def _read_frame(descriptor: dict, path: Path) -> pd.DataFrame:
    """Read the CSV with the schema's types (strings stay strings, dates become datetimes)."""
    fields = descriptor.get("schema", {}).get("fields", [])
    dtypes = {f["name"]: _PANDAS_TYPES.get(f.get("type"), "string") for f in fields}
    dates = [f["name"] for f in fields if f.get("type") in ("date", "datetime")]
    for name in dates:
        dtypes.pop(name)
    frame = pd.read_csv(path, dtype=dtypes, keep_default_na=False, na_values=[""], encoding="utf-8")
    for name in dates:
        frame[name] = pd.to_datetime(frame[name])
    str_cols = [c for c, t in dtypes.items() if t == "string" and c in frame.columns]
    for c in str_cols:
        frame[c] = frame[c].astype(object).where(frame[c].notna(), None)
    return frame


def _fail(problems: list[str]) -> None:
    if problems:
        shown = problems[:MAX_REPORTED]
        more = f"\n  … and {len(problems) - MAX_REPORTED} more" if len(problems) > MAX_REPORTED else ""
        raise DataError("invalid data:\n  " + "\n  ".join(shown) + more)


def _validation_key(descriptor: dict, path: Path) -> str | None:
    """The build memo's key for "this table passed": its descriptor, its bytes, the seed files'
    names (provenance) and the helpers' code (:mod:`helpers.book.memo`); ``None`` outside a build."""
    if memo.directory() is None or not path.is_file():
        return None
    seeds = "\n".join(sorted(p.name for p in seeds_dir().glob("*.txt")))
    table = hashlib.sha256(path.read_bytes()).hexdigest()
    return memo.key(json.dumps(descriptor, sort_keys=True), table, seeds)


def validate_resource(descriptor: dict, directory: Path | None = None) -> pd.DataFrame:
    """Validate one resource descriptor and its CSV; return the typed frame or raise :class:`DataError`.

    In a build, a table whose exact bytes, descriptor and seeds already passed (in the build's
    validation step or an earlier page) is read without being checked again (:mod:`helpers.book.memo`).
    """
    base = directory or data_dir()
    path = base / descriptor["path"]
    passed = _validation_key(descriptor, path)
    if passed is not None and memo.has_mark("valid", passed):
        return _read_frame(descriptor, path)
    _fail(_schema_problems(descriptor, base))
    frame = _read_frame(descriptor, path)
    _fail(_semantic_problems(descriptor, frame, path))
    if passed is not None:
        memo.mark("valid", passed)
    return frame


@cache
def _load_cached(name: str, directory: str, stamp: float) -> pd.DataFrame:
    return validate_resource(resource(name, Path(directory)), Path(directory))


def load(name: str) -> pd.DataFrame:
    """Load table ``name`` from ``data/`` after validating it (see the module docstring).

    Returns a fresh copy each call, so a chapter may modify it freely. Raises
    :class:`DataError` naming file, line and column when the table is bad.
    """
    return load_shared(name).copy()


def load_shared(name: str) -> pd.DataFrame:
    """:func:`load` without the copy: the validated table this process keeps, to read only
    (lookups index it once; see :mod:`helpers.book.lookup`)."""
    base = data_dir()
    res = resource(name, base)
    path = base / res["path"]
    stamp = path.stat().st_mtime if path.exists() else 0.0
    return _load_cached(name, str(base), stamp)


def _resource_problem(args: tuple[dict, Path]) -> str | None:
    """The problem of one resource (:func:`validate_resource`), or None; for a worker process."""
    descriptor, base = args
    try:
        validate_resource(descriptor, base)
    except DataError as exc:
        return str(exc)
    return None


def validate_package(directory: Path | None = None, processes: int = 1) -> list[str]:
    """Validate every resource in the package; return the list of problems (empty when clean).

    ``processes`` > 1 shares the tables among that many forked processes (the build's validation
    step uses two, one per core); the problems come back in the package's order either way.
    """
    base = directory or data_dir()
    try:
        problems = descriptor_problems(base)
    except DataError as exc:
        return [str(exc)]
    if problems:
        return problems
    resources = package_descriptor(base).get("resources", [])
    jobs = [(res, base) for res in resources]
    if processes > 1 and len(jobs) > 1 and "fork" in multiprocessing.get_all_start_methods():
        import concurrent.futures

        context = multiprocessing.get_context("fork")
        with concurrent.futures.ProcessPoolExecutor(max_workers=processes, mp_context=context) as pool:
            found = list(pool.map(_resource_problem, jobs))
    else:
        found = [_resource_problem(job) for job in jobs]
    problems.extend(problem for problem in found if problem is not None)
    listed = {res.get("path") for res in resources}
    for csv in sorted(base.glob("*.csv")):
        if csv.name not in listed:
            problems.append(f"{csv}: CSV not described in datapackage.json")
    return problems


def citation(name: str) -> str:
    """A one-line source note for a table: the seeds and locators its rows cite.

    ``"Sources: 001_3d7b5ccb12dc6b79.txt (para 2, para 3)"``; used under charts and tables.
    """
    frame = load(name)
    parts = []
    for src, group in frame.groupby("source", sort=True):
        locs = list(dict.fromkeys(str(x) for x in group["locator"]))
        parts.append(f"{src} ({'; '.join(locs[:4])}{' …' if len(locs) > 4 else ''})")
    return "Sources: " + ", ".join(parts)
