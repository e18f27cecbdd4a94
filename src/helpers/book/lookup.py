"""One way to look up a value: the single row of a table that matches a selection.

``row(table, **where)`` returns the one row whose columns equal every ``column=value`` in
``where``; ``value(table, unit=None, field="value", **where)`` returns that row's ``field`` as a
float, converted from the row's ``unit`` to ``unit`` when one is given. ``table`` is a loaded
DataFrame or the name of a data resource (loaded and validated by :func:`helpers.book.data.load`).
None or several matching rows raise ``LookupError`` naming the table and the selection, so a
renamed indicator fails loudly instead of showing the wrong figure.
"""

from __future__ import annotations

import math

import pandas as pd

from helpers.book import data, units


def _frame(table) -> tuple[pd.DataFrame, str]:
    if isinstance(table, str):
        return data.load(table), table
    return table, str(table.attrs.get("name", "table"))


def row(table, **where) -> pd.Series:
    """The single row of ``table`` matching every ``column=value`` in ``where``."""
    frame, name = _frame(table)
    mask = pd.Series(True, index=frame.index)
    for column, wanted in where.items():
        if column not in frame.columns:
            raise LookupError(f"{name}: no column {column!r}")
        mask &= frame[column] == wanted
    hits = frame[mask]
    if len(hits) != 1:
        raise LookupError(f"{name}: {len(hits)} rows match {where}; expected exactly one")
    return hits.iloc[0]


def in_unit(found: pd.Series, unit: str | None = None, field: str = "value") -> float:
    """``found[field]`` as a float, converted from ``found["unit"]`` to ``unit`` if given."""
    number = found.get(field)
    if number is None or (isinstance(number, float) and math.isnan(number)):
        raise LookupError(f"row {dict(found)!r} has no {field!r}")
    number = float(number)
    return float(units.convert(number, found["unit"], unit)) if unit else number


def value(table, unit: str | None = None, field: str = "value", **where) -> float:
    """``in_unit(row(table, **where), unit, field)``: one figure, optionally converted."""
    return in_unit(row(table, **where), unit, field)
