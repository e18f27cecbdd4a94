import pandas as pd
import pytest

from helpers.book import ledger
from helpers.book.intervals import Interval, growth, total


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
    assert make(1.52, 1.5251).status == "unexplained"
    assert make(3.8, 3.84, decimals=1).status == "match"
    assert make(3.8, 3.86, decimals=1).status == "unexplained"
    assert make(70000, 70400, decimals=0).status == "unexplained"
    # a range printed in tenths (三至六成): decimals -1 on a per-cent value
    assert make(60, 64, decimals=-1).status == "match"


def test_within_rounding_when_the_inputs_interval_reaches_the_published_one():
    # 2024Q1 sales: 1.43 万亿 (2 dp) + 4251 亿 (0.4251 万亿) = 1.8551, printed 1.85
    parts = total(Interval.printed(1.43, 2), Interval.printed(0.4251, 4))
    c = make(1.85, 1.8551, low=parts.low, high=parts.high, unit="CNY_trn")
    assert c.status == "within rounding"
    # the same gap with exact inputs is not consistent
    assert make(1.85, 1.8551, unit="CNY_trn").status == "unexplained"
    # a growth rate: 3147 -> 3250 gives 3.27 %, printed 3.26 (inputs to 1 亿)
    g = growth(Interval.printed(3147, 0), Interval.printed(3250, 0))
    assert make(3.26, 100 * (3250 / 3147 - 1), low=g.low, high=g.high).status == "within rounding"


def test_status_from_the_finding_and_what_if():
    found = ledger.findings()
    fid, row = next(iter(found.items()))
    c = make(1.0, 2.0, finding=fid)
    assert c.status == row["status"] and c.as_row()["finding"] == fid
    # a finding id on a cell that is within rounding is not reported
    assert make(1.0, 1.001, finding=fid).as_row()["finding"] == ""
    assert make(1.0, 2.0, whatif=True).status == "what-if"
    assert make(1.0, 1.0, whatif=True).status == "what-if"
    with pytest.raises(ValueError, match="not in"):
        _ = make(1.0, 2.0, finding="no-such-finding").status
    with pytest.raises(ValueError, match="what-if"):
        make(1.0, 2.0, finding=fid, whatif=True)


def test_every_status_is_defined_once():
    assert set(ledger.FINDING_STATUSES) < set(ledger.STATUSES)
    assert {"match", "within rounding", "what-if"} < set(ledger.STATUSES)
    assert all(len(text) > 40 for text in ledger.STATUSES.values())


def test_interval_defaults_to_the_point_and_always_contains_it():
    c = make(1.0, 1.2)
    assert (c.low, c.high) == (1.2, 1.2)
    c = make(1.0, 1.2, low=1.3, high=1.4)
    assert (c.low, c.high) == (1.2, 1.4)


def test_bad_checks_are_rejected():
    with pytest.raises(Exception, match="unknown unit"):
        make(1, 1, unit="percent")
    with pytest.raises(ValueError, match="chapter"):
        make(1, 1, chapter="misc")
    with pytest.raises(ValueError, match="decimals"):
        make(1, 1, decimals=1.5)
    with pytest.raises(ValueError, match="recomputed is missing"):
        make(1, float("nan"))


def test_findings_table_rejects_bad_rows(tmp_path, monkeypatch):
    (tmp_path / "ledger").mkdir()
    f = tmp_path / "ledger" / "findings.csv"
    header = ",".join(ledger.FINDING_FIELDS) + "\n"
    f.write_text(header + "x,typo,s,l,t,e,\n")
    monkeypatch.setenv("BOOK_DATA_DIR", str(tmp_path))
    with pytest.raises(ValueError, match=r"line 2, column 'status'"):
        ledger.findings()
    f.write_text(header + "x,source error,s,l,t,e,about 3.5\n")
    with pytest.raises(ValueError, match=r"line 2, column 'likely_correct'"):
        ledger.findings()
    f.write_text(header + "x,source error,s,l,t,e,\nx,unexplained,s,l,t,e,\n")
    with pytest.raises(ValueError, match=r"line 3, column 'id': duplicate"):
        ledger.findings()


