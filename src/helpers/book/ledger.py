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

:data:`STATUSES` defines each status once; the ledger appendix prints that table. Each
chapter's ``ledger`` module (``helpers.chapters.<page>.ledger``) exposes
``ledger_checks() -> list[Check]``; :func:`collect` gathers all of them.
"""

from __future__ import annotations

import csv
import importlib
import math
from dataclasses import dataclass, field
from functools import cache

import pandas as pd

from helpers.book.intervals import Interval

CHAPTER_MODULES = {
    "disposals": "helpers.chapters.npl_disposals.ledger",
    "housing": "helpers.chapters.housing_market.ledger",
    "retail": "helpers.chapters.retail_risk.ledger",
    "policy": "helpers.chapters.housing_policy.ledger",
}
"""Ledger chapter id → the module whose ``ledger_checks()`` supplies that chapter's rows."""

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


def collect(chapters=None) -> pd.DataFrame:
    """Every chapter's checks in one table (``chapters`` restricts to some ledger ids)."""
    checks = []
    for chapter, module_name in CHAPTER_MODULES.items():
        if chapters is not None and chapter not in chapters:
            continue
        module = importlib.import_module(module_name)
        checks.extend(module.ledger_checks())
    return frame(checks)


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


def main(argv=None) -> int:
    """``python -m helpers.book.ledger OUT.csv``: write the whole ledger as CSV."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    out = args[0] if args else "ledger.csv"
    collect().to_csv(out, index=False, float_format="%.10g")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
