"""The generated appendices: errata from tagged notes and ledger mismatches, catalogue, ledger table."""

from __future__ import annotations

import copy
import re

import pandas as pd
import pytest
from conftest import GOOD_RESOURCE

from helpers.book import data, ledger
from helpers.chapters import appendices as backmatter


def test_erratum_kind_reads_the_tag_and_rejects_unknown_ones():
    assert backmatter.erratum_kind("[typo] 28%-24% should read 18%-24%") == "typo"
    assert backmatter.erratum_kind("  [garbled]\nname restored") == "garbled"
    assert backmatter.erratum_kind("no tag here") is None
    assert backmatter.erratum_kind("see [typo] later") is None
    assert backmatter.erratum_kind(None) is None
    assert backmatter.erratum_kind(float("nan")) is None
    with pytest.raises(ValueError, match=r"unknown erratum tag \[misprint\]"):
        backmatter.erratum_kind("[misprint] x")


def test_data_errata_point_at_the_csv_line_that_carries_the_note(toy_package):
    resource = copy.deepcopy(GOOD_RESOURCE)
    resource["schema"]["fields"].append({"name": "note", "type": "string"})
    toy_package(
        "year,value,unit,source,locator,quote,note\n"
        "2023,2.9,CNY_trn,000_53446e2d23b336c6.txt,para 2,,plain remark\n"
        "2024,3.8,CNY_trn,000_53446e2d23b336c6.txt,para 2,3.8万亿元,[inconsistent] parts sum to 3.7\n",
        resource,
    )
    errata = backmatter.data_errata()
    assert len(errata) == 1
    row = errata.iloc[0]
    assert (row["kind"], row["table"], row["line"]) == ("inconsistent", "toy_disposals", 3)
    assert row["published"] == "3.8 CNY_trn"
    assert row["evidence"] == "parts sum to 3.7"
    assert row["what"].startswith("2024")


def test_every_tagged_note_in_the_book_data_is_on_the_line_the_errata_name():
    errata = backmatter.data_errata()
    assert len(errata) > 0
    for _, row in errata.iterrows():
        path = data.data_dir() / data.resource(row["table"])["path"]
        line = path.read_text(encoding="utf-8").splitlines()[row["line"] - 1]
        assert f"[{row['kind']}]" in line, (row["table"], row["line"])


def test_ledger_errata_are_one_row_per_finding_with_its_cells():
    fid = next(iter(ledger.findings()))
    table = pd.DataFrame(
        {
            "chapter": ["retail", "retail", "housing", "retail"],
            "source": ["s"] * 4,
            "table": ["图表7", "图表7", "§一", "图表7"],
            "row": ["mortgage", "card", "sales", "what-if"],
            "column": ["26E", "26E", "area", "26E"],
            "published": [0.83, 1.5, 1.0, 2.0],
            "recomputed": [0.861234567, 1.7, 1.0, 3.0],
            "low": [0.861234567, 1.6, 1.0, 3.0],
            "high": [0.861234567, 1.8, 1.0, 3.0],
            "unit": ["pct"] * 4,
            "decimals": [2, 1, 1, 1],
            "status": [ledger.findings()[fid]["status"]] * 2 + ["match", "what-if"],
            "finding": [fid, fid, "", ""],
            "note": ["half a year missing", "x", "", "ours"],
        }
    )
    out = backmatter.ledger_errata(table)
    assert len(out) == 1 and out.loc[0, "finding"] == fid
    assert out.loc[0, "cells"].startswith("2: ")
    assert "0.83 %" in out.loc[0, "published"] and "1.5 %" in out.loc[0, "published"]
    assert "0.8612" in out.loc[0, "the source's own numbers give"]
    assert "1.600 to 1.800" in out.loc[0, "the source's own numbers give"]
    csv_text = backmatter.errata_csv(table).decode()
    assert csv_text.splitlines()[0].startswith("finding,status,source")


def test_the_book_errata_cover_every_finding_in_full():
    out = backmatter.ledger_errata()
    assert set(out["finding"]) == set(ledger.findings())
    page = backmatter.table_html(out)
    assert page.count("<tr>") == len(out) + 1 and "..." not in page


def test_table_html_escapes_and_keeps_every_row():
    frame = pd.DataFrame({"a": [f"<b>{i}</b>" for i in range(200)], "b": ["x & y"] * 200})
    text = backmatter.table_html(frame)
    assert text.count("<tr>") == 201
    assert "<b>" not in text and "&lt;b&gt;199&lt;/b&gt;" in text and "x &amp; y" in text


def test_statuses_and_counts_sentence():
    text = backmatter.statuses_html()
    for status in ledger.STATUSES:
        assert f"<td>{status}</td>" in text
    sentence = backmatter.counts_sentence()
    assert sentence.startswith(f"{len(ledger.collect())} checks")


def test_catalogue_lists_every_table_with_its_download():
    text = backmatter.catalogue_markdown()
    names = data.resource_names()
    assert text.count("\n### ") + text.startswith("### ") == len(names)
    for name in names:
        assert f"`{name}`" in text
        assert f"<../data/{data.resource(name)['path']}>" in text


def test_ledger_html_filters_name_the_right_columns_and_escape_text():
    table = pd.DataFrame(
        {
            "chapter": ["retail"],
            "table": ["图表7"],
            "row": ["r"],
            "column": ["c"],
            "published": [1.0],
            "recomputed": [1.2],
            "difference": [0.2],
            "unit": ["pct"],
            "status": ["source error"],
            "note": ["<script>alert(1)</script>"],
        }
    )
    html_text = backmatter.ledger_html(table)
    headers = re.findall(r"<th[^>]*>([^<]*)</th>", html_text)
    for column in ("chapter", "status"):
        index = int(re.search(rf"{column.title()} <select data-filter-column=\"(\d+)\"", html_text).group(1))
        assert headers[index] == column
    assert "<script>alert" not in html_text and "&lt;script&gt;" in html_text


def test_catalogue_text_is_escaped_markdown(monkeypatch):
    """Titles and descriptions from datapackage.json are text: no HTML, no roles, no table breaks."""
    pkg = data.package_descriptor()
    hostile = "<script>alert(1)</script> {ref}`x` *y* | z"
    res = dict(pkg["resources"][0], title=hostile, description=hostile)
    monkeypatch.setattr(data, "package_descriptor", lambda *a, **k: dict(pkg, resources=[res]))
    text = backmatter.catalogue_markdown()
    assert "<script>" not in text and "{ref}`" not in text and " | z" not in text
    assert "\\<script\\>alert\\(1\\)\\<\\/script\\>" in text


def test_catalogue_names_break_only_after_underscores_and_slashes():
    """A data name in a catalogue table may break its line after an underscore or a slash only
    (<wbr>), so a phone's narrow column never splits it inside a word; it is escaped."""
    assert backmatter._code_breakable("bank_share_of_x") == (
        '<code class="docutils literal notranslate">bank_<wbr>share_<wbr>of_<wbr>x</code>'
    )
    assert (
        backmatter._code_breakable("<b>_") == '<code class="docutils literal notranslate">&lt;b&gt;_</code>'
    )
    text = backmatter.catalogue_markdown()
    assert "| <code" in text and "_<wbr>" in text
