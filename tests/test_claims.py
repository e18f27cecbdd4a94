"""The reread's ledger cells (``data/ledger/cells/claims.csv``) and their functions.

Every row names an existing function (``fn:claims.<name>`` in the chapter's
``helpers.chapters.<page>.claims``), a known unit, whole printed decimals, a finding id that
exists (or none), and a note template with no typed digits whose placeholders the function's
values fill. Each function returns the ledger-spec dict, and the status the ledger rule gives
it (match / within rounding / finding) is the one the row declares: a row without a finding
must hold. The functions' own arithmetic is tested on hand-worked cases below.
"""

from __future__ import annotations

import csv
import importlib
import math
import re
import string
from pathlib import Path

import pytest

from helpers.book import ledger, units

ROOT = Path(__file__).resolve().parents[1]
CELLS = ROOT / "data" / "ledger" / "cells" / "claims.csv"
FINDINGS = ROOT / "data" / "ledger" / "findings.csv"
SPEC_COLUMNS = ledger.CELL_FIELDS  # the columns the ledger reads, in its order
PAGES = {
    "disposals": "npl_disposals",
    "housing": "housing_market",
    "retail": "retail_risk",
    "policy": "housing_policy",
}
FIELD = string.Formatter()


def _rows() -> list[dict]:
    with open(CELLS, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


ROWS = _rows()


def _function(row: dict):
    relation = row["relation"]
    assert relation.startswith("fn:claims."), f"{row['id']}: relation {relation!r} is not fn:claims.<name>"
    module = importlib.import_module(f"helpers.chapters.{PAGES[row['chapter']]}.claims")
    name = relation.removeprefix("fn:claims.")
    assert hasattr(module, name), f"{row['id']}: {module.__name__} has no function {name!r}"
    return getattr(module, name)


def _status(published: float, recomputed: float, low, high, decimals: int) -> str:
    """The ledger's rule: match within half a printed unit; within rounding when the published
    value's interval meets [low, high] (an open end is None); otherwise a finding."""
    half = 0.5 * 10.0 ** (-decimals)
    if abs(published - recomputed) <= half + 1e-9:
        return "match"
    lo = -math.inf if low is None else low
    hi = math.inf if high is None else high
    if published + half >= lo - 1e-9 and published - half <= hi + 1e-9:
        return "within rounding"
    return "finding"


def test_columns_are_the_spec_columns():
    with open(CELLS, newline="", encoding="utf-8") as fh:
        header = next(csv.reader(fh))
    assert header[: len(SPEC_COLUMNS)] == SPEC_COLUMNS


def test_ids_unique_and_rows_well_formed():
    seeds = {p.name for p in (ROOT / "seeds").glob("*.txt")}
    with open(FINDINGS, newline="", encoding="utf-8") as fh:
        findings = {r["id"] for r in csv.DictReader(fh)}
    ids = [r["id"] for r in ROWS]
    assert len(ids) == len(set(ids)), "duplicate ids in claims.csv"
    for line, row in enumerate(ROWS, start=2):
        where = f"claims.csv line {line} ({row['id']})"
        assert re.fullmatch(r"[a-z0-9-]+", row["id"]), where
        assert row["chapter"] in PAGES, where
        assert row["source"] in seeds, where
        assert row["unit"] in units.UNITS, f"{where}: unknown unit {row['unit']!r}"
        assert re.fullmatch(r"-?\d+", row["decimals"]), f"{where}: decimals must be a whole number"
        assert row["finding"] == "" or row["finding"] in findings, f"{where}: no finding {row['finding']!r}"
        assert row["whatif"] in ("", "1"), where
        assert row["where"] and row["row"] and row["column"], where


def test_notes_type_no_digits_outside_their_fields():
    for row in ROWS:
        literal = "".join(text for text, *_ in FIELD.parse(row["note"]))
        assert not re.search(r"\d", literal), f"{row['id']}: digits typed in the note {row['note']!r}"


@pytest.mark.parametrize("row", ROWS, ids=[r["id"] for r in ROWS])
def test_cell_evaluates_and_holds_as_declared(row):
    result = _function(row)(row)
    assert set(result) == {"published", "recomputed", "low", "high", "values"}
    for key in ("published", "recomputed"):
        assert isinstance(result[key], float) and math.isfinite(result[key]), (row["id"], key)
    for key in ("low", "high"):
        assert result[key] is None or isinstance(result[key], float), (row["id"], key)
    if result["low"] is not None and result["high"] is not None:
        assert result["low"] <= result["high"] + 1e-12, row["id"]
    note = row["note"].format(**result["values"])  # every placeholder is filled
    assert note
    status = _status(
        result["published"], result["recomputed"], result["low"], result["high"], int(row["decimals"])
    )
    if row["finding"]:
        assert status == "finding", f"{row['id']} is filed under {row['finding']} but evaluates as {status}"
    else:
        assert status in ("match", "within rounding"), f"{row['id']}: {status} without a finding ({result})"


# ----------------------------------------------------------------------------- hand-worked cases


def test_status_rule_hand_cases():
    assert _status(0.94, 0.9466, 0.9432, None, 2) == "within rounding"  # met only inside rounding
    assert _status(0.93, 0.9466, 0.9432, None, 2) == "finding"
    assert _status(-50, -46.98, -46.99, -46.97, -1) == "match"  # "近50%" read in tens
    assert _status(40, 41.0, 40, 50, 0) == "within rounding"


def test_comparison_encoding_clips_to_the_bound():
    from helpers.book.intervals import Interval
    from helpers.chapters.retail_risk import claims

    holds = claims._at_least(7.0, Interval.printed(5.9, 1))
    assert holds["recomputed"] == 7.0 and holds["low"] == pytest.approx(5.85) and holds["high"] is None
    fails = claims._at_least(5.0, Interval.printed(5.9, 1))
    assert fails["recomputed"] == pytest.approx(5.9)
    assert _status(fails["published"], fails["recomputed"], fails["low"], fails["high"], 1) == "finding"
    edge = claims._at_most(1.27, Interval.printed(1.265, 3))  # above the bound's mid, inside its rounding
    assert edge["recomputed"] == pytest.approx(1.265) and edge["high"] == pytest.approx(1.2655)


def test_card_increase_fall_is_recomputed_from_the_table():
    from helpers.chapters.retail_risk import claims

    r = claims.card_increase_fall_yoy()
    # 图表5: 3,934 in 1H25 against 7,420 in 1H24 (百万): 3934 / 7420 - 1 = -46.98 %
    assert r["recomputed"] == pytest.approx(100 * (3934 / 7420 - 1))
    assert r["low"] < r["recomputed"] < r["high"]


def test_profit_bases_floor_is_hand_worked():
    from helpers.chapters.retail_risk import claims

    r = claims.profit_bases()
    # 图表7 business 26E − 25E = 369,678 − 286,682 = 82,996 百万 = 829.96 亿;
    # floor = 241 × 3.26 % / 829.96 = 0.9466 %; lowest at the inputs' rounding 240.5 × 3.255 / 829.965
    assert r["values"]["delta_business"] == pytest.approx(829.96)
    assert r["recomputed"] == pytest.approx(241 * 3.26 / 829.96)
    assert r["low"] == pytest.approx(240.5 * 3.255 / 829.965, rel=1e-4)


def test_negative_equity_crossing_interpolates():
    from helpers.chapters.retail_risk import claims

    r = claims.negative_equity_threshold()
    # 图表19, zero prepayment: 98 % at a 40 % fall, 118 % at 50 %: 100 is crossed at 41 %
    assert r["recomputed"] == pytest.approx(41.0)
    assert (r["low"], r["high"]) == (40.0, 50.0)


def test_whole_count_growth():
    from helpers.chapters.housing_policy import claims

    assert claims._whole_count_growth(24, -51.0) == (49, pytest.approx(100 * (24 / 49 - 1)))
    assert claims._whole_count_growth(10, 400.0) == (2, pytest.approx(400.0))


def test_land_price_rise_hand_worked():
    from helpers.chapters.housing_market import claims

    r = claims.land_average_price_rose()
    # value +1.1 %, area −13.7 %: 1.011 / 0.863 − 1 = +17.1 %
    assert r["values"]["implied_price_rise"] == pytest.approx(100 * (1.011 / 0.863 - 1))
    assert r["recomputed"] == r["published"]


def test_named_sellers_sum():
    from helpers.chapters.npl_disposals import claims

    r = claims.named_sellers_within_total()
    assert r["values"]["named_sum"] == pytest.approx(25000 + 2000 + 1750)
