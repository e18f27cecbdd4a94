import pandas as pd
import pytest

from helpers.book import data, ledger  # noqa: F401
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


def test_ledger_matches_the_golden_snapshot():
    """Every change of a cell's value, interval, status, finding or note is reviewed in the git diff of
    tests/golden/ledger.csv: refresh it with `python -m helpers.book.ledger --update-golden`."""
    golden = pd.read_csv(data.PROJECT_ROOT / ledger.GOLDEN, keep_default_na=False)
    diff = ledger.golden_diff(golden, ledger.golden_frame())
    assert not diff, (
        "the ledger differs from tests/golden/ledger.csv (if intended, run "
        "`python -m helpers.book.ledger --update-golden` and review the diff):\n" + "\n".join(diff[:40])
    )


def test_golden_diff_names_the_cell_and_the_column():
    golden = pd.DataFrame(
        {"id": ["a", "b"], "published": [1.0, 2.0], "status": ["match", "match"], "note": ["", "x"]}
    )
    now = golden.copy()
    assert ledger.golden_diff(golden, now) == []
    now.loc[1, "status"] = "source error"
    now.loc[0, "published"] = 1.0 + 1e-12  # float noise is not a change
    assert ledger.golden_diff(golden, now) == ["b: status 'match' -> 'source error'"]
    now = pd.concat(
        [now.iloc[:1], pd.DataFrame({"id": ["c"], "published": [3.0], "status": ["match"], "note": [""]})]
    )
    out = ledger.golden_diff(golden, now)
    assert "b: in the golden ledger, no longer in the ledger" in out
    assert any(line.startswith("c: new cell (match") for line in out)


def test_counts_per_chapter_follow_from_the_spec_files():
    table = ledger.collect()
    rows = ledger.spec()
    assert len(table) == len(rows)
    for chapter in ledger.CHAPTER_MODULES:
        assert (table["chapter"] == chapter).sum() == sum(r["chapter"] == chapter for r in rows) > 0
    # the golden file holds as many rows as the spec, ids unique
    golden = pd.read_csv(data.PROJECT_ROOT / ledger.GOLDEN, keep_default_na=False)
    assert golden["id"].is_unique and len(golden) == len(rows)


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
            for token in prose_lint.figures_in(f[column]):
                v = prose_lint.as_number(token)
                if values.get(round(v, 9)) or values.get(round(abs(v), 9)):
                    typed.append((fid, column, token))
    assert typed == []


# ------------------------------------------------------------------ the cell spec and its evaluator
HEADER = ",".join(ledger.CELL_FIELDS + ledger.CELL_EXTRA_FIELDS) + "\n"
GOOD = {
    "id": "x-1",
    "chapter": "housing",
    "source": "003_dc4f0dbeb2c2a3ea.txt",
    "where": "§一(二)",
    "row": "r",
    "column": "c",
    "relation": "sum",
    "unit": "CNY_trn",
    "decimals": "2",
    "finding": "",
    "whatif": "",
    "note": "from {low:.4f} to {high:.4f} in 图表7, 2024Q1",
    "published": "housing_sales[indicator=sales_value,scope=total,measure=level]",
    "inputs": "housing_sales[indicator=sales_value,scope=presale,measure=level]~2 | "
    "housing_sales[indicator=sales_value,scope=completed,measure=level]~0",
    "args": "",
}


def write_cells(tmp_path, *rows):
    import csv

    path = tmp_path / "cells.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, ledger.CELL_FIELDS + ledger.CELL_EXTRA_FIELDS)
        w.writeheader()
        for r in rows:
            w.writerow(dict(GOOD, **r))
    return path


@pytest.mark.parametrize(
    "change, column, message",
    [
        ({"relation": "mean"}, "relation", "unknown relation 'mean'"),
        ({"relation": "fn:no_such_function"}, "relation", "unknown function 'no_such_function'"),
        ({"unit": "percent"}, "unit", "unknown unit 'percent'"),
        ({"decimals": "1.5"}, "decimals", "not a whole number"),
        ({"finding": "no-such-finding"}, "finding", "unknown finding id"),
        ({"note": "rounded to 0.01万亿"}, "note", "digit typed at character"),
        ({"note": "{x1} and 1 亿"}, "note", "digit typed at character"),
        ({"chapter": "misc"}, "chapter", "not one of"),
        ({"whatif": "yes"}, "whatif", "write 1"),
        ({"inputs": "housing_sales(indicator=x)"}, "inputs", "is not a reference"),
        ({"published": ""}, "published", "needs references"),
    ],
)
def test_bad_cells_are_named_by_file_line_and_column(tmp_path, change, column, message):
    path = write_cells(tmp_path, {}, {"id": "x-2", **change})
    with pytest.raises(ledger.SpecError, match=rf"cells.csv, line 3, column '{column}': .*{message}"):
        ledger.read_cells(path)


def test_duplicate_ids_and_missing_columns_are_rejected(tmp_path):
    with pytest.raises(ledger.SpecError, match=r"line 3, column 'id': duplicate id 'x-1'"):
        ledger.read_cells(write_cells(tmp_path, {}, {}))
    path = tmp_path / "short.csv"
    path.write_text("id,chapter\nx,housing\n")
    with pytest.raises(ledger.SpecError, match=r"short.csv, line 1: missing column"):
        ledger.read_cells(path)


def test_a_what_if_row_cannot_be_a_finding(tmp_path):
    fid = next(iter(ledger.findings()))
    with pytest.raises(ledger.SpecError, match="what-if row cannot be a finding"):
        ledger.read_cells(write_cells(tmp_path, {"whatif": "1", "finding": fid}))


