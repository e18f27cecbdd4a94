"""The reproduction ledger: every published figure the book recomputes, beside ours.

A :class:`Check` pairs a value as printed in a source with the value a model function in
``helpers`` computes from that source's inputs. A published number stands for an interval:
half a unit of its last printed digit either side (:meth:`Interval.printed`). A check
therefore carries, besides our point value, the interval ``[low, high]`` that the source's
own *published* inputs allow once their rounding is taken into account (computed with
:mod:`helpers.book.intervals`; a point when the inputs are exact). Its status:

* ``match``: ``|recomputed - published| <= 0.5 * 10**-decimals`` (plus a 1e-9 allowance);
* ``within rounding``: not a match, but the published value's interval meets ``[low, high]``:
  some unrounded inputs that print as published give the published result;
* otherwise the status of the *finding* the check is filed under (``finding``, an id in
  ``data/ledger/findings.csv``): ``source error``, ``inconsistent assumption`` or
  ``unexplained``; a check outside its interval with no finding is ``unexplained``;
* ``what-if``: a row that applies the book's own counterfactual to a published cell (set with
  ``whatif=True``); it says nothing about the source and never enters the errata.

:data:`STATUSES` defines each status once; the ledger appendix prints that table.

The ledger is data: ``data/ledger/cells/<chapter>.csv`` (and the reread's ``claims.csv``)
describe every published cell, one row each (:data:`CELL_FIELDS` plus :data:`CELL_EXTRA_FIELDS`):
where the published value is (a :class:`Ref` into ``data/``), how it is recomputed (a
:data:`GENERIC_RELATIONS` relation over references whose printed decimals the spec states, or
``fn:<name>``, a named function of ``helpers.chapters.<page>.ledger`` / ``.claims``), unit,
printed decimals, finding, what-if and a note template. :func:`read_cells` validates a file
(file, line, column on error), :func:`evaluate` turns a row into a :class:`Check`, :func:`collect`
gathers all rows in ledger order. ``tests/golden/ledger.csv`` is the reviewed snapshot
(``python -m helpers.book.ledger --update-golden``; ``--check`` prints the differences).
"""

from __future__ import annotations

import csv
import importlib
import math
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pandas as pd

from helpers.book import intervals, lookup
from helpers.book.intervals import Interval

CHAPTER_MODULES = {
    "disposals": "helpers.chapters.npl_disposals.ledger",
    "housing": "helpers.chapters.housing_market.ledger",
    "retail": "helpers.chapters.retail_risk.ledger",
    "policy": "helpers.chapters.housing_policy.ledger",
}
"""Ledger chapter id → the module holding that chapter's named ledger functions (``fn:<name>``)."""

STATUSES = {
    "match": "our value, rounded as the source rounds, equals the published value",
    "within rounding": (
        "the published value lies in the interval that the source's own published inputs allow once "
        "their rounding (half a unit of each last printed digit) is taken into account, or, for an "
        "average of unstated weights, the range of its parts: consistent, not a finding"
    ),
    "source error": (
        "the source contradicts itself: a typo, a wrong label or date, or a sum, share or rate that "
        "its own printed parts rule out at any rounding; the errata give the likely correct value "
        "where one exists"
    ),
    "inconsistent assumption": (
        "a table or set of cells that no single rule stated by the source produces (each cell may "
        "follow some rule, but not the same one)"
    ),
    "what-if": (
        "the book's own counterfactual applied to a published cell (for example a loan balance held "
        "at its last printed level): shown for comparison, not a finding about the source, never in "
        "the errata"
    ),
    "unexplained": (
        "outside the interval its inputs allow, and neither the source nor the book can say why "
        "(the method is not given)"
    ),
}
"""Every status a check can have, with its definition (printed once, in the ledger appendix)."""

FINDING_STATUSES = ("source error", "inconsistent assumption", "unexplained")
"""Statuses that are findings about a source (they enter the errata)."""

FINDINGS_FILE = "ledger/findings.csv"
"""The findings table, relative to the data folder: one row per distinct source problem."""

FINDING_FIELDS = ["id", "status", "source", "locator", "title", "evidence", "likely_correct"]

COLUMNS = [
    "chapter",
    "source",
    "table",
    "row",
    "column",
    "published",
    "recomputed",
    "low",
    "high",
    "unit",
    "decimals",
    "difference",
    "tolerance",
    "status",
    "finding",
    "note",
]


