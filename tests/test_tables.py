import re

import pandas as pd
import pytest

from helpers.book import tables, units
from helpers.book.tables import Column


def test_every_unit_has_reader_words_and_decimals():
    assert set(tables.UNIT_LABELS) == set(units.UNITS)
    assert set(tables.UNIT_DECIMALS) == set(units.UNITS)


@pytest.mark.parametrize(
    "value, decimals, text",
    [
        (21105.6, 1, "21,105.6"),
        (2.110560e01, 2, "21.11"),
        (1e12, 0, "1,000,000,000,000"),
        (0.00004, 2, "0.00"),
        (-0.00004, 2, "0.00"),
        (-5.642857, 2, "−5.64"),
        (float("nan"), 2, "–"),
        (None, 1, "–"),
    ],
)
def test_number_is_fixed_point_with_separators(value, decimals, text):
    assert tables.number(value, decimals) == text


def test_as_printed_keeps_the_figures_own_decimals():
    assert tables.as_printed(150.0) == "150"
    assert tables.as_printed(3.8) == "3.8"
    assert tables.as_printed(21105.6) == "21,105.6"
    assert tables.as_printed(21105.6, thousands=False) == "21105.6"
    assert tables.as_printed(-0.25) == "−0.25"


def test_signed_numbers_and_no_scientific_notation():
    assert tables.number(0.2, 2, signed=True) == "+0.20"
    for v in (1e-9, 3.2e15, 123456789.123):
        assert "e" not in tables.number(v, 3).lower()


def test_table_labels_units_codes_and_no_index():
    frame = pd.DataFrame(
        {
            "measure": ["npl_amount", "days_overdue"],
            "relation": ["eq", "nearly"],
            "value": [5.14, 1856.0],
            "unit": ["CNY_bn", "days"],
        },
        index=[7, 8],
    )
    t = tables.table(
        frame,
        {
            "measure": Column("figure", codes={"npl_amount": "bad loans offered", "days_overdue": "overdue"}),
            "relation": Column("stated as", codes={"eq": "as printed"}),
            "value": Column("value", unit_from="unit"),
            "unit": "unit",
        },
    )
    assert t.headers == ["figure", "stated as", "value", "unit"]
    assert t.rows == [
        ["bad loans offered", "as printed", "5.1", "billion yuan"],
        ["overdue", "nearly", "1,856", "days"],
    ]
    html = t._repr_html_()
    assert "<th" in html and ">7<" not in html and "dataframe" not in html
    assert 'class="num">1,856<' in html
    assert "1,856" in repr(t) and "\n" in repr(t)


def test_unit_in_header_and_fixed_decimals_per_unit():
    frame = pd.DataFrame({"x": [8.7654, 0.63], "n": [23.0, 4.0]})
    t = tables.table(frame, {"x": ("return", "pct"), "n": Column("banks", unit="count")})
    assert t.headers == ["return (%)", "banks"]
    assert t.rows == [["8.77", "23"], ["0.63", "4"]]


def test_as_printed_decimals():
    t = tables.table(pd.DataFrame({"v": [0.3, 1.52, 1856.0]}), {"v": Column("v", decimals=tables.AS_PRINTED)})
    assert [r[0] for r in t.rows] == ["0.3", "1.52", "1,856"]


def test_long_tables_collapse_with_a_csv_download():
    frame = pd.DataFrame({"a": range(30), "b": [x / 7 for x in range(30)]})
    t = tables.table(frame, {"a": "a", "b": Column("b", decimals=3)}, name="toy", long=20)
    html = t._repr_html_()
    assert html.startswith("<details") and "Show all 30 rows" in html
    assert 'download="toy.csv"' in html and "data:text/csv" in html
    csv = t.to_csv().splitlines()
    assert csv[0] == "a,b" and len(csv) == 31
    short = tables.table(frame.head(5), {"a": "a"})._repr_html_()
    assert "<details" not in short


def test_output_is_deterministic_and_escaped():
    frame = pd.DataFrame({"a": ["<b>x</b>"]})
    one = tables.table(frame, {"a": "a"})._repr_html_()
    two = tables.table(frame, {"a": "a"})._repr_html_()
    assert one == two and "&lt;b&gt;" in one and "<style" not in one


def test_missing_column_and_unknown_unit_are_named():
    with pytest.raises(KeyError, match="nope"):
        tables.table(pd.DataFrame({"a": [1]}), {"nope": "x"})
    with pytest.raises(KeyError, match="furlong"):
        tables.table(pd.DataFrame({"v": [1.0]}), {"v": Column("v", unit="furlong")})


