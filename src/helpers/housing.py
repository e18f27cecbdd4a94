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

from collections.abc import Sequence
from datetime import date

import pandas as pd

from . import data as _data
from . import units as _units
from .checks import non_negative, number, positive
from .ledger import Check, checker

CHAPTER = "housing"
S3 = "003_dc4f0dbeb2c2a3ea.txt"
S0 = "000_53446e2d23b336c6.txt"

NBS70_TIER_WEIGHTS = {"tier1": 4, "tier2": 31, "tier3": 35}
"""Cities per tier in the NBS 70-city survey (圖1 note); used when a tier list is unavailable."""


# --------------------------------------------------------------------------- validation


def _pct_change(name: str, value) -> float:
    value = number(name, value)
    if value <= -100:
        raise ValueError(f"{name} is a % change and must be above -100, got {value!r}")
    return value


# --------------------------------------------------------------------------- model functions
def rent_capitalisation(price_per_m2, annual_rent_per_m2) -> float:
    """Years of rent that pay for a home (租金資本化率), appendix item 1.

    ``years = price_per_m2 / annual_rent_per_m2``; both in the same money unit per m²
    (e.g. CNY/m² and CNY/m² per year). Raises ``ValueError`` if the price is not positive or
    the rent is zero or negative.
    """
    price = positive("price_per_m2", price_per_m2)
    rent = positive("annual_rent_per_m2", annual_rent_per_m2)
    return price / rent


def rent_capitalisation_from_rent_to_price(monthly_rent_to_price) -> float:
    """Rent capitalisation from the monthly rent-to-price ratio (租售比), appendix item 1.

    ``years = 1 / (monthly_rent_to_price × 12)``, the ratio as a fraction (monthly rent per m² /
    price per m², e.g. 0.0015). Printed in the source as ``1/(租售比12)``: the multiplication
    sign was lost in conversion.
    """
    ratio = positive("monthly_rent_to_price", monthly_rent_to_price)
    if ratio >= 1:
        raise ValueError(f"monthly_rent_to_price is a fraction below 1, got {ratio!r}")
    return 1.0 / (ratio * 12.0)


def gross_rental_yield(capitalisation_years) -> float:
    """Implied gross rental yield in % a year: ``100 / capitalisation_years``.

    The reciprocal of rent capitalisation: annual rent / price, before costs, vacancy and tax.
    """
    years = positive("capitalisation_years", capitalisation_years)
    return 100.0 / years


def capitalisation_after_change(capitalisation_years, price_change_pct, rent_change_pct=0.0) -> float:
    """Rent capitalisation after prices and rents change by the given percentages.

    ``years' = years × (1 + price_change_pct/100) / (1 + rent_change_pct/100)`` — price and rent
    scale the numerator and denominator of price / annual rent. Changes in % (−10 = a 10 % fall),
    each above −100.
    """
    years = positive("capitalisation_years", capitalisation_years)
    dp = _pct_change("price_change_pct", price_change_pct)
    dr = _pct_change("rent_change_pct", rent_change_pct)
    return years * (1 + dp / 100.0) / (1 + dr / 100.0)


def price_change_for_target_yield(capitalisation_years, target_yield_pct, rent_change_pct=0.0) -> float:
    """Price change (%) that would lift the gross yield to ``target_yield_pct``, rents moving by
    ``rent_change_pct``.

    Solves ``100 / (years × (1+p) / (1+r)) = target`` for p:
    ``p = 100 × [(100 / target) × (1 + r/100) / years − 1]``.
    """
    years = positive("capitalisation_years", capitalisation_years)
    target = positive("target_yield_pct", target_yield_pct)
    dr = _pct_change("rent_change_pct", rent_change_pct)
    return 100.0 * ((100.0 / target) * (1 + dr / 100.0) / years - 1.0)


