"""The appendices, generated from ``data/`` and the ledger so nothing is typed twice.

* :func:`catalogue_markdown`: the data catalogue (every resource, its fields, units, sources,
  a download link);
* :func:`ledger_html`: the reproduction ledger as a table readers can filter by chapter and
  status (the filter is ``_static/ledger-filter.js``; without JavaScript the table is whole);
* :func:`ledger_errata`: one row per finding of the ledger (``data/ledger/findings.csv``), with
  the cells it covers and their evidence; :func:`errata_csv` the same for download;
* :func:`data_errata`: data rows whose ``note`` starts with a kind tag such as ``[typo]`` (see
  :data:`ERRATUM_KINDS`);
* :func:`table_html`: any table in full, escaped (pandas would cut long tables short).
"""

from __future__ import annotations

import html
import re

import pandas as pd

from helpers.book import data, ledger, sources, tables, units

ERRATUM_KINDS = {
    "typo": "a misprint: a wrong digit, label or date",
    "inconsistent": "a figure that its own inputs (a sum, a ratio, a share) contradict",
    "contradiction": "two passages or two sources that disagree",
    "garbled": "a name or number damaged in conversion, restored by us",
    "conversion": "text lost or merged in the PDF conversion (a range without its dash, a page number glued on)",
    "ambiguous": "a figure whose period, unit or scope the source leaves unclear",
}
"""Kind tags a data note may start with (``[kind] explanation``) to enter the errata."""

_TAG = re.compile(r"^\s*\[(?P<kind>[a-z]+)\]\s*(?P<text>.*)$", re.S)


def erratum_kind(note) -> str | None:
    """The kind tag a note starts with, or None; ``ValueError`` for an unknown tag."""
    if not isinstance(note, str):
        return None
    match = _TAG.match(note)
    if not match:
        return None
    kind = match.group("kind")
    if kind not in ERRATUM_KINDS:
        raise ValueError(
            f"unknown erratum tag [{kind}] in note {note[:60]!r}; use one of {sorted(ERRATUM_KINDS)}"
        )
    return kind


def _row_label(row: pd.Series) -> str:
    skip = {"value", "value_low", "value_high", "unit", "source", "locator", "quote", "note"}
    parts = [str(v) for k, v in row.items() if k not in skip and pd.notna(v) and str(v).strip()]
    return " · ".join(parts[:4])


def data_errata() -> pd.DataFrame:
    """Rows of every table whose note carries an erratum tag."""
    rows = []
    for name in data.resource_names():
        frame = data.load(name)
        if "note" not in frame.columns:
            continue
        for i, row in frame.iterrows():
            kind = erratum_kind(row["note"])
            if kind:
                value = row.get("value")
                rows.append(
                    {
                        "kind": kind,
                        "table": name,
                        "line": i + 2,
                        "what": _row_label(row),
                        "published": ""
                        if value is None or pd.isna(value)
                        else f"{value:g} {row.get('unit') or ''}".strip(),
                        "source": row["source"],
                        "locator": row["locator"],
                        "evidence": _TAG.match(row["note"]).group("text").strip(),
                    }
                )
    return pd.DataFrame(
        rows, columns=["kind", "table", "line", "what", "published", "source", "locator", "evidence"]
    )


def _fmt(value: float, decimals: int) -> str:
    """A published number as printed: its own decimals (at least ``decimals``), thousands
    separated, with a minus sign (:func:`helpers.book.tables.number`)."""
    text = repr(float(value))
    own = len(text.split(".")[1].rstrip("0")) if "." in text and "e" not in text else 0
    return tables.number(float(value), max(int(decimals), own, 0))


def _unit(code: str) -> str:
    """A unit as the sources print it (``亿元``, ``%``), from :mod:`helpers.book.units`."""
    try:
        return units.unit(code).published
    except Exception:  # an unknown code is shown as it is
        return str(code)


