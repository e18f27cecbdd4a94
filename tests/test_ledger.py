import pandas as pd
import pytest

from helpers.book import ledger


def make(published, recomputed, decimals=2, **kw):
    base = dict(
        chapter="retail",
        source="002_618ba3871ebc0b54.txt",
        table="图表7",
        row="r",
        column="c",
        published=published,
        recomputed=recomputed,
        unit="pct",
        decimals=decimals,
    )
    base.update(kw)
    return ledger.Check(**base)


def test_match_within_published_rounding():
    assert make(1.52, 1.5249).status == "match"
    assert make(1.52, 1.515).status == "match"
    assert make(1.52, 1.5251).status == "mismatch"
    assert make(3.8, 3.84, decimals=1).status == "match"
    assert make(3.8, 3.86, decimals=1).status == "mismatch"
    assert make(70000, 70400, decimals=0).status == "mismatch"


def test_difference_sign_and_tolerance():
    c = make(2.0, 2.5, decimals=0)
    assert c.difference == pytest.approx(0.5)
    assert c.tolerance == pytest.approx(0.5)
    assert c.status == "match"


def test_bad_checks_are_rejected():
    with pytest.raises(Exception, match="unknown unit"):
        make(1, 1, unit="percent")
    with pytest.raises(ValueError, match="chapter"):
        make(1, 1, chapter="misc")
    with pytest.raises(ValueError, match="decimals"):
        make(1, 1, decimals=-1)
    with pytest.raises(ValueError, match="recomputed is missing"):
        make(1, float("nan"))


def test_frame_and_summary():
    table = ledger.frame([make(1.0, 1.0), make(1.0, 2.0, note="typo in source")])
    assert list(table.columns) == ledger.COLUMNS
    assert table["status"].tolist() == ["match", "mismatch"]
    s = ledger.summary(table)
    assert s.loc[0, ["match", "mismatch", "total"]].tolist() == [1, 1, 2]


def test_collect_gathers_every_chapter_module():
    table = ledger.collect()
    assert isinstance(table, pd.DataFrame)
    assert set(table["chapter"]) <= set(ledger.CHAPTER_MODULES)
    assert table["status"].isin(["match", "mismatch"]).all()
    # a mismatch is a finding and must say why
    mism = table[table["status"] == "mismatch"]
    assert (mism["note"].str.len() > 0).all(), mism[["chapter", "table", "row", "column"]]


def test_ledger_is_deterministic():
    a = ledger.collect()
    b = ledger.collect()
    pd.testing.assert_frame_equal(a, b)


def test_largest_mismatches_picks_the_furthest_per_chapter():
    table = ledger.frame(
        [
            make(10.0, 10.0),
            make(10.0, 11.0, note="10 % off"),
            make(1.0, 2.0, note="100 % off"),
            make(5.0, 6.0, chapter="policy", note="20 % off"),
        ]
    )
    top = ledger.largest_mismatches(table)
    assert top["note"].tolist() == ["20 % off", "100 % off"]
    assert top["relative_difference"].tolist() == pytest.approx([0.2, 1.0])
    assert len(ledger.largest_mismatches(table, per_chapter=2)) == 3


def test_checker_fills_chapter_and_source_and_converts_to_float():
    check = ledger.checker("housing", "003_dc4f0dbeb2c2a3ea.txt")
    c = check("t", "r", "c", "1.5", 3, "pct", 1, note="n")
    assert (c.chapter, c.source, c.published, c.recomputed, c.note) == (
        "housing",
        "003_dc4f0dbeb2c2a3ea.txt",
        1.5,
        3.0,
        "n",
    )
    assert c.status == "mismatch"
    assert check("t", "r", "c", 1, 1, "pct", 0, source="000_53446e2d23b336c6.txt").source.startswith("000_")
    with pytest.raises(ValueError, match="not one of"):
        ledger.checker("nowhere", "x")("t", "r", "c", 1, 1, "pct", 0)