@cache
def _findings_cached(path: str, mtime: float) -> dict[str, dict]:
    out: dict[str, dict] = {}
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        missing = [f for f in FINDING_FIELDS if f not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"{path}: missing column(s) {missing}")
        for line, row in enumerate(reader, start=2):
            fid = row["id"].strip()
            if not fid:
                raise ValueError(f"{path}, line {line}, column 'id': empty")
            if fid in out:
                raise ValueError(f"{path}, line {line}, column 'id': duplicate id {fid!r}")
            if row["status"] not in FINDING_STATUSES:
                raise ValueError(
                    f"{path}, line {line}, column 'status': {row['status']!r} is not one of {list(FINDING_STATUSES)}"
                )
            if row["likely_correct"] not in ("", "recomputed") and any(
                ch.isdigit() for ch in row["likely_correct"]
            ):
                raise ValueError(
                    f"{path}, line {line}, column 'likely_correct': type no number; write 'recomputed' "
                    "(the check's recomputed value) or a description"
                )
            out[fid] = dict(row, line=line)
    return out


def findings() -> dict[str, dict]:
    """The findings table (``data/ledger/findings.csv``) by id, validated (file, line, column on error)."""
    from helpers.book import data

    path = data.data_dir() / FINDINGS_FILE
    data.note_file(path)
    return _findings_cached(str(path), path.stat().st_mtime)


@dataclass(frozen=True)
class Check:
    """One published cell against its recomputation (see the module docstring for the rules).

    ``low``/``high`` bound the recomputation over every unrounded value of the published inputs
    (default: the point ``recomputed``); ``finding`` files the check under a finding id;
    ``whatif`` marks the book's own counterfactual.
    """

    chapter: str
    source: str
    table: str
    row: str
    column: str
    published: float
    recomputed: float
    unit: str
    decimals: int
    note: str = field(default="")
    low: float | None = None
    high: float | None = None
    finding: str = ""
    whatif: bool = False

    def __post_init__(self):
        from helpers.book import units

        units.unit(self.unit)  # raises on an unknown unit
        if self.chapter not in CHAPTER_MODULES:
            raise ValueError(f"Check.chapter {self.chapter!r} is not one of {sorted(CHAPTER_MODULES)}")
        if not isinstance(self.decimals, int) or self.decimals < -12:
            raise ValueError(
                f"Check.decimals must be an int (negative for tens, hundreds …), got {self.decimals!r}"
            )
        for name in ("published", "recomputed"):
            v = getattr(self, name)
            if v is None or (isinstance(v, float) and math.isnan(v)):
                raise ValueError(f"Check {self.table}/{self.row}/{self.column}: {name} is missing")
        low = self.recomputed if self.low is None else self.low
        high = self.recomputed if self.high is None else self.high
        object.__setattr__(self, "low", float(min(low, self.recomputed)))
        object.__setattr__(self, "high", float(max(high, self.recomputed)))
        if self.finding and self.whatif:
            raise ValueError(
                f"Check {self.table}/{self.row}/{self.column}: a what-if row cannot be a finding"
            )

    @property
    def interval(self) -> Interval:
        """What the published inputs allow: ``[low, high]``."""
        return Interval(self.low, self.high)

    @property
    def published_interval(self) -> Interval:
        """What the published value stands for: ``published ± tolerance``."""
        return Interval.printed(self.published, self.decimals)

    @property
    def tolerance(self) -> float:
        """Half a unit in the last printed decimal place: ``0.5 * 10**-decimals``."""
        return 0.5 * 10 ** (-self.decimals)

    @property
    def difference(self) -> float:
        """``recomputed - published``."""
        return float(self.recomputed) - float(self.published)

    @property
    def status(self) -> str:
        """One of :data:`STATUSES` (rules in the module docstring)."""
        if self.whatif:
            return "what-if"
        if abs(self.difference) <= self.tolerance + 1e-9:
            return "match"
        if self.interval.overlaps(self.published_interval):
            return "within rounding"
        if self.finding:
            found = findings()
            if self.finding not in found:
                raise ValueError(
                    f"Check {self.table}/{self.row}/{self.column}: finding {self.finding!r} is not in "
                    f"data/{FINDINGS_FILE}"
                )
            return found[self.finding]["status"]
        return "unexplained"

    def as_row(self) -> dict:
        row = {
            name: getattr(self, name) for name in COLUMNS if name not in ("difference", "tolerance", "status")
        }
        status = self.status
        row.update(
            difference=self.difference,
            tolerance=self.tolerance,
            status=status,
            # a finding id is reported only where the check is a finding
            finding=self.finding if status in FINDING_STATUSES else "",
        )
        return row


def checker(chapter: str, source: str):
    """A chapter's shorthand for :class:`Check`, with its chapter and default source filled in.

    ``check = checker("housing", SEED)`` then
    ``check(table, row, column, published, recomputed, unit, decimals, note="", source=SEED,
    interval=None, finding="", whatif=False)``; ``published`` and ``recomputed`` are converted to
    float; ``interval`` (an :class:`Interval`) sets ``low``/``high``.
    """

    def check(
        table, row, column, published, recomputed, unit, decimals, note="", source=source, interval=None, **kw
    ) -> Check:
        if interval is not None:
            kw.update(low=interval.low, high=interval.high)
        return Check(
            chapter=chapter,
            source=source,
            table=table,
            row=row,
            column=column,
            published=float(published),
            recomputed=float(recomputed),
            unit=unit,
            decimals=decimals,
            note=note,
            **kw,
        )

    return check