def test_note_lint_allows_source_labels_and_dates_only():
    assert (
        ledger.note_problems("图表7 and 图表26, §二(一), §三.1(1), 2024Q1, 1H25, 26E, 2023-12, {x:.1f}") == []
    )
    assert ledger.note_problems("the 2021 cohort in 2027") == []
    assert ledger.note_problems("rounded to 0.01") != []
    assert ledger.note_problems("3,384亿") != []
    assert ledger.note_problems("100 - LTV") != []


def test_generic_sum_carries_each_inputs_printed_rounding(tmp_path):
    # 2024Q1 sales: 1.43 万亿 (2 dp) + 4251 亿 (0 dp) = 1.8551, the parts allow 1.85005 .. 1.86015
    row = ledger.read_cells(write_cells(tmp_path, {}))[0]
    c = ledger.evaluate(row)
    assert c.recomputed == pytest.approx(1.8551)
    assert (c.low, c.high) == (pytest.approx(1.85005), pytest.approx(1.86015))
    assert c.status == "within rounding"
    assert c.note == "from 1.8500 to 1.8601 in 图表7, 2024Q1"
    # the same cell with exact inputs is a point, and outside the published rounding
    exact = dict(row, inputs=row["inputs"].replace("~2", "").replace("~0", ""))
    assert ledger.evaluate(exact).status == "unexplained"


def test_generic_relations_by_hand():
    def run(relation, inputs, unit="pct", published="policy_indicators[indicator=hh_mlt_loans_yoy]"):
        spec = dict(GOOD, relation=relation, inputs=inputs, unit=unit, published=published)
        return ledger.evaluate_generic(spec)

    pi = "policy_indicators[indicator={}]".format
    # growth 3147 -> 3250 with both to the unit: 3.2415 .. 3.3047 %
    g = run(
        "growth", f"{pi('hh_mlt_loans_monthly_avg_2023q1')}~0 | {pi('hh_mlt_loans_monthly_avg_2024q1')}~0"
    )
    assert g["recomputed"] == pytest.approx(100 * (3250 / 3147 - 1))
    assert g["low"] == pytest.approx(100 * (3249.5 / 3147.5 - 1))
    assert g["high"] == pytest.approx(100 * (3250.5 / 3146.5 - 1))
    # a difference of two % rates in bp: 3.59 % - 3.95 % = -36 bp
    d = run("difference", f"{pi('mortgage_rate_first_avg')} | {pi('lpr_5y')}", unit="bp")
    assert d["recomputed"] == pytest.approx(-36) and d["low"] == d["high"] == pytest.approx(-36)
    # a share of two sums, numerator and denominator split by ' / '
    s = run(
        "share",
        f"{pi('hh_mlt_loans_monthly_avg_2023q1')} / {pi('hh_mlt_loans_monthly_avg_2023q1')} | "
        f"{pi('hh_mlt_loans_monthly_avg_2024q1')}",
    )
    assert s["recomputed"] == pytest.approx(100 * 3147 / (3147 + 3250))
    # a conversion, and a floor
    c = run("conversion", pi("mortgage_balance"), unit="CNY_100m", published=pi("mortgage_balance"))
    assert c["published"] == c["recomputed"] == pytest.approx(381900)
    f = run("at_least", pi("lpr_5y"), published=pi("second_home_floor"))  # 4.15 >= 3.95 holds
    assert f["low"] == pytest.approx(3.95) and f["high"] == pytest.approx(4.15)
    assert f["recomputed"] == pytest.approx(4.15)
    f = run("at_most", pi("lpr_5y"), published=pi("second_home_floor"))  # 4.15 <= 3.95 fails
    assert f["recomputed"] == pytest.approx(3.95) and f["high"] == pytest.approx(3.95)
    b = run(
        "between",
        f"{pi('mortgage_rate_first_min')} | {pi('lpr_5y')}",
        published=pi("mortgage_rate_first_avg"),
    )
    assert (b["low"], b["high"], b["recomputed"]) == (
        pytest.approx(3.35),
        pytest.approx(3.95),
        pytest.approx(3.59),
    )
    with pytest.raises(ValueError, match="takes 2 input"):
        run("difference", pi("lpr_5y"))


def test_every_named_function_is_used_and_documented():
    import importlib
    import inspect

    used = {(r["chapter"], r["relation"][3:]) for r in ledger.spec() if r["relation"].startswith("fn:")}
    for chapter, module_name in ledger.CHAPTER_MODULES.items():
        module = importlib.import_module(module_name)
        public = {
            name
            for name, f in inspect.getmembers(module, inspect.isfunction)
            if f.__module__ == module_name and not name.startswith("_") and name != "ledger_checks"
        }
        assert public == {name for ch, name in used if ch == chapter and not name.startswith("claims.")}
        assert all(getattr(module, name).__doc__ for name in public)


def test_a_named_functions_published_value_must_be_where_the_spec_says(tmp_path):
    row = {
        "relation": "fn:months_in_low_band",
        "unit": "months",
        "decimals": "0",
        "inputs": "",
        "note": "",
        "published": "housing_climate_index[item=months_in_low_band]",
    }
    cell = ledger.read_cells(write_cells(tmp_path, row))[0]
    assert ledger.evaluate(cell).status == "match"
    other = "housing_inventory[indicator=clearance_months,scope=14city,period=2024-03]"
    wrong = ledger.read_cells(write_cells(tmp_path, dict(row, published=other)))[0]
    with pytest.raises(ledger.SpecError, match=r"cells.csv, line 2 \(x-1\): .*column 'published' gives"):
        ledger.evaluate(wrong)


def test_every_cell_of_the_chapter_files_says_where_its_published_value_is():
    for name in ("disposals", "housing", "retail", "policy"):
        rows = ledger.read_cells(data.data_dir() / ledger.CELLS_DIR / f"{name}.csv")
        assert rows and all(r["published"] for r in rows), name