def _fmt_ours(value: float, decimals: int) -> str:
    """Our value with two more decimals than the source printed (a minus sign, not a hyphen, as
    in every table of the book: :func:`helpers.book.tables.number`)."""
    return tables.number(float(value), max(int(decimals), 0) + 2)


def _allowed(row) -> str:
    """``[low, high]`` of a ledger row, or the point when the inputs are exact."""
    if abs(row["high"] - row["low"]) < 1e-12:
        return _fmt_ours(row["recomputed"], row["decimals"])
    return f"{_fmt_ours(row['low'], row['decimals'])} to {_fmt_ours(row['high'], row['decimals'])}"


ERRATA_COLUMNS = [
    "finding",
    "status",
    "source",
    "locator",
    "what is wrong",
    "evidence",
    "published",
    "the source's own numbers give",
    "likely correct",
    "cells",
]


def ledger_errata(table: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per finding (``data/ledger/findings.csv``), with the evidence of the ledger cells it covers.

    ``published`` and ``the source's own numbers give`` list each covered cell's printed value and
    the interval its published inputs allow (our value when the inputs are exact); ``likely
    correct`` is our recomputation where the finding names it so; ``cells`` names each cell.
    What-if rows and cells within rounding are never here.
    """
    table = ledger.collect() if table is None else table
    cells = table[ledger.is_finding(table)]
    rows = []
    for fid, f in ledger.findings().items():
        mine = cells[cells["finding"] == fid]
        if mine.empty:
            continue
        many = len(mine) > 1

        def tag(r, many=many):
            return f"{r['row']} / {r['column']}: " if many else ""

        likely = f["likely_correct"]
        if likely == "recomputed":
            likely = "; ".join(
                f"{tag(r)}{_fmt_ours(r['recomputed'], r['decimals'])} {_unit(r['unit'])}"
                for _, r in mine.iterrows()
            )
        rows.append(
            {
                "finding": fid,
                "status": f["status"],
                "source": sources.key(f["source"]) if f["source"] else "",
                "locator": f["locator"],
                "what is wrong": f["title"],
                "evidence": f["evidence"],
                "published": "; ".join(
                    f"{tag(r)}{_fmt(r['published'], r['decimals'])} {_unit(r['unit'])}"
                    for _, r in mine.iterrows()
                ),
                "the source's own numbers give": "; ".join(
                    f"{tag(r)}{_allowed(r)} {_unit(r['unit'])}" for _, r in mine.iterrows()
                ),
                "likely correct": likely,
                "cells": f"{len(mine)}: "
                + "; ".join(f"{r['table']} · {r['row']} / {r['column']}" for _, r in mine.iterrows()),
            }
        )
    return pd.DataFrame(rows, columns=ERRATA_COLUMNS)


def errata_csv(table: pd.DataFrame | None = None) -> bytes:
    """The findings of :func:`ledger_errata` as CSV (UTF-8), for download."""
    return ledger_errata(table).to_csv(index=False).encode("utf-8")


def table_html(frame: pd.DataFrame, classes: str = "errata-table") -> str:
    """A whole table as HTML: every row (no truncation), every cell escaped, no index."""
    head = "".join(f'<th scope="col">{html.escape(str(c))}</th>' for c in frame.columns)
    body = []
    for _, row in frame.iterrows():
        cells = "".join(f"<td>{html.escape('' if pd.isna(v) else str(v))}</td>" for v in row.tolist())
        body.append(f"<tr>{cells}</tr>")
    return (
        f'<div class="table-wrapper"><table class="{html.escape(classes)}"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def statuses_html() -> str:
    """The definition of every ledger status, once (:data:`helpers.book.ledger.STATUSES`)."""
    frame = pd.DataFrame(
        {
            "status": list(ledger.STATUSES),
            "meaning": list(ledger.STATUSES.values()),
            "a finding (in the errata)": [
                "yes" if s in ledger.FINDING_STATUSES else "no" for s in ledger.STATUSES
            ],
        }
    )
    return table_html(frame, "ledger-statuses")


def counts_sentence(table: pd.DataFrame | None = None) -> str:
    """One sentence of counts from the ledger: checks, matches, within rounding, findings by kind."""
    table = ledger.collect() if table is None else table
    n = ledger.counts(table)

    def many(k, word, plural=None):
        return f"{k} {word if k == 1 else (plural or word + 's')}"

    return (
        f"{many(n['checks'], 'check')}: {n['match']} match, {n['within rounding']} within the published "
        f"rounding, {many(n['what-if'], 'what-if row')} of the book's own, and {many(n['finding cells'], 'cell')} "
        f"in {many(n['findings'], 'finding')} about the sources ({many(n['source error findings'], 'source error')}, "
        f"{many(n['inconsistent assumption findings'], 'inconsistent assumption')}, "
        f"{n['unexplained findings']} unexplained)."
    )


def errata() -> dict[str, pd.DataFrame]:
    """Both kinds of errata: ``{"ledger": …, "data": …}``."""
    return {"ledger": ledger_errata(), "data": data_errata()}


# --------------------------------------------------------------------------- catalogue


_ASCII_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def _md_escape(text) -> str:
    """Text from the data package as literal MyST Markdown: nothing in it is markup or HTML.

    Every ASCII punctuation character gets a backslash (CommonMark's escape, which MyST
    honours), so ``<script>`` shows as text, ``{role}`` and ``*`` stay literal, and ``|``
    cannot split a table cell; line breaks become spaces.
    """
    flat = " ".join(str(text).split())
    return "".join("\\" + c if c in _ASCII_PUNCTUATION else c for c in flat)


def _code_breakable(name: str) -> str:
    """A data name (``bank_share_of_bank_consumer``) as inline code, for a table cell of Markdown:
    raw HTML, escaped, that may break its line after an underscore or a slash (``<wbr>``) and
    nowhere else, so a narrow column does not split it inside a word."""
    return '<code class="docutils literal notranslate">' + _wbr(html.escape(str(name))) + "</code>"


def _wbr(text: str) -> str:
    """``text`` (escaped) with a line-break opportunity after each underscore and slash."""
    return re.sub(r"(\\?[_/])(?=\S)", r"\1<wbr>", text)


def catalogue_markdown(prefix: str = "../data/") -> str:
    """MyST Markdown listing every resource: title, description, download, sources, fields."""
    pkg = data.package_descriptor()
    out = [
        f"The package has {len(pkg['resources'])} tables. "
        f"{{download}}`datapackage.json <{prefix}datapackage.json>` describes them all "
        "(Frictionless Data Package: schema, units, constraints, sources). "
        f"Download everything at once as {{download}}`data-package.zip <{prefix}../generated/data-package.zip>`: "
        "the tables, the descriptor and the source documents, which `frictionless validate datapackage.json` "
        "accepts once unzipped. The CSV files are UTF-8 with a byte-order mark, so spreadsheets show "
        "the Chinese labels.",
        "",
    ]
    for res in pkg["resources"]:
        frame = data.load(res["name"])
        seeds = sorted(set(frame["source"]))
        out += [
            f"### {_md_escape(res.get('title', res['name']))}",
            "",
            f"`{res['name']}` · {len(frame)} rows · {{download}}`{res['path']} <{prefix}{res['path']}>` · "
            + "sources: "
            + ", ".join(f"{{cite:t}}`{sources.key(s)}`" for s in seeds),
            "",
            _md_escape(res.get("description", "")),
            "",
            "| column | type | unit | description |",
            "|---|---|---|---|",
        ]
        for f in res["schema"]["fields"]:
            unit_text = ""
            if "unit" in f:
                unit_text = f"{_code_breakable(f['unit'])} ({units.unit(f['unit']).published})"
            elif f["name"] == "unit":
                used = sorted(set(frame["unit"].dropna()))
                unit_text = "codes: " + ", ".join(_code_breakable(u) for u in used)
            out.append(
                f"| {_code_breakable(f['name'])} | {f['type']} | {unit_text} "
                f"| {_wbr(_md_escape(f.get('description', '')))} |"
            )
        out.append("")
    return "\n".join(out)


def units_table() -> pd.DataFrame:
    """Every unit code with its dimension, size in base units and the form the sources print."""
    return pd.DataFrame(
        [(code, u.dimension, u.factor, u.published) for code, u in units.UNITS.items()],
        columns=["code", "dimension", "factor", "published as"],
    ).set_index("code")


# --------------------------------------------------------------------------- ledger


def ledger_html(table: pd.DataFrame) -> str:
    """The ledger as an HTML table with chapter and status filters (``ledger-filter.js``, which
    shows them; hidden without JavaScript and in print).

    Made by :func:`helpers.book.tables.ledger_table` (never collapsed: the filters are the way in),
    with the interval the published inputs allow.
    """
    # the finding a cell belongs to is on the errata page; here it would widen the table past a
    # printed page
    table = table.drop(columns=["finding"], errors="ignore")
    if {"low", "high", "decimals"} <= set(table.columns):
        table["inputs_allow"] = [_allowed(r) for _, r in table.iterrows()]
    view = tables.ledger_table(
        table, name="ledger", long=len(table) + 1, chapter=True, css="ledger ledger-table filterable"
    )
    chapters = sorted(table["chapter"].unique())
    status_col = tables.ledger_column_index(table, "status", chapter=True)

    def options(values):
        return "".join(f'<option value="{html.escape(v)}">{html.escape(v)}</option>' for v in values)

    # Shown by ledger-filter.js only: without JavaScript (and in print) there is nothing to filter.
    controls = (
        '<div class="ledger-filters" role="group" aria-label="Filter the ledger" hidden>'
        '<span class="ledger-filters-intro">Filter the checks by chapter or status:</span> '
        '<label>Chapter <select data-filter-column="0"><option value="">all</option>'
        f"{options(chapters)}</select></label> "
        f'<label>Status <select data-filter-column="{status_col}"><option value="">all</option>'
        f"{options(list(ledger.STATUSES))}</select></label> "
        '<span class="ledger-count" aria-live="polite"></span></div>'
    )
    return controls + "\n" + view._repr_html_()


# --------------------------------------------------------------------------- reader tables


def _unit_codes_to_words(text: str) -> str:
    for code in sorted(units.UNITS, key=len, reverse=True):
        text = re.sub(rf"(?<![\w]){re.escape(code)}(?![\w])", tables.UNIT_LABELS[code], text)
    return text


def errata_tables(table: pd.DataFrame | None = None) -> dict:
    """Both errata tables as readers see them (:mod:`helpers.book.tables`), every row shown:
    the ledger's findings (one row per source problem, :func:`ledger_errata`) and the problems
    recorded in the data's notes (:func:`data_errata`)."""
    from helpers.book import sources, tables

    led = ledger_errata(table)
    dat = data_errata().copy()
    dat["source"] = [sources.label(s) for s in dat["source"]]
    dat["published"] = [_unit_codes_to_words(str(p)) for p in dat["published"]]
    return {
        "ledger": tables.table(led, {c: c for c in led.columns}, name="errata-ledger", long=len(led) + 1),
        "data": tables.table(
            dat,
            {
                "kind": "kind",
                "table": tables.Column("data table", code=True),
                "line": tables.Column("line", unit="count"),
                "what": "what",
                "published": "published",
                "source": "source",
                "locator": "where",
                "evidence": "evidence",
            },
            name="errata-data",
            long=len(dat) + 1,
        ),
    }


def units_display():
    """Every unit code with the words the tables use, its dimension, size and printed form."""
    frame = units_table().reset_index()
    frame["words"] = [tables.UNIT_LABELS[c] for c in frame["code"]]
    return tables.table(
        frame,
        {
            "code": tables.Column("code in the data", code=True),
            "words": "in the tables",
            "dimension": tables.Column("dimension", code=True),
            "factor": tables.Column("size in base units", decimals=tables.AS_PRINTED),
            "published as": "printed as",
        },
        name="units",
    )
