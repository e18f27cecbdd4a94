"""Housing-market indicators as pure functions (NIFD 2024Q1 appendix definitions).

* rent capitalisation (租金資本化率) = price per m² / annual rent per m² (years), and
  = 1 / (monthly rent-to-price ratio × 12);
* the inventory clearance period (庫存去化周期) = homes available for sale / homes sold per period;
* loan-to-value (貸款價值比) = loan / home price.

Each function has its formula and units in the docstring and rejects bad input with a
``ValueError`` naming the argument.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pandas as pd

from helpers.book import units as _units
from helpers.book.checks import non_negative, number, positive

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