def frame(checks) -> pd.DataFrame:
    """The checks as a table with the ledger's columns, in the order given."""
    rows = [c.as_row() for c in checks]
    out = pd.DataFrame(rows, columns=COLUMNS)
    return out.astype(
        {"published": float, "recomputed": float, "low": float, "high": float, "difference": float}
    )


# ============================================================================ the cell spec
CELLS_DIR = "ledger/cells"
"""The per-cell spec files, relative to the data folder: ``<chapter>.csv`` and ``claims.csv``."""

CELL_FILES = ["disposals", "housing", "retail", "policy", "claims"]
"""Spec files in ledger order (``claims.csv`` is optional: the claims of the end-to-end reread)."""

CELL_FIELDS = [
    "id",
    "chapter",
    "source",
    "where",
    "row",
    "column",
    "relation",
    "unit",
    "decimals",
    "finding",
    "whatif",
    "note",
]
"""Columns every cells file must have (the format is described in AUTHORING.md and the ledger appendix)."""

CELL_EXTRA_FIELDS = ["published", "inputs", "args"]
"""Optional columns: references into ``data/`` for the generic relations, and a function's arguments."""

GENERIC_RELATIONS = {
    "sum": "Σ inputs (each converted to the cell's unit)",
    "difference": "first input − second input (each converted to the cell's unit; a % input counts as pp)",
    "share": "100 × Σ numerator / Σ denominator, inputs split by ' / '",
    "ratio": "Σ numerator / Σ denominator, inputs split by ' / ' (in the cell's unit)",
    "growth": "100 × (new / old − 1), inputs 'old | new'",
    "product": "Π inputs, each converted to its reference's @unit (the first one's unit is the result's)",
    "conversion": "the one input converted to the cell's unit",
    "equal": "the one input (a figure that appears twice), converted to the cell's unit",
    "at_least": "a floor: ours is the published value clipped to [input, ∞), so a claim that holds matches",
    "at_most": "a ceiling: ours is the published value clipped to (−∞, input]",
    "between": "a range: ours is the published value clipped to the inputs 'low | high'",
}
"""The named relations one evaluator computes from references into ``data/``, with interval arithmetic."""

PLACEHOLDER = re.compile(r"\{[^{}]*\}")
ALLOWED_LABELS = re.compile(
    r"图表\s*\d+|表\s*\d+|§[^\s,;:]*|(?<![\d.])(?:19|20)\d\d(?:Q[1-4]|[EH]\b|-\d\d)?|[1-4]Q\d\d|[12]H\d\d|\d\dE\b"
)
"""Digits a note may type outside placeholders: source labels (图表7, §二(一)) and dates/periods
(2024, 2024Q1, 1H25, 26E, 2023-12)."""

_REF = re.compile(
    r"^\s*(?P<res>[a-z0-9_]+)\[(?P<sel>[^\]]*)\](?:\.(?P<field>[a-z0-9_]+))?"
    r"(?:@(?P<unit>[A-Za-z0-9_]+))?(?:~(?P<dec>-?\d+))?\s*$"
)


_PASS: dict | None = None
"""Tables and helper results of one evaluation pass (:func:`checks`); ``None`` outside a pass."""


def table(name: str) -> pd.DataFrame:
    """``data.load(name)``, loaded once per evaluation pass: treat it as read-only."""
    from helpers.book import data

    if _PASS is None:
        return data.load(name)
    key = ("table", name)
    if key not in _PASS:
        _PASS[key] = data.load(name)
    return _PASS[key]


def per_pass(func):
    """``func(*args)`` computed once per evaluation pass (a named function's shared inputs)."""

    def wrapper(*args, **kwargs):
        if _PASS is None:
            return func(*args, **kwargs)
        key = (func, args, tuple(sorted(kwargs.items())))
        if key not in _PASS:
            _PASS[key] = func(*args, **kwargs)
        return _PASS[key]

    wrapper.__doc__ = func.__doc__
    wrapper.__name__ = getattr(func, "__name__", "per_pass")
    return wrapper


class SpecError(ValueError):
    """A cells file is malformed; the message names file, line and column."""


