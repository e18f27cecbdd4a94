"""The appendices, generated from ``data/`` and the ledger so nothing is typed twice.

* :func:`catalogue_markdown`: the data catalogue (every resource, its fields, units, sources,
  a download link);
* :func:`ledger_html`: the reproduction ledger as a table readers can filter by chapter and
  status (the filter is ``_static/ledger-filter.js``; without JavaScript the table is whole);
* :func:`errata`: every place a source contradicts itself or another source, from two places:
  ledger mismatches, and data rows whose ``note`` starts with a kind tag such as ``[typo]``
  (see :data:`ERRATUM_KINDS`).
"""

from __future__ import annotations

import html
import re

import pandas as pd

from helpers.book import data, ledger, sources, units

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


def ledger_errata(table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Ledger mismatches: what the source printed, what its own inputs give, and why."""
    table = ledger.collect() if table is None else table
    mism = table[table["status"] == "mismatch"]
    return pd.DataFrame(
        {
            "chapter": mism["chapter"],
            "source": mism["source"],
            "table": mism["table"],
            "cell": mism["row"] + " / " + mism["column"],
            "published": mism["published"],
            "recomputed": mism["recomputed"].round(4),
            "unit": mism["unit"],
            "evidence": mism["note"],
        }
    ).reset_index(drop=True)


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
                unit_text = f"`{f['unit']}` ({units.unit(f['unit']).published})"
            elif f["name"] == "unit":
                used = sorted(set(frame["unit"].dropna()))
                unit_text = "codes: " + ", ".join(f"`{u}`" for u in used)
            out.append(
                f"| `{f['name']}` | {f['type']} | {unit_text} | {_md_escape(f.get('description', ''))} |"
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
    """The ledger as an HTML table with chapter and status filters (``ledger-filter.js``).

    Made by :func:`helpers.book.tables.ledger_table` (never collapsed: the filters are the way in).
    """
    from helpers.book import tables

    view = tables.ledger_table(
        table, name="ledger", long=len(table) + 1, chapter=True, css="ledger ledger-table filterable"
    )
    chapters = sorted(table["chapter"].unique())

    def options(values):
        return "".join(f'<option value="{html.escape(v)}">{html.escape(v)}</option>' for v in values)

    controls = (
        '<div class="ledger-filters" role="group" aria-label="Filter the ledger">'
        '<label>Chapter <select data-filter-column="0"><option value="">all</option>'
        f"{options(chapters)}</select></label> "
        '<label>Status <select data-filter-column="8"><option value="">all</option>'
        f"{options(['match', 'mismatch'])}</select></label> "
        '<span class="ledger-count" aria-live="polite"></span></div>'
    )
    return controls + "\n" + view._repr_html_()


# --------------------------------------------------------------------------- reader tables


def _unit_codes_to_words(text: str) -> str:
    from helpers.book import tables

    for code in sorted(units.UNITS, key=len, reverse=True):
        text = re.sub(rf"(?<![\w]){re.escape(code)}(?![\w])", tables.UNIT_LABELS[code], text)
    return text


def errata_tables() -> dict:
    """Both errata tables as readers see them (:mod:`helpers.book.tables`)."""
    from helpers.book import sources, tables

    found = errata()
    led = found["ledger"].copy()
    led["source"] = [sources.label(s) for s in led["source"]]
    led["unit_words"] = [tables.unit_words(u) for u in led["unit"]]
    dat = found["data"].copy()
    dat["source"] = [sources.label(s) for s in dat["source"]]
    dat["published"] = [_unit_codes_to_words(str(p)) for p in dat["published"]]
    return {
        "ledger": tables.table(
            led,
            {
                "chapter": "chapter",
                "source": "source",
                "table": "table",
                "cell": "cell",
                "published": tables.Column("published", decimals=tables.AS_PRINTED),
                "recomputed": tables.Column("ours", decimals=4),
                "unit_words": "unit",
                "evidence": "evidence",
            },
            name="errata-ledger",
            long=len(led) + 1,
        ),
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
    from helpers.book import tables

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
