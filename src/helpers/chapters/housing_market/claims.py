"""Claims of the NIFD 2024Q1 report's market part (seed 003 §一) tested by its own numbers: the
reread's ledger cells for the housing chapter.

Each function takes a row of ``data/ledger/cells/claims.csv`` and returns the ledger-spec dict
(``published``, ``recomputed``, ``low``, ``high``, ``values``); published values come from
``data/``. The encoding of *equal*, *at_least*, *at_most* and *between* is the one described in
:mod:`helpers.chapters.retail_risk.claims`: for a comparison, ``recomputed`` is the value
nearest to the printed one that the claim allows, so a claim that holds matches.
"""

from __future__ import annotations

from helpers.book import data, lookup
from helpers.book.claim_cells import at_least as _at_least
from helpers.book.claim_cells import at_most as _at_most
from helpers.book.claim_cells import equal as _equal
from helpers.book.intervals import Interval

SEED = "003_dc4f0dbeb2c2a3ea.txt"


# ----------------------------------------------------------------------------- helpers
# (helpers.book.claim_cells: one encoding of the relations for every chapter)


def _climate(period: str) -> float:
    return lookup.value("housing_climate_index", item="level", period_end=period)


def _rentcap(scope: str, period: str) -> float:
    return lookup.value("housing_rent_capitalisation", scope=scope, period=period, basis="printed")


def _inventory(scope: str) -> float:
    return lookup.value(
        "housing_inventory", indicator="clearance_months", scope=scope, period="2024-03", measure="level"
    )


# ----------------------------------------------------------------------------- §一(一) prices


def falling_cities_most(row=None) -> dict:
    """§一(一): prices fell "普遍" (across the board) in 2024Q1: the fewest cities falling on any
    of the four measures (new/second-hand, y/y and m/m) is more than half of the 70."""
    frame = data.load("housing_70city_falling")
    fewest = float(frame["n_cities"].min())
    out_of = float(frame["out_of"].max())
    return _at_least(fewest, Interval.point(out_of / 2), out_of=out_of)


def second_hand_fell_more(row=None) -> dict:
    """§一(一): second-hand prices fell "下跌幅度較大" (by more) than new homes, y/y."""
    new = lookup.value("housing_70city_prices", market="new", scope="national", measure="yoy")
    second = lookup.value("housing_70city_prices", market="second_hand", scope="national", measure="yoy")
    return _at_most(second, Interval.printed(new, 2), new_homes=new)


# ----------------------------------------------------------------------------- §一(二) sales


def sales_value_sancheng(row=None) -> dict:
    """摘要 and the §一(二) heading: sales value "同比下降三成" (down three tenths), a round
    figure, against the body's fall to a tenth of a per cent."""
    rounded = lookup.value(
        "housing_sales", indicator="sales_value", scope="total", period="2024Q1", measure="yoy_round"
    )
    body = lookup.value(
        "housing_sales", indicator="sales_value", scope="total", period="2024Q1", measure="yoy"
    )
    return _equal(rounded, body, 1)


# ----------------------------------------------------------------------------- §一(四) climate index


def climate_index_fell(row=None) -> dict:
    """§一(四): the climate index "進一步下滑" (slid further) from end-2023 to end-2024Q1."""
    return _at_most(
        _climate("2024-03"), Interval.printed(_climate("2023-12"), 2), end_2023=_climate("2023-12")
    )


def _low_band_top() -> float:
    return lookup.value("housing_climate_index", item="band_low", field="value_high")


def climate_low_band_2024(row=None) -> dict:
    """§一(四): the index is in the "較低景氣水平" band (below 95) at the end of the 19-month run."""
    return _at_most(_climate("2024-03"), Interval.point(_low_band_top()))


def climate_low_band_2023(row=None) -> dict:
    """§一(四): … and at end-2023, inside the same run (the band's top is the footnote's 95)."""
    return _at_most(_climate("2023-12"), Interval.point(_low_band_top()))


# ----------------------------------------------------------------------------- §一(五) land


def land_average_price_rose(row=None) -> dict:
    """§一(五): "成交土地的平均價格…有所上升" (the average price of land sold rose). Average
    price = value / area, so it rose iff the value's y/y exceeds the area's:
    (1 + g_value) / (1 + g_area) − 1 > 0 ⇔ g_value > g_area. The note gives the implied rise."""
    g_value = lookup.value("housing_land", indicator="res_land_value", measure="yoy")
    g_area = lookup.value("housing_land", indicator="res_land_sold", measure="yoy")
    implied = 100 * ((1 + g_value / 100) / (1 + g_area / 100) - 1)
    return _at_least(g_value, Interval.printed(g_area, 1), area_yoy=g_area, implied_price_rise=implied)


# ----------------------------------------------------------------------------- §一(六) inventory


def tier3_inventory_highest(row=None) -> dict:
    """§一(六): "三線城市的庫存去化壓力最大" (tier-3 cities under the most pressure): their
    clearance period is the longest of the three tiers."""
    others = max(_inventory("tier1"), _inventory("tier2"))
    return _at_least(_inventory("tier3"), Interval.printed(others, 2), next_longest=others)


# ----------------------------------------------------------------------------- §一(八) rent capitalisation


def rentcap_tier2_hot_up(row=None) -> dict:
    """§一(八): hot tier-2 cities' rent capitalisation "小幅上升" (rose slightly)."""
    return _at_least(_rentcap("tier2_hot", "2024-03"), Interval.printed(_rentcap("tier2_hot", "2023-12"), 1))


def rentcap_tier2_nonhot_up(row=None) -> dict:
    """§一(八): other tier-2 cities' rent capitalisation "小幅上升" (rose slightly)."""
    return _at_least(
        _rentcap("tier2_nonhot", "2024-03"), Interval.printed(_rentcap("tier2_nonhot", "2023-12"), 1)
    )


def rentcap_tier3_down(row=None) -> dict:
    """§一(八): tier-3 cities' rent capitalisation "小幅下降" (fell slightly)."""
    return _at_most(_rentcap("tier3", "2024-03"), Interval.printed(_rentcap("tier3", "2023-12"), 1))