def clearance_period(units_available, units_sold_per_period) -> float:
    """Inventory clearance period (庫存去化周期), appendix item 2.

    ``periods = units_available / units_sold_per_period`` — the result is in the period of the
    sales flow (months if sales are monthly). Available stock may be zero; sales must be positive.
    """
    stock = non_negative("units_available", units_available)
    sold = positive("units_sold_per_period", units_sold_per_period)
    return stock / sold


def moving_average(values: Sequence[float], window: int = 3) -> list[float]:
    """Trailing moving average (the appendix smooths sales with a 3-week one).

    ``out[i] = mean(values[i-window+1 .. i])`` for ``i >= window-1``; shorter input gives [].
    """
    if isinstance(window, bool) or not isinstance(window, int) or window < 1:
        raise ValueError(f"window must be a positive integer, got {window!r}")
    vals = [number("values", v) for v in values]
    return [sum(vals[i - window + 1 : i + 1]) / window for i in range(window - 1, len(vals))]


def loan_to_value(loan, home_price) -> float:
    """Loan-to-value (貸款價值比), appendix item 3: ``loan / home_price`` as a fraction."""
    loan = non_negative("loan", loan)
    price = positive("home_price", home_price)
    return loan / price


def previous_level(level, yoy_pct) -> float:
    """Level a year earlier implied by a level and its % change: ``level / (1 + yoy_pct/100)``."""
    level = non_negative("level", level)
    yoy = _pct_change("yoy_pct", yoy_pct)
    return level / (1 + yoy / 100.0)


def growth_pct(current, previous) -> float:
    """% change: ``100 × (current / previous − 1)``."""
    cur = non_negative("current", current)
    prev = positive("previous", previous)
    return 100.0 * (cur / prev - 1.0)


def aggregate_yoy(levels: Sequence[float], yoys_pct: Sequence[float]) -> float:
    """% change of a total from its parts' levels and % changes.

    ``100 × (Σ level_i / Σ level_i/(1+yoy_i/100) − 1)`` — each part's year-earlier level is
    backed out with :func:`previous_level`. Levels must share one unit.
    """
    levels, yoys = list(levels), list(yoys_pct)
    if not levels or len(levels) != len(yoys):
        raise ValueError("levels and yoys_pct must be non-empty and of equal length")
    now = sum(non_negative("levels", x) for x in levels)
    before = sum(previous_level(x, y) for x, y in zip(levels, yoys))
    return growth_pct(now, before)


def fall_widening_pp(current_change_pct, previous_change_pct) -> float:
    """By how many pp a fall widened: ``previous_change − current_change`` (both signed %).

    A fall of 23.4 % after one of 8.2 %: −8.2 − (−23.4) = 15.2 pp.
    """
    return number("previous_change_pct", previous_change_pct) - number(
        "current_change_pct", current_change_pct
    )


def weighted_mean(values: Sequence[float], weights: Sequence[float]) -> float:
    """``Σ w_i x_i / Σ w_i`` — e.g. a 70-city average from tier averages weighted by city counts."""
    values, weights = list(values), list(weights)
    if not values or len(values) != len(weights):
        raise ValueError("values and weights must be non-empty and of equal length")
    ws = [non_negative("weights", w) for w in weights]
    if sum(ws) <= 0:
        raise ValueError("weights must not all be zero")
    return sum(number("values", v) * w for v, w in zip(values, ws)) / sum(ws)


def unit_price(value, value_unit: str, area, area_unit: str, out_unit: str = "CNY_per_m2") -> float:
    """Average price per m²: ``value [CNY] / area [m²]``, converted from the printed units.

    ``value`` in a money unit (e.g. ``CNY_trn``), ``area`` in an area unit (e.g. ``m2_100m``).
    """
    v = non_negative("value", value)
    a = positive("area", area)
    per_m2 = _units.convert(v, value_unit, "CNY") / _units.convert(a, area_unit, "m2")
    return _units.convert(per_m2, "CNY_per_m2", out_unit)


