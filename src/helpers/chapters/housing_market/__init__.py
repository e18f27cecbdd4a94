"""Housing-market indicators (NIFD 2024Q1 report, section 一 and appendix; Nov-2025 digest).

Two layers:

* **model functions** — pure (numbers in, numbers out), each with its formula and units in the
  docstring, rejecting bad input with a ``ValueError`` that names the argument;
* **table builders and** :func:`ledger_checks` — read ``data/housing_*`` through :func:`load`
  and apply the model functions with the *published* inputs.

The appendix (附件:相關指標說明) defines

* rent capitalisation (租金資本化率) = price per m² / annual rent per m² (years), and
  = 1 / (monthly rent-to-price ratio × 12) — the "×" is lost in the converted text;
* the inventory clearance period (庫存去化周期) = homes available for sale / homes sold per period;
* loan-to-value (貸款價值比) = loan / home price.
"""

from __future__ import annotations

import pandas as pd

from helpers.book import data as _data
from helpers.book import ledger as book_ledger
from helpers.book import lookup
from helpers.models.housing import (
    capitalisation_after_change,
    clearance_period,
    gross_rental_yield,
    growth_pct,
    price_change_for_target_yield,
    unit_price,
)

CHAPTER = "housing"
S3 = "003_dc4f0dbeb2c2a3ea.txt"
S0 = "000_53446e2d23b336c6.txt"


# --------------------------------------------------------------------------- data access
def load(name: str) -> pd.DataFrame:
    """A validated housing table: ``helpers.data.load(name)``."""
    return _data.load(name)


# --------------------------------------------------------------------------- table builders
def price_changes() -> pd.DataFrame:
    """70-city y/y price changes by market and scope (national + tiers), wide by market."""
    p = load("housing_70city_prices")
    yoy = p[p["measure"] == "yoy"]
    return yoy.pivot(index="scope", columns="market", values="value").reindex(
        ["national", "tier1", "tier2", "tier3"]
    )


def mom_timeline() -> pd.DataFrame:
    """National m/m price changes on one timeline: end-2023 (backed out of the stated narrowing),
    end-2024Q1 and October 2025.

    end-2023 m/m = end-2024Q1 m/m − narrowing (a fall that narrowed by n pp was n pp deeper).
    """
    p = load("housing_70city_prices")
    rows = []
    for market in ("new", "second_hand"):
        mom = lookup.row(p, market=market, scope="national", measure="mom", period="2024-03")
        nar = lookup.row(p, market=market, scope="national", measure="mom_fall_narrowing_vs_2023end")
        rows.append(
            dict(
                market=market,
                period="2023-12",
                date=pd.Timestamp("2023-12-31"),
                mom_pct=float(mom["value"]) - float(nar["value"]),
                basis="derived (003)",
            )
        )
        rows.append(
            dict(
                market=market,
                period="2024-03",
                date=pd.Timestamp("2024-03-31"),
                mom_pct=float(mom["value"]),
                basis="printed (003)",
            )
        )
    late = p[(p["measure"] == "mom") & (p["period"] > "2024-12")]
    for _, r in late.iterrows():
        rows.append(
            dict(
                market=r["market"],
                period=r["period"],
                date=pd.Timestamp(r["as_of"]),
                mom_pct=float(r["value"]),
                basis="printed (000)",
            )
        )
    return pd.DataFrame(rows)


def yoy_end2023() -> pd.DataFrame:
    """National y/y at end-2023 backed out of the stated widening: ``yoy_2024Q1 + widening``."""
    p = load("housing_70city_prices")
    out = []
    for market in ("new", "second_hand"):
        y = lookup.value(p, market=market, scope="national", measure="yoy")
        w = lookup.value(p, market=market, scope="national", measure="yoy_fall_widening_vs_2023end")
        out.append(dict(market=market, yoy_2023end=y + w, yoy_2024q1=y))
    return pd.DataFrame(out)