@dataclass(frozen=True)
class Ref:
    """A reference into ``data/``: ``resource[col=val,...].field@unit~decimals``.

    ``field`` defaults to ``value``; the value's unit is the row's ``unit`` column, else the
    schema's ``unit`` of that field; ``@unit`` converts it; ``~d`` says the source printed it with
    ``d`` decimals (negative for tens), so it stands for ``value ± 0.5·10^-d``; no ``~`` = exact.
    """

    resource: str
    where: tuple
    field: str = "value"
    unit: str | None = None
    decimals: int | None = None

    @classmethod
    def parse(cls, text: str) -> Ref:
        m = _REF.match(text)
        if not m:
            raise ValueError(f"{text!r} is not a reference resource[col=val,...].field@unit~decimals")
        where = []
        for part in filter(None, (p.strip() for p in m["sel"].split(","))):
            if "=" not in part:
                raise ValueError(f"{text!r}: selector {part!r} is not col=value")
            k, v = part.split("=", 1)
            where.append((k.strip(), v.strip()))
        dec = int(m["dec"]) if m["dec"] is not None else None
        return cls(m["res"], tuple(where), m["field"] or "value", m["unit"], dec)

    def row(self):
        """The one row of the resource whose columns equal the selector (numbers compared as
        numbers, everything else as text); a ``LookupError`` when none or several match."""
        frame = table(self.resource)
        columns = tuple(col for col, _ in self.where)
        for col in columns:
            if col not in frame.columns:
                raise LookupError(f"{self.resource}: no column {col!r}")
        index = _selector_index(frame, self.resource, columns)
        wanted = tuple(
            float(value) if numeric else value for (_, value), numeric in zip(self.where, index["numeric"])
        )
        hits = index["rows"].get(wanted, ())
        if len(hits) != 1:
            raise LookupError(
                f"{self.resource}: {len(hits)} rows match {dict(self.where)}; expected exactly one"
            )
        return frame.iloc[hits[0]]

    def native_unit(self, found) -> str | None:
        if "unit" in found.index and isinstance(found["unit"], str) and found["unit"]:
            return found["unit"]
        for f in _schema_fields(self.resource):
            if f["name"] == self.field:
                return f.get("unit")
        return None

    def resolve(self, target: str | None = None) -> tuple[float, Interval, str | None]:
        """``(value, interval, unit)``: converted to ``@unit``, else to ``target`` when given."""
        from helpers.book import units

        found = self.row()
        raw = found.get(self.field)
        if raw is None or (isinstance(raw, float) and math.isnan(raw)):
            raise LookupError(f"{self.resource} {dict(self.where)}: no {self.field!r}")
        raw = float(raw)
        iv = Interval.printed(raw, self.decimals) if self.decimals is not None else Interval.point(raw)
        native = self.native_unit(found)
        to = self.unit or target
        if native and to and native != to:
            src = "pp" if native == "pct" and to in ("pp", "bp") else native
            f = units.factor(src, to)
            return float(units.convert(raw, src, to)), iv * f, to
        return raw, iv, to or native


def _selector_index(frame: pd.DataFrame, name: str, columns: tuple) -> dict:
    """``{"numeric": (bool per column), "rows": {values: [row positions]}}`` for selecting rows
    of ``frame`` by ``columns``; made once per evaluation pass and resource, else each time."""
    key = ("index", name, columns, id(frame))
    if _PASS is not None and key in _PASS:
        return _PASS[key]
    numeric, keys = [], []
    for col in columns:
        series = frame[col]
        if pd.api.types.is_numeric_dtype(series):
            numeric.append(True)
            keys.append([float(v) if pd.notna(v) else lookup.Missing() for v in series])
        else:
            numeric.append(False)
            keys.append(series.astype(str).tolist())
    index = {"numeric": tuple(numeric), "rows": lookup.row_index(keys, len(frame))}
    if _PASS is not None:
        _PASS[key] = index
    return index


def _fields(name: str) -> list:
    from helpers.book import data

    return data.resource(name).get("schema", {}).get("fields", [])


_schema_fields = per_pass(_fields)


def _split_inputs(text: str) -> list[str]:
    return [p for p in (x.strip() for x in (text or "").split("|")) if p]


def _num_den(text: str) -> tuple[list[str], list[str]]:
    if " / " not in (text or ""):
        raise ValueError("share and ratio need 'numerator | ... / denominator | ...'")
    num, den = text.split(" / ", 1)
    return _split_inputs(num), _split_inputs(den)