def months_inclusive(start: str, end: str) -> int:
    """Number of calendar months from ``start`` to ``end`` inclusive ("YYYY-MM" strings).

    ``12 × (end.year − start.year) + end.month − start.month + 1``; Sep 2022 – Mar 2024 = 19.
    """
    try:
        sy, sm = (int(x) for x in start.split("-"))
        ey, em = (int(x) for x in end.split("-"))
        date(sy, sm, 1), date(ey, em, 1)
    except (ValueError, AttributeError):
        raise ValueError(f"start and end must be 'YYYY-MM', got {start!r}, {end!r}") from None
    n = 12 * (ey - sy) + em - sm + 1
    if n < 1:
        raise ValueError(f"end {end!r} is before start {start!r}")
    return n


def climate_band(index_value, bands: pd.DataFrame | None = None) -> str:
    """Band of a 国房景气指数 reading: ``low`` (< 95), ``moderate`` (95–105), ``high`` (> 105).

    With ``bands`` (the ``housing_climate_index`` table) the thresholds come from the data;
    otherwise the footnote's 95 and 105.
    """
    x = non_negative("index_value", index_value)
    lo, hi = 95.0, 105.0
    if bands is not None:
        mod = bands[bands["item"] == "band_moderate"].iloc[0]
        lo, hi = float(mod["value_low"]), float(mod["value_high"])
    if x < lo:
        return "low"
    if x > hi:
        return "high"
    return "moderate"


# --------------------------------------------------------------------------- data access
def load(name: str) -> pd.DataFrame:
    """A validated housing table: ``helpers.data.load(name)``."""
    return _data.load(name)


def _one(frame: pd.DataFrame, **where):
    sel = frame
    for k, v in where.items():
        sel = sel[sel[k] == v]
    if len(sel) != 1:
        raise LookupError(f"expected one row for {where}, found {len(sel)}")
    return sel.iloc[0]


def value_in(frame: pd.DataFrame, out_unit: str | None = None, **where) -> float:
    """The single ``value`` matching ``where``, converted to ``out_unit`` if given."""
    row = _one(frame, **where)
    v = float(row["value"])
    return _units.convert(v, row["unit"], out_unit) if out_unit else v


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
        mom = _one(p, market=market, scope="national", measure="mom", period="2024-03")
        nar = _one(p, market=market, scope="national", measure="mom_fall_narrowing_vs_2023end")
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
        y = value_in(p, market=market, scope="national", measure="yoy")
        w = value_in(p, market=market, scope="national", measure="yoy_fall_widening_vs_2023end")
        out.append(dict(market=market, yoy_2023end=y + w, yoy_2024q1=y))
    return pd.DataFrame(out)