def test_code_columns_are_marked_as_code():
    t = tables.table(pd.DataFrame({"c": ["CNY_bn"]}), {"c": Column("code", code=True)})
    assert "<code>CNY_<wbr>bn</code>" in t._repr_html_()  # a name breaks after its underscore only


def test_ledger_table_keeps_published_decimals():
    frame = pd.DataFrame(
        {
            "chapter": ["disposals"],
            "table": ["para 11"],
            "row": ["Guangzhou"],
            "column": ["discount"],
            "published": [70.0],
            "recomputed": [64.357143],
            "unit": ["pct"],
            "decimals": [0],
            "difference": [-5.642857],
            "status": ["mismatch"],
            "note": ["over 70 % printed"],
        }
    )
    t = tables.ledger_table(frame)
    assert t.headers == [
        "table",
        "row",
        "column",
        "published",
        "ours",
        "difference",
        "unit",
        "status",
        "note",
    ]
    assert t.rows[0][3:7] == ["70", "64.36", "−5.64", "%"]
    assert not any(re.search(r"\de[+-]?\d", cell) for cell in t.rows[0])


@pytest.mark.parametrize(
    "code, words",
    [
        ("business_npl_increase_1h25", "business NPL increase 1H25"),
        ("high_ltv", "high LTV"),
        ("pp", "percentage points"),
        ("图表26", "图表26"),
        ("tier 1", "tier 1"),
    ],
)
def test_code_words(code, words):
    assert tables.code_words(code) == words


def test_ledger_table_download_keeps_its_name():
    frame = pd.DataFrame(
        {
            "table": ["t"] * 25,
            "row": ["r"] * 25,
            "column": ["c"] * 25,
            "published": [1.0] * 25,
            "recomputed": [1.0] * 25,
            "unit": ["pct"] * 25,
            "status": ["match"] * 25,
            "note": [""] * 25,
        }
    )
    assert 'download="ledger-x.csv"' in tables.ledger_table(frame, name="ledger-x")._repr_html_()


def test_negative_decimals_round_to_tens():
    assert tables.number(64.2, -1) == "60"
    assert tables.number(1234.0, -2) == "1,200"


def test_wide_tables_with_prose_are_records_and_mark_their_prose_columns():
    """A table of 8 columns or more with a text cell of 100 characters or more is shown as records
    on a desktop (book.css): the table is marked ``records`` and its prose columns ``prose``."""
    note = "recomputed from the printed parts " * 4
    columns = {f"c{i}": f"c{i}" for i in range(7)} | {"note": "note"}
    frame = pd.DataFrame([{**{f"c{i}": f"v{i}" for i in range(7)}, "note": note}])
    html_text = tables.table(frame, columns)._repr_html_()
    assert re.search(r'<table class="[^"]*\brecords\b', html_text)
    assert '<th scope="col" class="prose">note</th>' in html_text
    assert f'<td data-label="note" class="prose">{note}</td>' in html_text
    assert html_text.count('class="prose"') == 2
    narrow = tables.table(frame.drop(columns="c6"), {k: v for k, v in columns.items() if k != "c6"})
    short = tables.table(frame.assign(note="short"), columns)
    for other in (narrow, short):  # 7 columns, or no long text: a table as before
        assert "records" not in other._repr_html_() and "prose" not in other._repr_html_()


def test_data_names_in_cells_break_after_underscores_only():
    frame = pd.DataFrame({"name": ["housing_rent_capitalisation", "a _b_"]})
    html_text = tables.table(frame, {"name": Column("name", code=True)})._repr_html_()
    assert "<code>housing_<wbr>rent_<wbr>capitalisation</code>" in html_text
    assert "<code>a _b_</code>" in html_text  # no break offered at a word's edge


def test_the_site_and_the_pdf_edition_call_the_same_tables_wide():
    """``tables`` marks a wide table with prose columns for the site's records layout and
    ``helpers.build.pdf`` recomputes the same rule on the printed HTML (Markdown tables too):
    their thresholds must be the same numbers, or a table is laid out one way and printed another."""
    from helpers.build import pdf

    assert (tables.RECORD_COLUMNS, tables.PROSE_CHARS) == (pdf.WIDE_TABLE_COLUMNS, pdf.PROSE_CHARS)
