"""Tests for helpers.housing: indicator functions, the housing_ data, and the ledger checks."""

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

from helpers.book import ledger  # noqa: E402
from helpers.chapters import housing_market as h  # noqa: E402
from helpers.chapters.housing_market import ledger as housing_ledger  # noqa: E402
from helpers.models import housing as housing_model  # noqa: E402


# ----------------------------------------------------------------- rent capitalisation & yield
def test_rent_capitalisation_hand_computed():
    # 60,000 CNY/m2 price, 100 CNY/m2 monthly rent -> 1,200 a year -> 50 years
    assert housing_model.rent_capitalisation(60_000, 1_200) == pytest.approx(50.0)


def test_rent_to_price_route_agrees_with_price_rent_route():
    price, monthly_rent = 48_000.0, 80.0
    direct = housing_model.rent_capitalisation(price, monthly_rent * 12)
    via_ratio = housing_model.rent_capitalisation_from_rent_to_price(monthly_rent / price)
    assert via_ratio == pytest.approx(direct) == pytest.approx(50.0)


@pytest.mark.parametrize(
    "price, rent, arg",
    [
        (0, 1000, "price_per_m2"),
        (-5, 1000, "price_per_m2"),
        (50_000, 0, "annual_rent_per_m2"),
        (50_000, -1, "annual_rent_per_m2"),
        (float("nan"), 1000, "price_per_m2"),
        ("50000", 1000, "price_per_m2"),
    ],
)
def test_rent_capitalisation_rejects_bad_input(price, rent, arg):
    with pytest.raises(ValueError, match=arg):
        housing_model.rent_capitalisation(price, rent)


def test_rent_to_price_rejects_zero_and_ratio_above_one():
    with pytest.raises(ValueError, match="monthly_rent_to_price"):
        housing_model.rent_capitalisation_from_rent_to_price(0)
    with pytest.raises(ValueError, match="fraction"):
        housing_model.rent_capitalisation_from_rent_to_price(1.5)


def test_gross_yield_is_reciprocal_and_rejects_zero():
    assert h.gross_rental_yield(50) == pytest.approx(2.0)
    assert h.gross_rental_yield(55.2) == pytest.approx(1.8116, abs=1e-4)
    with pytest.raises(ValueError, match="capitalisation_years"):
        h.gross_rental_yield(0)


def test_capitalisation_after_change():
    assert h.capitalisation_after_change(50, -10) == pytest.approx(45.0)
    assert h.capitalisation_after_change(50, -10, -10) == pytest.approx(50.0)
    assert h.capitalisation_after_change(50, 0, 25) == pytest.approx(40.0)
    # monotone: a deeper price fall lowers capitalisation and raises the yield
    caps = [h.capitalisation_after_change(50, p) for p in (-30, -20, -10, 0, 10)]
    assert caps == sorted(caps)
    with pytest.raises(ValueError, match="price_change_pct"):
        h.capitalisation_after_change(50, -100)
    with pytest.raises(ValueError, match="rent_change_pct"):
        h.capitalisation_after_change(50, -10, -120)


def test_price_change_for_target_yield_inverts_scenario():
    p = h.price_change_for_target_yield(55.2, 3.0)
    assert h.gross_rental_yield(h.capitalisation_after_change(55.2, p)) == pytest.approx(3.0)
    assert p == pytest.approx(100 * (100 / 3 / 55.2 - 1))


# ----------------------------------------------------------------- inventory, LTV, arithmetic
def test_clearance_period_and_errors():
    assert h.clearance_period(12_000, 500) == pytest.approx(24.0)
    assert h.clearance_period(0, 500) == 0.0
    with pytest.raises(ValueError, match="units_sold_per_period"):
        h.clearance_period(100, 0)
    with pytest.raises(ValueError, match="units_available"):
        h.clearance_period(-1, 10)


def test_moving_average():
    assert housing_model.moving_average([3, 6, 9, 12], 3) == pytest.approx([6.0, 9.0])
    assert housing_model.moving_average([1, 2], 3) == []
    with pytest.raises(ValueError, match="window"):
        housing_model.moving_average([1, 2, 3], 0)


def test_loan_to_value():
    assert housing_model.loan_to_value(360, 1000) == pytest.approx(0.36)
    with pytest.raises(ValueError, match="home_price"):
        housing_model.loan_to_value(100, 0)
    with pytest.raises(ValueError, match="loan"):
        housing_model.loan_to_value(-1, 100)


def test_growth_helpers():
    assert housing_model.previous_level(90, -10) == pytest.approx(100)
    assert h.growth_pct(90, 100) == pytest.approx(-10)
    assert housing_model.fall_widening_pp(-23.4, -8.2) == pytest.approx(15.2)
    # two parts: 100 (+0 %) and 50 (-50 %, was 100) -> 150 vs 200 -> -25 %
    assert housing_model.aggregate_yoy([100, 50], [0, -50]) == pytest.approx(-25.0)
    with pytest.raises(ValueError):
        housing_model.aggregate_yoy([1], [1, 2])
    with pytest.raises(ValueError, match="yoy_pct"):
        housing_model.previous_level(10, -100)