def evaluate_generic(spec: dict) -> dict:
    """A generic relation (:data:`GENERIC_RELATIONS`) evaluated from the spec's references.

    Returns the function dict of the format: published, recomputed, low, high and ``values``
    (``published``, ``recomputed``, ``low``, ``high``, ``n`` inputs, ``x1``, ``x2`` … in the
    units the relation used and ``raw1``, ``raw2`` … as the data record them) for the note template.
    """
    rel, unit = spec["relation"], spec["unit"]
    published, _, _ = Ref.parse(spec["published"]).resolve(unit)
    values: dict = {}

    def load(refs, target):
        out = []
        for i, text in enumerate(refs, start=sum(k[0] == "x" for k in values) + 1):
            ref = Ref.parse(text)
            v, iv, u = ref.resolve(target)
            values[f"x{i}"] = v
            values[f"raw{i}"] = float(ref.row()[ref.field])
            out.append((v, iv, u))
        return out

    low = high = None
    if rel in ("sum", "difference", "conversion", "equal", "at_least", "at_most", "between"):
        xs = load(_split_inputs(spec.get("inputs", "")), unit)
        need = {"difference": 2, "conversion": 1, "equal": 1, "at_least": 1, "at_most": 1, "between": 2}
        if rel in need and len(xs) != need[rel]:
            raise ValueError(f"relation {rel!r} takes {need[rel]} input(s), got {len(xs)}")
        if not xs:
            raise ValueError(f"relation {rel!r} needs inputs")
        if rel == "sum":
            point, iv = sum(x[0] for x in xs), intervals.total(*[x[1] for x in xs])
        elif rel == "difference":
            point, iv = xs[0][0] - xs[1][0], intervals.difference(xs[0][1], xs[1][1])
        elif rel in ("conversion", "equal"):
            point, iv = xs[0][0], xs[0][1]
        elif rel == "at_least":  # the claim allows [input, ∞): ours is the published value clipped to it
            point = max(published, xs[0][0])
            iv = Interval(xs[0][1].low, max(xs[0][1].high, published))
        elif rel == "at_most":  # (-∞, input]
            point = min(published, xs[0][0])
            iv = Interval(min(xs[0][1].low, published), xs[0][1].high)
        else:  # between
            point = min(max(published, xs[0][0]), xs[1][0])
            iv = Interval(xs[0][1].low, xs[1][1].high)
    elif rel in ("share", "ratio"):
        num, den = _num_den(spec.get("inputs", ""))
        base = Ref.parse(den[0]).resolve()[2]  # numerator and denominator in the first denominator's unit
        nx = load(num, base)
        dx = load(den, base)
        n_pt, d_pt = sum(x[0] for x in nx), sum(x[0] for x in dx)
        n_iv, d_iv = intervals.total(*[x[1] for x in nx]), intervals.total(*[x[1] for x in dx])
        if rel == "share":
            point, iv = n_pt / d_pt * 100, intervals.share(n_iv, d_iv)
        else:
            point, iv = n_pt / d_pt, intervals.ratio(n_iv, d_iv)
    elif rel == "growth":
        refs = _split_inputs(spec.get("inputs", ""))
        if len(refs) != 2:
            raise ValueError(f"relation 'growth' takes 2 inputs (old | new), got {len(refs)}")
        base = Ref.parse(refs[0]).resolve()[2]
        (old, old_iv, _), (new, new_iv, _) = load(refs, base)
        point, iv = (new / old - 1) * 100, intervals.growth(old_iv, new_iv)
    elif rel == "product":
        xs = load(_split_inputs(spec.get("inputs", "")), None)
        point, iv = 1.0, Interval.point(1.0)
        for x in xs:
            point, iv = point * x[0], iv * x[1]
        from helpers.book import units as _units

        if xs[0][2] and xs[0][2] != unit:
            f = _units.factor(xs[0][2], unit)
            point, iv = float(_units.convert(point, xs[0][2], unit)), iv * f
    else:
        raise ValueError(f"unknown relation {rel!r}")
    low, high = iv.low, iv.high
    values.update(n=len([k for k in values if k[0] == "x"]))
    return {"published": published, "recomputed": point, "low": low, "high": high, "values": values}


def _is_true(text) -> bool:
    return str(text).strip().lower() in ("1", "true", "yes")


def note_problems(note: str) -> list[int]:
    """Positions (1-based) of digits typed in a note template outside placeholders and source labels."""
    masked = PLACEHOLDER.sub(lambda m: " " * len(m.group()), note)
    masked = ALLOWED_LABELS.sub(lambda m: " " * len(m.group()), masked)
    return [i + 1 for i, ch in enumerate(masked) if ch.isdigit()]


def spec_args(spec: dict) -> dict:
    """A spec row's ``args`` (``key=value; key=value``) as a dict of strings."""
    out = {}
    for part in filter(None, (p.strip() for p in str(spec.get("args") or "").split(";"))):
        k, _, v = part.partition("=")
        out[k.strip()] = v.strip()
    return out


def cells_paths() -> list:
    """The cells files present, in ledger order."""
    from helpers.book import data

    base = data.data_dir() / CELLS_DIR
    return [base / f"{name}.csv" for name in CELL_FILES if (base / f"{name}.csv").exists()]


def _function(relation: str, chapter: str):
    """The named function of ``fn:<name>`` (chapter ledger module) or ``fn:claims.<name>``."""
    name = relation[3:]
    module_name = CHAPTER_MODULES[chapter]
    if name.startswith("claims."):
        module_name = module_name.rsplit(".", 1)[0] + ".claims"
        name = name[len("claims.") :]
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError:
        return None
    func = getattr(module, name, None)
    return func if callable(func) else None


