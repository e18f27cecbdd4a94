import pytest

from helpers.book import lookup
from helpers.chapters import overview


def test_headline_figures_are_loaded_with_citations():
    table = overview.headline_figures()
    rows = overview.headline_rows()
    # one row per headline figure picked from data/, each once, with that row's value
    assert len(table) == len(rows) and table["figure"].is_unique
    assert sorted(table["value"].astype(float)) == sorted(float(r["value"]) for r in rows.values())
    assert table["source"].str.endswith(".txt").all()
    assert table["locator"].str.len().gt(0).all()
    official = table.set_index("figure").loc["Commercial banks' NPL ratio (official)"]
    assert official["unit"] == "pct" and official["period"] == "2025Q3"


def test_derived_figures_follow_from_the_loaded_values():
    rows = overview.headline_rows()
    d = overview.derived_figures()
    balance, ratio = rows["npl_balance"]["value"], rows["npl_ratio"]["value"]
    assert d["loan_book_trn"] == pytest.approx(balance / ratio * 100)
    assert d["npl_at_alternative_trn"] == pytest.approx(
        d["loan_book_trn"] * rows["npl_estimate"]["value"] / 100
    )
    assert d["hidden_npl_trn"] == pytest.approx(d["npl_at_alternative_trn"] - balance)
    assert d["homes_vs_shanghai"] == pytest.approx(d["bank_homes"] / d["shanghai_homes"])
    assert d["bank_homes"] > 10_000  # converted from 万套, not left at 7


def test_alternative_ratio_parameter_moves_the_gap():
    low = overview.derived_figures(2.0)
    high = overview.derived_figures(10.0)
    assert high["hidden_npl_trn"] > low["hidden_npl_trn"]
    assert overview.derived_figures(overview.headline_rows()["npl_ratio"]["value"])[
        "hidden_npl_trn"
    ] == pytest.approx(0)


def test_lookup_fails_loudly():
    with pytest.raises(LookupError, match="0 rows match"):
        lookup.row("npl_banking_system", indicator="no_such_indicator")
    with pytest.raises(LookupError, match="no column"):
        lookup.row("npl_banking_system", colour="red")
    with pytest.raises(ValueError):
        overview.ratio(1, 0)


def test_lookup_value_converts_and_names_the_missing_field():
    row = lookup.row("npl_banking_system", indicator="npl_balance", period="2025Q3")
    trn = lookup.value("npl_banking_system", "CNY_trn", indicator="npl_balance", period="2025Q3")
    from helpers.book import units

    assert trn == pytest.approx(units.convert(float(row["value"]), row["unit"], "CNY_trn"))
    with pytest.raises(LookupError, match="no 'value_low'"):
        lookup.in_unit(row, None, "value_low")