def sales_split() -> pd.DataFrame:
    """Pre-sale and completed sales in common units (亿m², 万亿元) with implied CNY/m²."""
    s = load("housing_sales")
    rows = []
    for scope in ("presale", "completed", "total"):
        area = value_in(s, "m2_100m", indicator="sales_area", scope=scope, measure="level", period="2024Q1")
        val = value_in(s, "CNY_trn", indicator="sales_value", scope=scope, measure="level", period="2024Q1")
        rows.append(
            dict(
                scope=scope,
                area_100m_m2=area,
                value_trn_cny=val,
                area_yoy_pct=value_in(s, indicator="sales_area", scope=scope, measure="yoy", period="2024Q1"),
                value_yoy_pct=value_in(
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
        prev = _one(rc, scope=scope, period="2023-12")
        now = _one(rc, scope=scope, period="2024-03")
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
        now = value_in(inv, indicator="clearance_months", scope=scope, measure="level", period="2024-03")
        ch = value_in(inv, indicator="clearance_months", scope=scope, measure="change_vs_2023end")
        rows.append(dict(scope=scope, months_2023end=now - ch, months_2024q1=now, basis_2023end="derived"))
    rows.append(
        dict(
            scope="14city",
            months_2023end=value_in(inv, indicator="clearance_months", scope="14city", period="2023-12"),
            months_2024q1=value_in(inv, indicator="clearance_months", scope="14city", period="2024-03"),
            basis_2023end="printed",
        )
    )
    return pd.DataFrame(rows)


def tier_counts(scheme: str) -> dict:
    """Cities listed per tier in ``housing_city_tiers`` for ``scheme`` (dropped cities excluded)."""
    t = load("housing_city_tiers")
    t = t[(t["scheme"] == scheme) & (t["tier"] != "dropped")]
    return t.groupby("tier").size().to_dict()


# --------------------------------------------------------------------------- ledger
_check = checker(CHAPTER, S3)


def ledger_checks() -> list[Check]:
    """Consistency checks of section 一 against its own inputs (published assumptions only)."""
    checks: list[Check] = []

    # 1. 70-city: national y/y = mean of the 70 cities = tier means weighted by listed city counts
    p = load("housing_70city_prices")
    w = tier_counts("nbs70")
    for market, label in (("new", "new homes"), ("second_hand", "second-hand homes")):
        pub = value_in(p, market=market, scope="national", measure="yoy")
        ours = weighted_mean(
            [value_in(p, market=market, scope=t, measure="yoy") for t in ("tier1", "tier2", "tier3")],
            [w[t] for t in ("tier1", "tier2", "tier3")],
        )
        note = ""
        if abs(ours - pub) > 0.005 + 1e-9:
            note = (
                "city-count-weighted mean of the printed tier figures (4/31/35 cities); each tier figure is "
                "rounded to 0.01, so the weighted mean carries up to ±0.005 of rounding: the gap is within it"
            )
        checks.append(
            _check(
                "§一(一) 70-city prices", f"national, {label}", "2024Q1 y/y (%)", pub, ours, "pct", 2, note
            )
        )

    # 2. sales: parts against totals (area, value), the stated widening, and the y/y of the total
    s = load("housing_sales")
    for ind, unit, dec, lab in (
        ("sales_area", "m2_100m", 2, "floor area"),
        ("sales_value", "CNY_trn", 2, "sales value"),
    ):
        pub = value_in(s, indicator=ind, scope="total", measure="level")
        parts = [
            value_in(s, unit, indicator=ind, scope=sc, measure="level") for sc in ("presale", "completed")
        ]
        ours = sum(parts)
        note = ""
        if abs(ours - pub) > 0.5 * 10**-dec + 1e-9:
            note = (
                "pre-sale 1.43 万亿 + completed 4251 亿 = 1.8551 万亿, which rounds to 1.86, not the printed 1.85; "
                "the pre-sale figure is itself rounded to 0.01 万亿 (±50 亿), so the parts and the total are "
                "consistent only if the unrounded pre-sale value is below 1.4249 万亿"
            )
        checks.append(
            _check(
                "§一(二) new-home sales",
                f"pre-sale + completed, {lab}",
                "2024Q1 level",
                pub,
                ours,
                unit,
                dec,
                note,
            )
        )

        yoy_pub = value_in(s, indicator=ind, scope="total", measure="yoy", period="2024Q1")
        levels = [
            value_in(s, "CNY" if ind == "sales_value" else "m2", indicator=ind, scope=sc, measure="level")
            for sc in ("presale", "completed")
        ]
        yoys = [value_in(s, indicator=ind, scope=sc, measure="yoy") for sc in ("presale", "completed")]
        checks.append(
            _check(
                "§一(二) new-home sales",
                f"total {lab} y/y from the parts' levels and y/y",
                "2024Q1 y/y (%)",
                yoy_pub,
                aggregate_yoy(levels, yoys),
                "pct",
                1,
            )
        )

        wid_pub = value_in(s, indicator=ind, scope="total", measure="yoy_fall_widening_vs_2023")
        prev = value_in(s, indicator=ind, scope="total", measure="yoy", period="2023")
        checks.append(
            _check(
                "§一(二) new-home sales",
                f"{lab}: widening of the fall on 2023",
                "pp",
                wid_pub,
                fall_widening_pp(yoy_pub, prev),
                "pp",
                1,
            )
        )

    # 3. climate index: the run of months in the low band
    ci = load("housing_climate_index")
    run = _one(ci, item="months_in_low_band")
    checks.append(
        _check(
            "§一(四) climate index",
            "months below 95 since 2022-09",
            "run length (months)",
            run["value"],
            months_inclusive(run["period_start"], run["period_end"]),
            "months",
            0,
        )
    )

    # 4. inventory: 14-city average against the tier averages (4/7/3 cities)
    inv = load("housing_inventory")
    wi = tier_counts("inventory14")
    tiers = ("tier1", "tier2", "tier3")
    now = [value_in(inv, indicator="clearance_months", scope=t, measure="level") for t in tiers]
    chg = [value_in(inv, indicator="clearance_months", scope=t, measure="change_vs_2023end") for t in tiers]
    note_inv = (
        "the 14-city figure is not the city-count-weighted mean of the tier averages (4/7/3 cities); it is probably "
        "pooled (total stock / total sales, which weights big markets) or averaged over a different window"
    )
    for period, vals in (("2024-03", now), ("2023-12", [a - b for a, b in zip(now, chg)])):
        pub = value_in(inv, indicator="clearance_months", scope="14city", period=period)
        ours = weighted_mean(vals, [wi[t] for t in tiers])
        note = note_inv if abs(ours - pub) > 0.05 else ""
        if period == "2023-12":
            note += "; end-2023 tier levels backed out as end-2024Q1 level minus the stated rise"
        checks.append(
            _check(
                "§一(六) inventory",
                "14-city average vs tier averages",
                f"{period} months",
                pub,
                ours,
                "months",
                1,
                note,
            )
        )

    # 5. city samples: listed cities against the stated sample sizes
    smp = load("housing_samples")
    t = load("housing_city_tiers")
    for _, r in smp.iterrows():
        lst = t[t["scheme"] == r["scheme"]]
        if r["scheme"] == "inventory14" and r["period"] == "2024":
            lst = lst[lst["tier"] != "dropped"]
        checks.append(
            _check(
                f"{r['locator']} city list",
                f"{r['scheme']} ({r['period']})",
                "cities listed vs stated",
                r["n_cities_stated"],
                len(lst),
                "count",
                0,
            )
        )
    return checks


# --------------------------------------------------------------------------- chapter figures
CHAPTER_CHECKS = {
    "prices": ("national, new homes", "2024Q1 y/y (%)"),
    "value": ("pre-sale + completed, sales value", "2024Q1 level"),
    "inv_now": ("14-city average vs tier averages", "2024-03 months"),
    "inv_prev": ("14-city average vs tier averages", "2023-12 months"),
}
"""Ledger rows (row, column) whose values the chapter's prose quotes, by short key."""


def chapter_values(
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
            v[f"{k}_yoy_{sc}"] = value_in(p, market=m, scope=sc, measure="yoy")
        v[f"{k}_yoy_widening"] = value_in(
            p, market=m, scope="national", measure="yoy_fall_widening_vs_2023end"
        )
        v[f"{k}_mom"] = value_in(p, market=m, scope="national", measure="mom", period="2024-03")
        v[f"{k}_mom_narrowing"] = value_in(
            p, market=m, scope="national", measure="mom_fall_narrowing_vs_2023end"
        )
        v[f"{k}_yoy_2023end"] = v[f"{k}_yoy_national"] + v[f"{k}_yoy_widening"]
        v[f"{k}_mom_2023end"] = v[f"{k}_mom"] - v[f"{k}_mom_narrowing"]
        for meas in ("yoy", "mom"):
            v[f"{k}_falling_{meas}"] = float(_one(fall, market=m, measure=meas)["n_cities"])
    v["new_mom_2025_10"] = value_in(p, market="new", scope="national", measure="mom", period="2025-10")

    for ind, k, unit in (("sales_area", "area", "m2_100m"), ("sales_value", "value", "CNY_trn")):
        for sc in ("total", "presale", "completed"):
            v[f"sales_{k}_{sc}"] = value_in(s, unit, indicator=ind, scope=sc, measure="level")
            v[f"sales_{k}_{sc}_yoy"] = value_in(s, indicator=ind, scope=sc, measure="yoy", period="2024Q1")
        v[f"sales_{k}_yoy_2023"] = value_in(s, indicator=ind, scope="total", measure="yoy", period="2023")
        v[f"sales_{k}_presale_share_pct"] = (
            100 * v[f"sales_{k}_presale"] / (v[f"sales_{k}_presale"] + v[f"sales_{k}_completed"])
        )
    v["sales_value_completed_100m"] = value_in(
        s, "CNY_100m", indicator="sales_value", scope="completed", measure="level"
    )
    v["sales_area_completed_10k"] = value_in(
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
        v[ind] = value_in(su, unit, indicator=ind, measure="level")
        v[f"{ind}_yoy"] = value_in(su, indicator=ind, measure="yoy")
    for ind in ("res_investment", "new_starts"):
        v[f"{ind}_neg_quarters"] = value_in(su, indicator=ind, measure="consecutive_negative_yoy")

    lv = ci[ci["item"] == "level"].set_index("period_end")["value"]
    v["climate_2023end"], v["climate_2024q1"] = float(lv["2023-12"]), float(lv["2024-03"])
    v["climate_low_months"] = float(_one(ci, item="months_in_low_band")["value"])
    v["climate_optimal"] = float(_one(ci, item="band_optimal")["value"])
    v["climate_band_low"] = float(_one(ci, item="band_moderate")["value_low"])
    v["climate_band_high"] = float(_one(ci, item="band_moderate")["value_high"])

    for ind in ("res_land_supplied", "res_land_sold", "res_land_value", "unsold_parcels", "avg_premium"):
        v[ind] = value_in(la, indicator=ind, measure="level")
        if ind != "avg_premium":
            v[f"{ind}_yoy"] = value_in(la, indicator=ind, measure="yoy")
    v["land_price_per_m2"] = unit_price(v["res_land_value"], "CNY_100m", v["res_land_sold"], "m2_10k")
    v["land_price_yoy"] = growth_pct(1 + v["res_land_value_yoy"] / 100, 1 + v["res_land_sold_yoy"] / 100)
    v["land_revenue"] = value_in(la, indicator="land_use_revenue", measure="level")
    v["land_revenue_yoy"] = value_in(la, indicator="land_use_revenue", measure="yoy")
    v["land_revenue_vs_peak"] = value_in(la, indicator="land_use_revenue", measure="cum_change_vs_2021_peak")
    v["land_revenue_share_of_peak"] = 100 + v["land_revenue_vs_peak"]

    it = inventory_table().set_index("scope")
    for sc in it.index:
        v[f"inv_{sc}_2023end"] = float(it.loc[sc, "months_2023end"])
        v[f"inv_{sc}_2024q1"] = float(it.loc[sc, "months_2024q1"])
    v["unsold_area"] = value_in(inv, "m2_100m", indicator="unsold_completed_area", measure="level")
    v["unsold_area_yoy"] = value_in(inv, indicator="unsold_completed_area", measure="yoy")
    # area-based analogue of the clearance period: unsold completed area / monthly completed-home sales
    v["unsold_area_months"] = clearance_period(v["unsold_area"], v["sales_area_completed"] / 3)

    for sc in ("tier1", "tier2", "tier3"):
        v[f"rent_yoy_{sc}"] = value_in(rents, scope=sc)
        v[f"rent_n_{sc}"] = float(_one(rents, scope=sc)["n_cities"])
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