def cells_download_markdown(prefix: str = "../data/") -> str:
    """MyST Markdown: one download link per cells file present, with its number of cells."""
    from helpers.book import data

    parts = []
    for path in cells_paths():
        rel = path.relative_to(data.data_dir()).as_posix()
        n = len(read_cells(path))
        parts.append(f"{{download}}`{path.name} <{prefix}{rel}>` ({n} cells)")
    return ", ".join(parts) + "."


def read_cells(path) -> list[dict]:
    """One cells file, validated: each row a dict with its ``file`` and ``line``.

    Raises :class:`SpecError` naming file, line and column for: a missing column, an empty or
    duplicate id (within the file), an unknown chapter, relation, function, unit or finding id,
    bad decimals or whatif, a what-if row filed as a finding, a malformed reference, and a digit
    typed in a note outside ``{placeholders}`` and source labels.
    """
    from helpers.book import data, units

    data.note_file(path)
    path = str(path)
    found = findings()
    rows = []
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        missing = [f for f in CELL_FIELDS if f not in (reader.fieldnames or [])]
        if missing:
            raise SpecError(f"{path}, line 1: missing column(s) {missing}")
        seen = set()
        for line, row in enumerate(reader, start=2):
            row = {k: (v or "").strip() if k != "note" else (v or "") for k, v in row.items() if k}

            def bad(column, message, line=line):
                return SpecError(f"{path}, line {line}, column {column!r}: {message}")

            if not row["id"]:
                raise bad("id", "empty")
            if row["id"] in seen:
                raise bad("id", f"duplicate id {row['id']!r}")
            seen.add(row["id"])
            if row["chapter"] not in CHAPTER_MODULES:
                raise bad("chapter", f"{row['chapter']!r} is not one of {sorted(CHAPTER_MODULES)}")
            rel = row["relation"]
            if rel.startswith("fn:"):
                if _function(rel, row["chapter"]) is None:
                    raise bad("relation", f"unknown function {rel[3:]!r} for chapter {row['chapter']!r}")
                if row.get("published"):
                    try:
                        Ref.parse(row["published"])
                    except ValueError as err:
                        raise bad("published", str(err)) from None
            elif rel not in GENERIC_RELATIONS:
                raise bad(
                    "relation",
                    f"unknown relation {rel!r}; use one of {sorted(GENERIC_RELATIONS)} or fn:<name>",
                )
            else:
                for column in ("published", "inputs"):
                    if not row.get(column):
                        raise bad(column, f"relation {rel!r} needs references in {column!r}")
                refs = [row["published"]] + [
                    t for part in row["inputs"].split(" / ") for t in _split_inputs(part)
                ]
                for text in refs:
                    try:
                        Ref.parse(text)
                    except ValueError as err:
                        raise bad("published" if text == row["published"] else "inputs", str(err)) from None
            if units.unknown_units([row["unit"]]) or not row["unit"]:
                raise bad("unit", f"unknown unit {row['unit']!r}")
            try:
                dec = int(row["decimals"])
            except ValueError:
                raise bad("decimals", f"{row['decimals']!r} is not a whole number") from None
            if dec < -12 or dec > 12:
                raise bad("decimals", f"{dec} is out of range")
            row["decimals"] = dec
            if row["finding"] and row["finding"] not in found:
                raise bad("finding", f"unknown finding id {row['finding']!r} (not in data/{FINDINGS_FILE})")
            if row["whatif"] not in ("", "1"):
                raise bad("whatif", f"{row['whatif']!r}: write 1 or leave empty")
            if row["whatif"] and row["finding"]:
                raise bad("finding", "a what-if row cannot be a finding")
            typed = note_problems(row["note"])
            if typed:
                raise bad(
                    "note",
                    f"digit typed at character {typed[0]} of the note; quote values with {{name}} placeholders",
                )
            row.update(file=path, line=line)
            rows.append(row)
    return rows


def spec() -> list[dict]:
    """Every cells file's rows, validated, in ledger order; ids unique across all files."""
    rows, where = [], {}
    for path in cells_paths():
        for row in read_cells(path):
            if row["id"] in where:
                raise SpecError(
                    f"{row['file']}, line {row['line']}, column 'id': {row['id']!r} is already used at {where[row['id']]}"
                )
            where[row["id"]] = f"{row['file']}, line {row['line']}"
            rows.append(row)
    return rows


