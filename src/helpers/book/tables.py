"""The book's tables: one helper that turns a DataFrame into a table a reader can read.

Every table a page shows goes through :func:`table` (or :func:`ledger_table` for reproduction
ledgers), which

* shows only the columns it is given, under reader labels, with the unit in the header
  ("balance (trillion yuan)");
* writes numbers with thousands separators and a fixed number of decimals per unit (or per row,
  when a column of unit codes says what each row measures), never in scientific notation;
* replaces data codes in cells (``npl_amount``, ``eq``, ``CNY_bn``) by the words given for them;
* has no index column;
* collapses a long table into a ``<details>`` element (open it to read every row; opened for
  print) and offers the whole table as a CSV download next to it.

The result displays as HTML in the book and as aligned plain text elsewhere (so nbval compares
the very strings a reader sees). Both are deterministic: no random ids, no inline styles.
"""

from __future__ import annotations

import base64
import html
import math
import numbers
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

UNIT_LABELS: dict[str, str] = {
    "CNY": "yuan",
    "CNY_10k": "10,000 yuan",
    "CNY_mn": "million yuan",
    "CNY_100m": "100 million yuan",
    "CNY_bn": "billion yuan",
    "CNY_trn": "trillion yuan",
    "USD": "US dollars",
    "USD_mn": "million US dollars",
    "USD_100m": "100 million US dollars",
    "USD_bn": "billion US dollars",
    "CNY_per_m2": "yuan per m²",
    "CNY_10k_per_m2": "10,000 yuan per m²",
    "CNY_per_bottle": "yuan per bottle",
    "m2": "m²",
    "m2_10k": "10,000 m²",
    "m2_100m": "100 million m²",
    "count": "number",
    "count_10k": "10,000",
    "homes": "homes",
    "homes_10k": "10,000 homes",
    "people_10k": "10,000 people",
    "pct": "%",
    "ratio": "ratio",
    "pp": "percentage points",
    "bp": "basis points",
    "multiple": "times",
    "days": "days",
    "months": "months",
    "quarters": "quarters",
    "years": "years",
    "index": "index points",
}
"""Reader words for each unit code of :data:`helpers.book.units.UNITS`."""

UNIT_DECIMALS: dict[str, int] = {
    "CNY": 0,
    "CNY_10k": 1,
    "CNY_mn": 0,
    "CNY_100m": 1,
    "CNY_bn": 1,
    "CNY_trn": 2,
    "USD": 0,
    "USD_mn": 0,
    "USD_100m": 1,
    "USD_bn": 1,
    "CNY_per_m2": 0,
    "CNY_10k_per_m2": 2,
    "CNY_per_bottle": 0,
    "m2": 0,
    "m2_10k": 0,
    "m2_100m": 2,
    "count": 0,
    "count_10k": 1,
    "homes": 0,
    "homes_10k": 1,
    "people_10k": 0,
    "pct": 2,
    "ratio": 3,
    "pp": 2,
    "bp": 0,
    "multiple": 2,
    "days": 0,
    "months": 0,
    "quarters": 0,
    "years": 1,
    "index": 1,
}
"""Decimals a table shows for a value in each unit, unless a column says otherwise."""

CODE_WORDS: dict[str, str] = {
    "eq": "=",
    "approx": "about",
    "about": "about",
    "gt": "more than",
    "ge": "at least",
    "lt": "less than",
    "le": "at most",
    "over": "over",
    "match": "match",
    "mismatch": "mismatch",
}
"""Words for codes that mean the same in every table (relations, ledger statuses)."""

LONG = 20
"""A table with more rows than this is collapsed (the reader opens it), with a CSV download."""

MISSING = "–"
STACK_EM = 24.0
"""Tables estimated wider than this many ems (a 390 px phone's column at the tables' font size)
are stacked on narrow screens."""
RECORD_COLUMNS = 8
PROSE_CHARS = 100
"""A table of :data:`RECORD_COLUMNS` columns or more with a text column holding a cell of
:data:`PROSE_CHARS` characters or more (a note, evidence) cannot show its words whole in a
desktop's reading column: it is shown as records (``book.css``), one block per row, its prose
columns (marked ``prose``) across the block. The PDF edition uses the same rule for print
(``helpers.build.pdf``)."""
_NUM = ' class="num"'
_PROSE = ' class="prose"'