def test_frame_summary_and_counts():
    fid = next(iter(ledger.findings()))
    table = ledger.frame(
        [
            make(1.0, 1.0),
            make(1.0, 2.0, finding=fid),
            make(1.0, 3.0, finding=fid),
            make(1.0, 1.2, whatif=True),
        ]
    )
    assert list(table.columns) == ledger.COLUMNS
    s = ledger.summary(table)
    assert s.loc[0, "match"] == 1 and s.loc[0, "what-if"] == 1 and s.loc[0, "total"] == 4
    n = ledger.counts(table)
    assert n["checks"] == 4 and n["finding cells"] == 2 and n["findings"] == 1


def test_collect_gathers_every_chapter_module():
    table = ledger.collect()
    assert isinstance(table, pd.DataFrame)
    assert set(table["chapter"]) <= set(ledger.CHAPTER_MODULES)
    assert table["status"].isin(list(ledger.STATUSES)).all()
    # a finding must say why, and be filed under a finding of the findings table
    fnd = table[ledger.is_finding(table)]
    assert (fnd["note"].str.len() > 0).all(), fnd[["chapter", "table", "row", "column"]]
    assert (fnd["finding"].str.len() > 0).all(), fnd[fnd["finding"] == ""][
        ["chapter", "table", "row", "column"]
    ]
    # every finding in the table covers at least one cell (no stale finding)
    assert set(fnd["finding"]) == set(ledger.findings())
    # a finding's cells all carry its status
    for fid, rows in fnd.groupby("finding"):
        assert set(rows["status"]) == {ledger.findings()[fid]["status"]}


def test_the_false_positives_of_issue_11_are_cleared():
    table = ledger.collect()

    def status(table_name, row_part, column):
        rows = table[(table["table"] == table_name) & table["row"].str.contains(row_part, regex=False)]
        rows = rows[rows["column"] == column]
        assert len(rows) == 1, (table_name, row_part, column)
        return rows["status"].iloc[0]

    assert status("§一(二) new-home sales", "sales value", "2024Q1 level") == "within rounding"
    what_if = table[table["column"].str.contains("balance held at 1H25", regex=False)]
    assert (what_if["status"] == "what-if").all() and len(what_if) >= 7
    fig22 = table[(table["table"] == "图表22") & ledger.is_finding(table)]
    assert fig22["finding"].nunique() == 1


def test_ledger_is_deterministic():
    a = ledger.collect()
    b = ledger.collect()
    pd.testing.assert_frame_equal(a, b)


def test_largest_mismatches_picks_the_furthest_finding_per_chapter():
    fid = next(iter(ledger.findings()))
    table = ledger.frame(
        [
            make(10.0, 10.0),
            make(10.0, 11.0, note="10 % off", finding=fid),
            make(1.0, 2.0, note="100 % off", finding=fid),
            make(5.0, 6.0, chapter="policy", note="20 % off", finding=fid),
            make(1.0, 9.0, note="what-if", whatif=True),
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
    assert c.status == "unexplained"
    c = check("t", "r", "c", 1.5, 1.6, "pct", 1, interval=Interval(1.5, 1.7))
    assert (c.low, c.high, c.status) == (1.5, 1.7, "within rounding")
    assert check("t", "r", "c", 1, 1, "pct", 0, source="000_53446e2d23b336c6.txt").source.startswith("000_")
    with pytest.raises(ValueError, match="not one of"):
        ledger.checker("nowhere", "x")("t", "r", "c", 1, 1, "pct", 0)


def test_findings_type_no_source_figure():
    from helpers.build import prose_lint

    values = prose_lint.data_values()
    typed = []
    for fid, f in ledger.findings().items():
        for column in ("title", "evidence", "likely_correct"):
            for token in prose_lint.numbers_in(f[column]):
                v = prose_lint.as_number(token)
                if (v.is_integer() and abs(v) <= prose_lint.SMALL) or abs(v) in prose_lint.CONSTANTS:
                    continue
                if values.get(round(v, 9)) or values.get(round(abs(v), 9)):
                    typed.append((fid, column, token))
    assert typed == []