def evaluate(row: dict) -> Check:
    """One spec row → its :class:`Check` (a generic relation, or the row's named function)."""
    try:
        if row["relation"].startswith("fn:"):
            out = _function(row["relation"], row["chapter"])(row)
            if row.get("published"):  # where the published value is: the function must return it
                ref = Ref.parse(row["published"]).resolve(row["unit"])[0]
                if not math.isclose(ref, float(out["published"]), rel_tol=1e-9, abs_tol=1e-12):
                    raise ValueError(
                        f"column 'published' gives {ref:g} but {row['relation']} returns {float(out['published']):g}"
                    )
        else:
            out = evaluate_generic(row)
        values = {k: out[k] for k in ("published", "recomputed", "low", "high")}
        values.update({k: v for k, v in out.items() if k not in ("values",) and k not in values})
        values.update(out.get("values") or {})
        if values.get("low") is None:
            values["low"] = out["recomputed"]
        if values.get("high") is None:
            values["high"] = out["recomputed"]
        note = row["note"].format(**values) if row["note"] else ""
    except Exception as err:  # name the row that failed
        raise SpecError(
            f"{row['file']}, line {row['line']} ({row['id']}): {type(err).__name__}: {err}"
        ) from err
    return Check(
        chapter=row["chapter"],
        source=row["source"],
        table=row["where"],
        row=row["row"],
        column=row["column"],
        published=float(out["published"]),
        recomputed=float(out["recomputed"]),
        unit=row["unit"],
        decimals=row["decimals"],
        note=note,
        low=out.get("low"),
        high=out.get("high"),
        finding=row["finding"],
        whatif=bool(row["whatif"]),
    )


def _data_stamp() -> tuple:
    """Every file the ledger reads from ``data/`` (tables, descriptor, cells, findings) with its mtime."""
    from helpers.book import data

    base = data.data_dir()
    files = sorted([*base.glob("*.csv"), *base.glob("*.json"), *base.glob("ledger/**/*.csv")])
    return (str(base), tuple((str(p), p.stat().st_mtime_ns) for p in files))


_EVALUATED: dict = {}


def _evaluate_all() -> tuple:
    """``(cells file stem, Check)`` for every spec row, in ledger order.

    In a build, the first page to need the ledger evaluates it and stores it in the build's memo
    (:mod:`helpers.book.memo`), keyed by every file of the data folder, the seed files' names and
    the helpers' code; pages running at the same time wait for it, later pages read it. A page
    that reads it records the same inputs as one that evaluates it: the cells files and the
    named functions' modules are read and imported by :func:`spec` either way, and the tables
    the evaluation loaded are recorded again (:func:`helpers.book.data.replay`)."""
    from helpers.book import data, memo

    rows = spec()
    if memo.directory() is None:
        return tuple((Path(r["file"]).stem, evaluate(r)) for r in rows)
    base = data.data_dir()
    seeds = "\n".join(sorted(p.name for p in data.seeds_dir().glob("*.txt")))
    key = memo.key("ledger", memo.files_key([p for p in base.rglob("*") if p.is_file()], base), seeds)
    with memo.locked("ledger"):
        stored = memo.read("ledger", key)
        if stored is None:
            with data.tracking() as used:
                result = tuple((Path(r["file"]).stem, evaluate(r)) for r in rows)
            memo.write("ledger", key, {"checks": result, "used": used})
            return result
    data.replay(stored["used"])
    return stored["checks"]


def checks(chapters=None, files=None) -> list[Check]:
    """Every spec row evaluated, in ledger order. ``chapters`` restricts to some ledger ids,
    ``files`` to some cells files (``["retail"]``: ``retail.csv`` only, not ``claims.csv``).

    One pass: each table is loaded once (:func:`table`, :func:`per_pass`); the result is kept
    until a file in ``data/`` changes."""
    global _PASS
    stamp = _data_stamp()
    if stamp not in _EVALUATED:
        outer = _PASS is not None
        if not outer:
            _PASS = {}
        try:
            _EVALUATED.clear()
            _EVALUATED[stamp] = _evaluate_all()
        finally:
            if not outer:
                _PASS = None
    return [
        c
        for stem, c in _EVALUATED[stamp]
        if (chapters is None or c.chapter in chapters) and (files is None or stem in files)
    ]


def collect(chapters=None, files=None) -> pd.DataFrame:
    """Every chapter's checks in one table, from the cells files (``chapters``, ``files``: see :func:`checks`)."""
    return frame(checks(chapters, files))


def is_finding(table: pd.DataFrame) -> pd.Series:
    """Boolean mask of the rows whose status is a finding about the source."""
    return table["status"].isin(FINDING_STATUSES)


def summary(table: pd.DataFrame) -> pd.DataFrame:
    """Counts per chapter and status (every status a column, in :data:`STATUSES` order), and the total."""
    counts = table.groupby(["chapter", "status"]).size().unstack(fill_value=0)
    for col in STATUSES:
        if col not in counts:
            counts[col] = 0
    counts = counts[list(STATUSES)]
    counts["total"] = counts.sum(axis=1)
    return counts.reset_index()