@dataclass(frozen=True)
class Column:
    """How one source column is shown.

    ``label``: the header a reader sees. ``unit``: a unit code for the whole column (its words go
    in the header and it sets the decimals). ``unit_from``: the name of a column of unit codes
    giving each row's unit (for long tables whose rows measure different things). ``decimals``:
    overrides the unit's decimals (an int, :data:`AS_PRINTED`, or the name of a column of ints per
    row). ``codes``: words for the codes that appear in a text column. ``thousands``: separate
    thousands. ``code=True``: the cells are names a reader types or finds in the data files (a
    file, a column, a unit code) and are shown as code.
    """

    label: str
    unit: str | None = None
    unit_from: str | None = None
    decimals: int | str | None = None
    codes: Mapping[str, str] = field(default_factory=dict)
    thousands: bool = True
    signed: bool = False
    code: bool = False

    def header(self) -> str:
        if self.unit and self.unit != "count":
            return f"{self.label} ({UNIT_LABELS.get(self.unit, self.unit)})"
        return self.label


def unit_words(code) -> str:
    """Reader words for a unit code (``"CNY_bn"`` → ``"billion yuan"``); blanks stay blank."""
    if code is None or (isinstance(code, float) and math.isnan(code)) or code == "":
        return ""
    if code not in UNIT_LABELS:
        raise KeyError(f"no reader words for unit code {code!r}: add it to tables.UNIT_LABELS")
    return UNIT_LABELS[code]


def number(value, decimals: int = 2, *, thousands: bool = True, signed: bool = False) -> str:
    """``value`` with ``decimals`` fixed decimals and thousands separators, never in e-notation.

    ``number(21105.6, 1) == "21,105.6"``; ``number(-0.00004, 2) == "0.00"`` (no "-0.00");
    ``number(64.2, -1) == "60"`` (negative decimals round to tens, as a source printing 六成 does);
    missing values become an en dash.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return MISSING
    if isinstance(value, bool) or not isinstance(value, numbers.Number):
        raise TypeError(f"number(): {value!r} is not a number")
    x = float(value)
    if math.isinf(x):
        return "∞" if x > 0 else "−∞"
    decimals = int(decimals)
    if decimals < 0:  # a figure printed to tens (or hundreds …): round there, show no decimals
        x, decimals = round(x, decimals), 0
    text = f"{x:{'+' if signed else ''}{',' if thousands else ''}.{decimals}f}"
    if re.fullmatch(r"[+-]?0(\.0*)?", text.replace(",", "")):
        text = text.lstrip("+-")
    return text.replace("-", "−")


AS_PRINTED = "as printed"
"""``Column(decimals=AS_PRINTED)``: as many decimals as the value has (a published figure as printed)."""


def _decimals_of(value) -> int:
    """Decimals of ``value``'s shortest exact form, at most 6: 0.3 → 1, 1856.0 → 0, 1.52 → 2."""
    text = f"{float(value):.6f}".rstrip("0")
    return len(text.split(".")[1]) if "." in text else 0


def as_printed(value, *, thousands: bool = True) -> str:
    """A published figure as printed: :func:`number` with as many decimals as ``value`` has.

    ``as_printed(150.0) == "150"``, ``as_printed(3.8) == "3.8"``, ``as_printed(21105.6) == "21,105.6"``.
    """
    return number(value, _decimals_of(value), thousands=thousands)


def _is_number(value) -> bool:
    return isinstance(value, numbers.Number) and not isinstance(value, bool)


