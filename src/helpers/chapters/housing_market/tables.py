"""The housing-market chapter's tables, as readers see them (through :mod:`helpers.book.tables`)."""

from __future__ import annotations

from helpers.book import tables
from helpers.book.tables import Column

from . import price_changes, rent_capitalisation_table, sales_split

SCOPES = {
    "national": "70 cities",
    "tier1": "tier 1",
    "tier2": "tier 2",
    "tier3": "tier 3",
    "tier2_hot": "tier 2, hot",
    "tier2_nonhot": "tier 2, other",
    "presale": "pre-sold (期房)",
    "completed": "completed (现房)",
    "total": "all new homes",
}


def prices_table():
    """Year-on-year change in new and second-hand home prices by tier."""
    view = price_changes().reset_index()
    return tables.table(
        view,
        {
            "scope": Column("cities", codes=SCOPES),
            "new": Column("new homes, change on a year earlier", unit="pct"),
            "second_hand": Column("second-hand homes, change on a year earlier", unit="pct"),
        },
        name="housing-prices",
    )


def sales_table():
    """New-home sales in 2024Q1 by segment: area, value, their changes and the implied price."""
    return tables.table(
        sales_split(),
        {
            "scope": Column("segment", codes=SCOPES),
            "area_100m_m2": Column("floor area sold", unit="m2_100m", decimals=4),
            "value_trn_cny": Column("value", unit="CNY_trn", decimals=4),
            "area_yoy_pct": Column("area, change on a year earlier", unit="pct", decimals=1),
            "value_yoy_pct": Column("value, change on a year earlier", unit="pct", decimals=1),
            "price_cny_per_m2": Column("implied price", unit="CNY_per_m2"),
        },
        name="housing-sales",
    )


def rent_capitalisation(price_change_pct: float, rent_change_pct: float):
    """Rent capitalisation and gross yield by tier: end-2023, 2024Q1 and the scenario shown."""
    return tables.table(
        rent_capitalisation_table(price_change_pct, rent_change_pct),
        {
            "scope": Column("cities", codes=SCOPES),
            "n_cities": Column("cities in sample", unit="count"),
            "cap_2023end": Column("capitalisation, end-2023", unit="years", decimals=1),
            "cap_2024q1": Column("capitalisation, 2024Q1", unit="years", decimals=1),
            "yield_2023end_pct": Column("gross yield, end-2023", unit="pct"),
            "yield_2024q1_pct": Column("gross yield, 2024Q1", unit="pct"),
            "cap_scenario": Column("capitalisation, scenario", unit="years", decimals=2),
            "yield_scenario_pct": Column("gross yield, scenario", unit="pct"),
        },
        name="rent-capitalisation",
    )