def sales_split() -> pd.DataFrame:
    """Pre-sale and completed sales in common units (亿m², 万亿元) with implied CNY/m²."""
    s = load("housing_sales")
    rows = []
    for scope in ("presale", "completed", "total"):
        area = lookup.value(
            s, "m2_100m", indicator="sales_area", scope=scope, measure="level", period="2024Q1"
        )
        val = lookup.value(
            s, "CNY_trn", indicator="sales_value", scope=scope, measure="level", period="2024Q1"
        )
        rows.append(
            dict(
                scope=scope,
                area_100m_m2=area,
                value_trn_cny=val,
                area_yoy_pct=lookup.value(
                    s, indicator="sales_area", scope=scope, measure="yoy", period="2024Q1"
                ),
                value_yoy_pct=lookup.value(
                    s, indicator="sales_value", scope=scope, measure="yoy", period="2024Q1"
                ),
                price_cny_per_m2=unit_price(val, "CNY_trn", area, "m2_100m"),
            )
        )
    return pd.DataFrame(rows)


def rent_capitalisation_table(price_change_pct: float = 0.0, rent_change_pct: float = 0.0) -> pd.DataFrame:
    """Rent capitalisation by tier (end-2023, end-2024Q1), implied yields, and a scenario.

    Scenario columns apply :func:`capitalisation_after_change` to the end-2024Q1 value.
    """
    rc = load("housing_rent_capitalisation")
    rows = []
    for scope in ("tier1", "tier2_hot", "tier2_nonhot", "tier3"):
        prev = lookup.row(rc, scope=scope, period="2023-12")
        now = lookup.row(rc, scope=scope, period="2024-03")
        cap = float(now["value"])
        cap_s = capitalisation_after_change(cap, price_change_pct, rent_change_pct)
        rows.append(
            dict(
                scope=scope,
                n_cities=int(now["n_cities"]),
                cap_2023end=float(prev["value"]),
                cap_2024q1=cap,
                yield_2023end_pct=gross_rental_yield(float(prev["value"])),
                yield_2024q1_pct=gross_rental_yield(cap),
                cap_scenario=cap_s,
                yield_scenario_pct=gross_rental_yield(cap_s),
            )
        )
    return pd.DataFrame(rows)


def inventory_table() -> pd.DataFrame:
    """Months to clear by tier, end-2023 (level − stated change) and end-2024Q1."""
    inv = load("housing_inventory")
    rows = []
    for scope in ("tier1", "tier2", "tier3"):
        now = lookup.value(inv, indicator="clearance_months", scope=scope, measure="level", period="2024-03")
        ch = lookup.value(inv, indicator="clearance_months", scope=scope, measure="change_vs_2023end")
        rows.append(dict(scope=scope, months_2023end=now - ch, months_2024q1=now, basis_2023end="derived"))
    rows.append(
        dict(
            scope="14city",
            months_2023end=lookup.value(inv, indicator="clearance_months", scope="14city", period="2023-12"),
            months_2024q1=lookup.value(inv, indicator="clearance_months", scope="14city", period="2024-03"),
            basis_2023end="printed",
        )
    )
    return pd.DataFrame(rows)


def tier_counts(scheme: str) -> dict:
    """Cities listed per tier in ``housing_city_tiers`` for ``scheme`` (dropped cities excluded)."""
    t = load("housing_city_tiers")
    t = t[(t["scheme"] == scheme) & (t["tier"] != "dropped")]
    return t.groupby("tier").size().to_dict()


# --------------------------------------------------------------------------- chapter figures
CHAPTER_CHECKS = {
    "prices": ("national, new homes", "2024Q1 y/y (%)"),
    "value": ("pre-sale + completed, sales value", "2024Q1 level"),
    "inv_now": ("14-city average vs tier averages", "2024-03 months"),
    "inv_prev": ("14-city average vs tier averages", "2023-12 months"),
}
"""Ledger rows (row, column) whose values the chapter's prose quotes, by short key."""