class Table:
    """A formatted table: ``rows`` of strings under ``headers``; HTML and text representations."""

    def __init__(self, headers, rows, numeric, *, caption=None, name="table", long=LONG, css="", code=None):
        self.code = list(code) if code is not None else [False] * len(headers)
        self.headers = list(headers)
        self.rows = [list(r) for r in rows]
        self.numeric = list(numeric)
        self.caption = caption
        self.name = name
        self.long = long
        self.css = css

    @property
    def frame(self) -> pd.DataFrame:
        """The table as a DataFrame of the strings a reader sees."""
        return pd.DataFrame(self.rows, columns=self.headers)

    def to_csv(self) -> str:
        """The whole table as CSV (the strings as shown, thousands separators removed from numbers)."""
        plain = [
            [cell.replace(",", "").replace("−", "-") if num else cell for cell, num in zip(row, self.numeric)]
            for row in self.rows
        ]
        return pd.DataFrame(plain, columns=self.headers).to_csv(index=False)

    def __repr__(self) -> str:
        text = self.frame.to_string(index=False) if self.rows else "(no rows)"
        return (f"{self.caption}\n" if self.caption else "") + text

    @property
    def row_headers(self) -> bool:
        """Whether the first column names the rows (a text column, or one under an empty header):
        its cells are then row headers (``<th scope="row">``), so every cell has a header."""
        return bool(self.headers) and (self.headers[0] == "" or not self.numeric[0]) and len(self.headers) > 1

    def min_width_em(self) -> float:
        """A rough lower bound of the table's width in ems at its own font size: each column as
        wide as its longest unbreakable piece (a number, or the longest word of a text or header),
        plus padding. Used to choose the stacked layout on narrow screens."""
        total = 0.0
        for i, (head, num) in enumerate(zip(self.headers, self.numeric)):
            pieces = head.split() + [
                piece for row in self.rows for piece in ([row[i]] if num else row[i].split())
            ]
            total += 0.55 * max((len(p) for p in pieces), default=0) + 1.2
        return total

    @property
    def stacked(self) -> bool:
        """Whether the table is stacked on a narrow screen (see ``book.css``): each row becomes a
        block of "header: value" lines. True when the table cannot fit a phone's column
        (about 24 ems at the table's font size, 358 px)."""
        return len(self.headers) > 2 and self.min_width_em() > STACK_EM

    def prose_columns(self) -> list[bool]:
        """Which columns are prose: a text column with a cell of :data:`PROSE_CHARS` characters or
        more, in a table of :data:`RECORD_COLUMNS` columns or more (otherwise none is)."""
        if len(self.headers) < RECORD_COLUMNS:
            return [False] * len(self.headers)
        return [
            not num and any(len(row[i]) >= PROSE_CHARS for row in self.rows)
            for i, num in enumerate(self.numeric)
        ]

    def _table_html(self) -> str:
        prose = self.prose_columns()
        records = any(prose) and not all(prose)
        cls = (
            "book-table"
            + (f" {self.css}" if self.css else "")
            + (" stack" if self.stacked else "")
            + (" records" if records else "")
        )
        out = [f'<table class="{cls}">']
        if self.caption:
            out.append(f"<caption>{html.escape(self.caption)}</caption>")
        out.append("<thead><tr>")
        for head, num, wide in zip(self.headers, self.numeric, prose):
            css = _PROSE if records and wide else (_NUM if num else "")
            out.append(f'<th scope="col"{css}>{html.escape(head)}</th>')
        out.append("</tr></thead><tbody>")
        row_headers = self.row_headers
        for row in self.rows:
            out.append("<tr>")
            for i, (cell, num, code, head) in enumerate(zip(row, self.numeric, self.code, self.headers)):
                text = _breakable(html.escape(cell))
                text = f"<code>{text}</code>" if code and cell != MISSING else text
                label = f' data-label="{html.escape(head)}"' if head else ""
                css = _PROSE if records and prose[i] else (_NUM if num else "")
                if i == 0 and row_headers:
                    out.append(f'<th scope="row"{label}{css}>{text}</th>')
                else:
                    out.append(f"<td{label}{css}>{text}</td>")
            out.append("</tr>")
        out.append("</tbody></table>")
        return "".join(out)

    def _repr_html_(self) -> str:
        table = f'<div class="book-table-wrap" tabindex="0">{self._table_html()}</div>'
        if len(self.rows) <= self.long:
            return table
        payload = base64.b64encode(self.to_csv().encode("utf-8")).decode("ascii")
        link = (
            f'<a class="book-table-download" download="{html.escape(self.name)}.csv" '
            f'href="data:text/csv;charset=utf-8;base64,{payload}">Download the whole table (CSV)</a>'
        )
        return (
            f'<details class="book-table-long"><summary>Show all {len(self.rows):,} rows</summary>'
            f'{table}</details><p class="book-table-note">{link}</p>'
        )