def test_weighted_mean_and_unit_price():
    assert housing_model.weighted_mean([1, 3], [1, 3]) == pytest.approx(2.5)
    with pytest.raises(ValueError):
        housing_model.weighted_mean([1, 2], [0, 0])
    # 1.85 万亿元 over 1.89 亿 m2 = 9,788 CNY/m2
    assert h.unit_price(1.85, "CNY_trn", 1.89, "m2_100m") == pytest.approx(9788.36, abs=0.01)
    with pytest.raises(ValueError, match="area"):
        h.unit_price(1, "CNY_trn", 0, "m2_100m")


def test_months_inclusive_and_climate_band():
    assert housing_model.months_inclusive("2022-09", "2024-03") == 19
    assert housing_model.months_inclusive("2024-03", "2024-03") == 1
    with pytest.raises(ValueError):
        housing_model.months_inclusive("2024-03", "2022-09")
    with pytest.raises(ValueError):
        housing_model.months_inclusive("2024/03", "2024-04")
    assert housing_model.climate_band(92.07) == "low"
    assert housing_model.climate_band(95) == "moderate"
    assert housing_model.climate_band(105.5) == "high"


# ----------------------------------------------------------------- the data
SEEDS = ROOT / "seeds"


@pytest.mark.parametrize(
    "name",
    [
        "housing_70city_prices",
        "housing_land",
        "housing_70city_falling",
        "housing_sales",
        "housing_supply",
        "housing_climate_index",
        "housing_inventory",
        "housing_rents",
        "housing_rent_capitalisation",
        "housing_indicator_definitions",
        "housing_samples",
    ],
)
def test_quotes_are_verbatim_in_their_seed(name):
    frame = h.load(name)
    for _, row in frame.iterrows():
        q = row.get("quote")
        if q:
            text = (SEEDS / row["source"]).read_text(encoding="utf-8")
            assert q in text, f"{name}: quote not in {row['source']}: {q!r}"


def test_overview_readings_present():
    p = h.load("housing_70city_prices")
    oct25 = p[(p["period"] == "2025-10") & (p["market"] == "new") & (p["measure"] == "mom")]
    assert oct25["value"].tolist() == [-0.5]
    land = h.load("housing_land")
    peak = land[land["measure"] == "cum_change_vs_2021_peak"]
    assert peak["value"].tolist() == [-60.0]


def test_tier_lists_match_stated_sizes_and_restored_city():
    t = h.load("housing_city_tiers")
    sizes = t.groupby(["scheme", "tier"]).agg(n=("city_zh", "size"), stated=("tier_size_stated", "first"))
    assert (sizes["n"] == sizes["stated"]).all(), sizes[sizes["n"] != sizes["stated"]]
    haikou = t[(t["scheme"] == "nbs70") & (t["city_zh"] == "海口")]
    assert haikou["printed"].tolist() == ["???"]
    assert not t["city_zh"].str.contains(r"\?").any()
    # no city twice within one scheme
    assert not t.duplicated(["scheme", "city_zh"]).any()


def test_rent_capitalisation_data_stable_shape():
    rc = h.load("housing_rent_capitalisation")
    assert list(rc.columns)[:6] == ["scope", "label_zh", "n_cities", "period", "value", "unit"]
    assert set(rc["scope"]) == {"tier1", "tier2_hot", "tier2_nonhot", "tier3"}
    assert len(rc) == 8


# ----------------------------------------------------------------- tables and ledger
def test_mom_timeline_backs_out_end_2023():
    tl = h.mom_timeline().set_index(["market", "period"])["mom_pct"]
    assert tl[("new", "2023-12")] == pytest.approx(-0.40)
    assert tl[("second_hand", "2023-12")] == pytest.approx(-0.80)
    assert tl[("new", "2025-10")] == pytest.approx(-0.5)


def test_rent_capitalisation_table_scenario():
    base = h.rent_capitalisation_table()
    assert (base["cap_scenario"] == base["cap_2024q1"]).all()
    shock = h.rent_capitalisation_table(price_change_pct=-20)
    assert (shock["yield_scenario_pct"] > base["yield_2024q1_pct"]).all()
    t1 = shock.set_index("scope").loc["tier1"]
    assert t1["cap_scenario"] == pytest.approx(55.2 * 0.8)


def test_ledger_checks_results():
    checks = housing_ledger.ledger_checks()
    assert all(c.chapter == "housing" for c in checks)
    f = ledger.frame(checks)
    assert len(f) == sum(r["chapter"] == "housing" for r in ledger.spec())
    # the former four mismatches are consistent once the inputs' rounding (or unstated weights) is allowed
    near = f[f["status"] == "within rounding"]
    assert set(near["table"]) == {"§一(一) 70-city prices", "§一(二) new-home sales", "§一(六) inventory"}
    assert len(near) == 4
    assert near["note"].str.len().gt(20).all(), "every non-match needs a note"
    assert set(f["status"]) <= {"match", "within rounding"}
    # the sales value: 1.8551 vs 1.85, with 1.43 (±0.005) + 0.4251 allowing 1.85005..1.86015
    sv = f[f["row"] == "pre-sale + completed, sales value"].iloc[0]
    assert sv["recomputed"] == pytest.approx(1.8551)
    assert (sv["low"], sv["high"]) == (pytest.approx(1.85005), pytest.approx(1.86015))
