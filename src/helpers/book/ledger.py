"""The reproduction ledger: every published figure the book recomputes, beside ours.

A :class:`Check` pairs a value as printed in a source with the value a model function in
``helpers`` computes from that source's inputs. It *matches* when the difference is within the
source's own rounding::

    |recomputed - published| <= 0.5 * 10**(-decimals)   (plus a 1e-9 float allowance)

Each chapter's ``ledger`` module (``helpers.chapters.<page>.ledger``) exposes ``ledger_checks() -> list[Check]``; :func:`collect` gathers all of
them. Mismatches are findings: the ``note`` says what we think went wrong.
"""

from __future__ import annotations

import importlib
import math
from dataclasses import asdict, dataclass, field

import pandas as pd

CHAPTER_MODULES = {
    "disposals": "helpers.chapters.npl_disposals.ledger",
    "housing": "helpers.chapters.housing_market.ledger",
    "retail": "helpers.chapters.retail_risk.ledger",
    "policy": "helpers.chapters.housing_policy.ledger",
}
"""Ledger chapter id → the module whose ``ledger_checks()`` supplies that chapter's rows."""

COLUMNS = [
    "chapter",
    "source",
    "table",
    "row",
    "column",
    "published",
    "recomputed",
    "unit",
    "decimals",
    "difference",
    "tolerance",
    "status",
    "note",
]


@dataclass(frozen=True)
class Check:
    """One published cell against its recomputation (see the module docstring for the rule)."""

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

    def __post_init__(self):
        from helpers.book import units

        units.unit(self.unit)  # raises on an unknown unit
        if self.chapter not in CHAPTER_MODULES:
            raise ValueError(f"Check.chapter {self.chapter!r} is not one of {sorted(CHAPTER_MODULES)}")
        if not isinstance(self.decimals, int) or self.decimals < 0:
            raise ValueError(f"Check.decimals must be a non-negative int, got {self.decimals!r}")
        for name in ("published", "recomputed"):
            v = getattr(self, name)
            if v is None or (isinstance(v, float) and math.isnan(v)):
                raise ValueError(f"Check {self.table}/{self.row}/{self.column}: {name} is missing")

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
        """``"match"`` if ``|difference| <= tolerance`` (+1e-9), else ``"mismatch"``."""
        return "match" if abs(self.difference) <= self.tolerance + 1e-9 else "mismatch"

    def as_row(self) -> dict:
        row = asdict(self)
        row.update(difference=self.difference, tolerance=self.tolerance, status=self.status)
        return row


def checker(chapter: str, source: str):
    """A chapter's shorthand for :class:`Check`, with its chapter and default source filled in.

    ``check = checker("housing", SEED)`` then
    ``check(table, row, column, published, recomputed, unit, decimals, note="", source=SEED)``;
    ``published`` and ``recomputed`` are converted to float.
    """

    def check(table, row, column, published, recomputed, unit, decimals, note="", source=source) -> Check:
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
        )

    return check


def frame(checks) -> pd.DataFrame:
    """The checks as a table with the ledger's columns, in the order given."""
    rows = [c.as_row() for c in checks]
    out = pd.DataFrame(rows, columns=COLUMNS)
    return out.astype({"published": float, "recomputed": float, "difference": float})


def collect(chapters=None) -> pd.DataFrame:
    """Every chapter's checks in one table (``chapters`` restricts to some ledger ids)."""
    checks = []
    for chapter, module_name in CHAPTER_MODULES.items():
        if chapters is not None and chapter not in chapters:
            continue
        module = importlib.import_module(module_name)
        checks.extend(module.ledger_checks())
    return frame(checks)


def summary(table: pd.DataFrame) -> pd.DataFrame:
    """Counts of matches and mismatches per chapter."""
    counts = table.groupby(["chapter", "status"]).size().unstack(fill_value=0)
    for col in ("match", "mismatch"):
        if col not in counts:
            counts[col] = 0
    counts = counts[["match", "mismatch"]]
    counts["total"] = counts.sum(axis=1)
    return counts.reset_index()


def largest_mismatches(table: pd.DataFrame, per_chapter: int = 1) -> pd.DataFrame:
    """The mismatches furthest from their published value, ``per_chapter`` for each chapter.

    Distance is relative: ``|recomputed - published| / |published|``. Ties keep ledger order.
    """
    mism = table[table["status"] == "mismatch"].copy()
    mism["relative_difference"] = mism["difference"].abs() / mism["published"].abs().clip(lower=1e-12)
    mism = mism.sort_values("relative_difference", ascending=False, kind="stable")
    top = mism.groupby("chapter", sort=False).head(per_chapter)
    return top.sort_values("chapter", kind="stable").reset_index(drop=True)


def display_frame(table: pd.DataFrame) -> pd.DataFrame:
    """A reader-facing view: published, ours, difference and status with rounded numbers."""
    view = table[
        ["table", "row", "column", "published", "recomputed", "difference", "unit", "status", "note"]
    ].copy()
    view["recomputed"] = view["recomputed"].round(4)
    view["difference"] = view["difference"].round(4)
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