def _breakable(text: str) -> str:
    """``text`` (escaped) with a line-break opportunity (``<wbr>``) after each underscore inside a
    word: a data name (``housing_rent_capitalisation``) in a narrow column then breaks between
    its parts rather than inside one."""
    return re.sub(r"(?<=\w)_(?=\w)", "_<wbr>", text)


def _column(spec) -> Column:
    if isinstance(spec, Column):
        return spec
    if isinstance(spec, str):
        return Column(spec)
    if isinstance(spec, tuple):
        return Column(*spec)
    raise TypeError(f"table(): a column is a label, a (label, unit) tuple or a Column, not {spec!r}")


def _cell(value, col: Column, row: pd.Series) -> tuple[str, bool]:
    if _is_number(value) or value is None or (isinstance(value, float) and math.isnan(value)):
        unit = row[col.unit_from] if col.unit_from else col.unit
        if col.decimals == AS_PRINTED and _is_number(value):
            decimals = _decimals_of(value)
        elif isinstance(col.decimals, str) and col.decimals != AS_PRINTED:
            decimals = int(row[col.decimals])
        elif col.decimals is not None:
            decimals = col.decimals
        elif unit and not (isinstance(unit, float) and math.isnan(unit)):
            if unit not in UNIT_DECIMALS:
                raise KeyError(f"no decimals for unit code {unit!r}: add it to tables.UNIT_DECIMALS")
            decimals = UNIT_DECIMALS[unit]
        elif _is_number(value) and float(value).is_integer():
            decimals = 0
        else:
            decimals = 2
        return number(value, decimals, thousands=col.thousands, signed=col.signed), True
    text = str(value)
    if text in col.codes:
        return col.codes[text], False
    if text in CODE_WORDS:
        return CODE_WORDS[text], False
    return text, False


def table(
    frame: pd.DataFrame,
    columns: Mapping[str, object],
    *,
    caption: str | None = None,
    name: str = "table",
    long: int = LONG,
    css: str = "",
) -> Table:
    """Show ``frame`` as a publication table.

    ``columns`` maps each column to show (in order) to its reader label, a ``(label, unit)``
    tuple, or a :class:`Column`; other columns are left out, and so is the index (reset it
    first to show it as a column). A column of unit codes shown as a column has its codes
    replaced by words. ``name`` names the CSV download of a long table.
    """
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise KeyError(f"table(): no column {missing} in the frame (it has {list(frame.columns)})")
    cols = {name_: _column(spec) for name_, spec in columns.items()}
    headers = [c.header() for c in cols.values()]
    rows, numeric = [], [True] * len(cols)
    seen_text = [False] * len(cols)
    for _, row in frame.iterrows():
        cells = []
        for i, (source, col) in enumerate(cols.items()):
            value = row[source]
            if source in {c.unit_from for c in cols.values() if c.unit_from} and not _is_number(value):
                text, is_num = (unit_words(value), False)
            else:
                text, is_num = _cell(value, col, row)
            if not is_num and text != MISSING:
                seen_text[i] = True
            cells.append(text)
        rows.append(cells)
    numeric = [not t for t in seen_text]
    code = [c.code for c in cols.values()]
    return Table(headers, rows, numeric, caption=caption, name=name, long=long, css=css, code=code)


_CODE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)+$")
_TOKENS = {"npl": "NPL", "ltv": "LTV", "lpr": "LPR", "roe": "ROE", "roa": "ROA", "yoy": "year on year"}


