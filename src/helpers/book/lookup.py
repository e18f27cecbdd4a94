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


class Missing:
    """A missing cell in a selection column: equal to nothing (as ``NaN == x`` is false)."""


_INDEXABLE = (str, int, float)


def _indexed_row(name: str, where: dict):
    """``row(name, **where)`` through an index of the validated table, built once per table and
    selection columns (``None`` when a column or value is of a kind the index does not compare
    as pandas does: then :func:`row` filters the table itself)."""
    if not where or not all(type(v) in _INDEXABLE for v in where.values()):
        return None
    frame = data.load_shared(name)
    columns = tuple(where)
    if any(c not in frame.columns or not _comparable(frame[c]) for c in columns):
        return None
    index = _index(name, id(frame), columns, frame)
    hits = index.get(tuple(where.values()), ())
    if len(hits) != 1:
        raise LookupError(f"{name}: {len(hits)} rows match {where}; expected exactly one")
    return frame.iloc[hits[0]].copy()


def _comparable(series: pd.Series) -> bool:
    """Text, numbers and booleans: columns whose ``==`` a dictionary lookup reproduces (not dates)."""
    return series.dtype.kind in "Oiufb" or str(series.dtype) in ("Int64", "string", "boolean")


_INDEXES: dict = {}


def row_index(keys: list[list], length: int) -> dict:
    """``{values: [row positions]}`` from one list of cell keys per selection column (a missing
    cell keyed as :class:`Missing`); with no column, every one of ``length`` rows matches."""
    rows: dict = {(): list(range(length))} if not keys else {}
    for position, values in enumerate(zip(*keys)):
        rows.setdefault(values, []).append(position)
    return rows


def _index(name: str, frame_id: int, columns: tuple, frame: pd.DataFrame) -> dict:
    key = (name, frame_id, columns)
    if key not in _INDEXES:
        keys = [[Missing() if pd.isna(v) else v for v in frame[c].tolist()] for c in columns]
        _INDEXES[key] = row_index(keys, len(frame))
    return _INDEXES[key]


def row(table, **where) -> pd.Series:
    """The single row of ``table`` matching every ``column=value`` in ``where``."""
    if isinstance(table, str):
        found = _indexed_row(table, where)
        if found is not None:
            return found
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