def counts(table: pd.DataFrame) -> dict[str, int]:
    """The whole ledger in a few numbers: checks, each status, and distinct findings.

    ``findings`` counts distinct finding ids (one source problem however many cells it covers);
    the landing page and the chapters glue these.
    """
    out = {"checks": len(table)}
    for status in STATUSES:
        out[status] = int((table["status"] == status).sum())
    fmask = is_finding(table)
    out["finding cells"] = int(fmask.sum())
    out["findings"] = int(table.loc[fmask, "finding"].replace("", pd.NA).dropna().nunique())
    for status in FINDING_STATUSES:
        ids = table.loc[table["status"] == status, "finding"].replace("", pd.NA).dropna()
        out[f"{status} findings"] = int(ids.nunique())
    return out


def largest_mismatches(table: pd.DataFrame, per_chapter: int = 1) -> pd.DataFrame:
    """The findings furthest from their published value, ``per_chapter`` for each chapter.

    Distance is relative: ``|recomputed - published| / |published|``. Ties keep ledger order.
    Only cells whose status is a finding (:data:`FINDING_STATUSES`) are considered.
    """
    mism = table[is_finding(table)].copy()
    mism["relative_difference"] = mism["difference"].abs() / mism["published"].abs().clip(lower=1e-12)
    mism = mism.sort_values("relative_difference", ascending=False, kind="stable")
    top = mism.groupby("chapter", sort=False).head(per_chapter)
    return top.sort_values("chapter", kind="stable").reset_index(drop=True)


def display_frame(table: pd.DataFrame) -> pd.DataFrame:
    """A reader-facing view: published, ours (and the interval its inputs allow), status, note."""
    view = table[
        ["table", "row", "column", "published", "recomputed", "low", "high", "unit", "status", "note"]
    ].copy()
    for col in ("recomputed", "low", "high"):
        view[col] = view[col].round(4)
    return view.reset_index(drop=True)


GOLDEN = "tests/golden/ledger.csv"
"""The reviewed snapshot of the whole ledger (relative to the project root), one row per cell id."""

NUMERIC = ("published", "recomputed", "low", "high", "difference", "tolerance", "decimals")


def golden_frame() -> pd.DataFrame:
    """The ledger as the golden file records it: the cell ``id`` first, then :data:`COLUMNS`."""
    ids = [r["id"] for r in spec()]
    table = collect()
    table.insert(0, "id", ids)
    return table


def write_golden(path=None) -> str:
    """Write :func:`golden_frame` to ``tests/golden/ledger.csv`` (``python -m helpers.book.ledger --update-golden``)."""
    from helpers.book import data

    path = path or (data.PROJECT_ROOT / GOLDEN)
    golden_frame().to_csv(path, index=False, float_format="%.10g", lineterminator="\n")
    return str(path)


def golden_diff(golden: pd.DataFrame, now: pd.DataFrame) -> list[str]:
    """Readable differences between the golden ledger and the ledger now, one line per changed cell.

    Numbers are compared to 9 significant digits (the file keeps 10); text exactly.
    """
    out = []
    g = golden.set_index("id")
    n = now.set_index("id")
    for cid in g.index.difference(n.index, sort=False):
        out.append(f"{cid}: in the golden ledger, no longer in the ledger")
    for cid in n.index.difference(g.index, sort=False):
        out.append(f"{cid}: new cell ({n.loc[cid, 'status']}, published {n.loc[cid, 'published']:g})")
    for cid in n.index.intersection(g.index, sort=False):
        a, b = g.loc[cid], n.loc[cid]
        for col in g.columns:
            x, y = a[col], b[col]
            if col in NUMERIC:
                x, y = float(x), float(y)
                same = math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-12)
            else:
                x = "" if pd.isna(x) else str(x)
                y = "" if pd.isna(y) else str(y)
                same = x == y
            if not same:
                out.append(f"{cid}: {col} {x!r} -> {y!r}")
    if not out and list(g.index) != list(n.index):
        out.append("same cells in a different order")
    return out


def main(argv=None) -> int:
    """``python -m helpers.book.ledger OUT.csv``: write the whole ledger as CSV;
    ``python -m helpers.book.ledger --update-golden``: rewrite ``tests/golden/ledger.csv`` (review its git diff);
    ``python -m helpers.book.ledger --check``: validate the cells files and print the golden diff."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    if args and args[0] == "--update-golden":
        print(f"wrote {write_golden()}")
        return 0
    if args and args[0] == "--check":
        from helpers.book import data

        golden = pd.read_csv(data.PROJECT_ROOT / GOLDEN, keep_default_na=False)
        diff = golden_diff(golden, golden_frame())
        print("\n".join(diff) or f"{len(golden)} cells, as in {GOLDEN}")
        return 1 if diff else 0
    out = args[0] if args else "ledger.csv"
    collect().to_csv(out, index=False, float_format="%.10g")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