def code_words(text: str) -> str:
    """Words for a data code a ledger row names (``business_npl_increase_1h25`` → ``business NPL
    increase 1H25``; a unit code → its words); any other text is returned as it is."""
    if text in UNIT_LABELS and (text in ("pp", "pct", "bp", "m2") or "_" in text):
        return UNIT_LABELS[text]
    if not _CODE.match(text):
        return text
    words = []
    for token in text.split("_"):
        if re.fullmatch(r"\d[hq]\d{2}", token):
            words.append(token.upper())
        elif re.fullmatch(r"\d{2}e", token):
            words.append(token.upper())
        else:
            words.append(_TOKENS.get(token, token))
    return " ".join(words)


def ledger_table(
    ledger_frame: pd.DataFrame,
    *,
    name: str = "ledger",
    long: int = LONG,
    chapter: bool = False,
    css: str = "ledger",
) -> Table:
    """A reproduction ledger (``helpers.book.ledger.frame``) as a reader's table.

    Published values keep the decimals the source printed (its ``decimals`` column); ours and the
    difference show two more. ``chapter=True`` adds the chapter as the first column.
    """
    view = ledger_frame.copy()
    if "decimals" in view.columns:
        view["shown_decimals"] = view["decimals"].astype(int)
        view["more_decimals"] = view["decimals"].astype(int) + 2
        published, more = Column("published", decimals="shown_decimals"), "more_decimals"
    else:
        published, more = Column("published", decimals=AS_PRINTED), 4
    if "difference" not in view.columns:
        view["difference"] = view["recomputed"] - view["published"]
    view["unit_words"] = [unit_words(u) for u in view["unit"]]
    for label in ("table", "row", "column"):
        view[label] = [code_words(str(v)) for v in view[label]]
    columns: dict[str, object] = {"chapter": "chapter"} if chapter else {}
    columns.update(
        {
            "table": "table",
            "row": "row",
            "column": "column",
            "published": published,
            "recomputed": Column("ours", decimals=more),
            "difference": Column("difference", decimals=more, signed=True),
        }
    )
    if "inputs_allow" in view.columns:  # the interval the published inputs allow (text)
        columns["inputs_allow"] = "inputs allow"
    columns.update({"unit_words": "unit", "status": "status", "note": "note"})
    if "finding" in view.columns:
        view["finding"] = view["finding"].fillna("")
        columns["finding"] = "finding"
    return table(view, columns, name=name, long=long, css=css)


def ledger_column_index(ledger_frame: pd.DataFrame, label: str, chapter: bool = False) -> int:
    """Position of ``label`` among the columns :func:`ledger_table` shows for ``ledger_frame``."""
    labels = (["chapter"] if chapter else []) + ["table", "row", "column", "published", "ours", "difference"]
    if "inputs_allow" in ledger_frame.columns:
        labels.append("inputs allow")
    labels += ["unit", "status", "note"]
    if "finding" in ledger_frame.columns:
        labels.append("finding")
    return labels.index(label)


def summary_table(counts: pd.DataFrame) -> Table:
    """A ledger summary (``helpers.book.ledger.summary``: checks per chapter and status, and the total)."""
    columns: dict[str, object] = {"chapter": "chapter"}
    for name in counts.columns:
        if name != "chapter":
            columns[name] = Column(name, unit="count")
    return table(counts, columns, name="ledger-summary")


def frame_table(frame: pd.DataFrame, *, name: str = "table", decimals: int = 2, long: int = LONG) -> Table:
    """A frame whose labels are already written for readers, shown as a publication table: a
    named index becomes the first column, every number gets ``decimals`` fixed decimals."""
    view = frame if isinstance(frame.index, pd.RangeIndex) else frame.reset_index()
    view = view.rename(columns={c: ("" if c == "index" else str(c)) for c in view.columns})
    columns = {
        c: (Column(c, decimals=decimals) if pd.api.types.is_numeric_dtype(view[c]) else c)
        for c in view.columns
    }
    return table(view, columns, name=name, long=long)