def numbers(
    price_change_pct: float = 0.0, rent_change_pct: float = 0.0, target_yield_pct: float = 3.0
) -> dict[str, float]:
    """Every number the chapter's prose quotes, by name (data values and model results)."""
    p = load("housing_70city_prices")
    fall = load("housing_70city_falling")
    s = load("housing_sales")
    su = load("housing_supply")
    ci = load("housing_climate_index")
    la = load("housing_land")
    inv = load("housing_inventory")
    rents = load("housing_rents")
    v: dict[str, float] = {}
    for m, k in (("new", "new"), ("second_hand", "sh")):
        for sc in ("national", "tier1", "tier2", "tier3"):
            v[f"{k}_yoy_{sc}"] = lookup.value(p, market=m, scope=sc, measure="yoy")
        v[f"{k}_yoy_widening"] = lookup.value(
            p, market=m, scope="national", measure="yoy_fall_widening_vs_2023end"
        )
        v[f"{k}_mom"] = lookup.value(p, market=m, scope="national", measure="mom", period="2024-03")
        v[f"{k}_mom_narrowing"] = lookup.value(
            p, market=m, scope="national", measure="mom_fall_narrowing_vs_2023end"
        )
        v[f"{k}_yoy_2023end"] = v[f"{k}_yoy_national"] + v[f"{k}_yoy_widening"]
        v[f"{k}_mom_2023end"] = v[f"{k}_mom"] - v[f"{k}_mom_narrowing"]
        for meas in ("yoy", "mom"):
            v[f"{k}_falling_{meas}"] = float(lookup.row(fall, market=m, measure=meas)["n_cities"])
    v["new_mom_2025_10"] = lookup.value(p, market="new", scope="national", measure="mom", period="2025-10")

    for ind, k, unit in (("sales_area", "area", "m2_100m"), ("sales_value", "value", "CNY_trn")):
        for sc in ("total", "presale", "completed"):
            v[f"sales_{k}_{sc}"] = lookup.value(s, unit, indicator=ind, scope=sc, measure="level")
            v[f"sales_{k}_{sc}_yoy"] = lookup.value(
                s, indicator=ind, scope=sc, measure="yoy", period="2024Q1"
            )
        v[f"sales_{k}_yoy_2023"] = lookup.value(s, indicator=ind, scope="total", measure="yoy", period="2023")
        v[f"sales_{k}_presale_share_pct"] = (
            100 * v[f"sales_{k}_presale"] / (v[f"sales_{k}_presale"] + v[f"sales_{k}_completed"])
        )
    v["sales_value_completed_100m"] = lookup.value(
        s, "CNY_100m", indicator="sales_value", scope="completed", measure="level"
    )
    v["sales_area_completed_10k"] = lookup.value(
        s, "m2_10k", indicator="sales_area", scope="completed", measure="level"
    )
    split = sales_split().set_index("scope")["price_cny_per_m2"]
    for sc in ("total", "presale", "completed"):
        v[f"price_per_m2_{sc}"] = float(split[sc])
    v["price_per_m2_total_yoy"] = growth_pct(
        1 + v["sales_value_total_yoy"] / 100, 1 + v["sales_area_total_yoy"] / 100
    )

    for ind in ("res_investment", "new_starts", "completions"):
        unit = "CNY_trn" if ind == "res_investment" else "m2_100m"
        v[ind] = lookup.value(su, unit, indicator=ind, measure="level")
        v[f"{ind}_yoy"] = lookup.value(su, indicator=ind, measure="yoy")
    for ind in ("res_investment", "new_starts"):
        v[f"{ind}_neg_quarters"] = lookup.value(su, indicator=ind, measure="consecutive_negative_yoy")

    lv = ci[ci["item"] == "level"].set_index("period_end")["value"]
    v["climate_2023end"], v["climate_2024q1"] = float(lv["2023-12"]), float(lv["2024-03"])
    v["climate_low_months"] = float(lookup.row(ci, item="months_in_low_band")["value"])
    v["climate_optimal"] = float(lookup.row(ci, item="band_optimal")["value"])
    v["climate_band_low"] = float(lookup.row(ci, item="band_moderate")["value_low"])
    v["climate_band_high"] = float(lookup.row(ci, item="band_moderate")["value_high"])

    for ind in ("res_land_supplied", "res_land_sold", "res_land_value", "unsold_parcels", "avg_premium"):
        v[ind] = lookup.value(la, indicator=ind, measure="level")
        if ind != "avg_premium":
            v[f"{ind}_yoy"] = lookup.value(la, indicator=ind, measure="yoy")
    v["land_price_per_m2"] = unit_price(v["res_land_value"], "CNY_100m", v["res_land_sold"], "m2_10k")
    v["land_price_yoy"] = growth_pct(1 + v["res_land_value_yoy"] / 100, 1 + v["res_land_sold_yoy"] / 100)
    v["land_revenue"] = lookup.value(la, indicator="land_use_revenue", measure="level")
    v["land_revenue_yoy"] = lookup.value(la, indicator="land_use_revenue", measure="yoy")
    v["land_revenue_vs_peak"] = lookup.value(
        la, indicator="land_use_revenue", measure="cum_change_vs_2021_peak"
    )
    v["land_revenue_share_of_peak"] = 100 + v["land_revenue_vs_peak"]

    it = inventory_table().set_index("scope")
    for sc in it.index:
        v[f"inv_{sc}_2023end"] = float(it.loc[sc, "months_2023end"])
        v[f"inv_{sc}_2024q1"] = float(it.loc[sc, "months_2024q1"])
    v["unsold_area"] = lookup.value(inv, "m2_100m", indicator="unsold_completed_area", measure="level")
    v["unsold_area_yoy"] = lookup.value(inv, indicator="unsold_completed_area", measure="yoy")
    # area-based analogue of the clearance period: unsold completed area / monthly completed-home sales
    v["unsold_area_months"] = clearance_period(v["unsold_area"], v["sales_area_completed"] / 3)

    for sc in ("tier1", "tier2", "tier3"):
        v[f"rent_yoy_{sc}"] = lookup.value(rents, scope=sc)
        v[f"rent_n_{sc}"] = float(lookup.row(rents, scope=sc)["n_cities"])
    v["tier1_cap_change_if_yoy"] = growth_pct(1 + v["sh_yoy_tier1"] / 100, 1 + v["rent_yoy_tier1"] / 100)

    rc = rent_capitalisation_table(price_change_pct, rent_change_pct).set_index("scope")
    for sc in rc.index:
        for col in ("cap_2023end", "cap_2024q1", "yield_2024q1_pct", "cap_scenario", "yield_scenario_pct"):
            v[f"{sc}_{col}"] = float(rc.loc[sc, col])
    for sc in ("tier1", "tier3"):
        v[f"{sc}_change_for_target_yield"] = price_change_for_target_yield(
            v[f"{sc}_cap_2024q1"], target_yield_pct, rent_change_pct
        )
    return v


def scenario_numbers(price_change_pct: float, rent_change_pct: float, target_yield_pct: float) -> dict:
    """The chapter's parameters as the prose states them (with the size of the price change)."""
    return {
        "price_change_pct": price_change_pct,
        "price_change_pct_abs": abs(price_change_pct),
        "rent_change_pct": rent_change_pct,
        "target_yield_pct": target_yield_pct,
    }


def ledger_numbers(checks: pd.DataFrame) -> dict:
    """Counts of the chapter's ledger checks, and the published and recomputed values of the rows
    in :data:`CHAPTER_CHECKS` (``chk_<key>_pub`` / ``chk_<key>_ours``)."""
    n = book_ledger.counts(checks)
    out = {
        "n_checks": n["checks"],
        "n_within_rounding": n["within rounding"],
        "n_findings": n["findings"],
        "n_mismatch": n["finding cells"],
    }
    for key, (row, column) in CHAPTER_CHECKS.items():
        hit = checks[(checks["row"] == row) & (checks["column"] == column)].iloc[0]
        out[f"chk_{key}_pub"] = float(hit["published"])
        out[f"chk_{key}_ours"] = float(hit["recomputed"])
    return out
