"""The housing-policy chapter's tables, as readers see them (through :mod:`helpers.book.tables`)."""

from __future__ import annotations

import re

import pandas as pd

from helpers.book import tables
from helpers.book.tables import Column

TIERS = {
    "tier1": "tier 1",
    "tier2": "tier 2",
    "tier3": "tier 3",
    "tier2_hot": "tier 2, hot",
    "tier2_nonhot": "tier 2, other",
}
CHANGES = {"full": "lifted", "partial": "eased in part", "none": "unchanged"}


def payments_table(pay: pd.DataFrame) -> tables.Table:
    """Monthly payment and total interest at each rate, for both repayment methods."""
    return tables.table(
        pay,
        {
            "case": "rate",
            "rate_pct": Column("rate", unit="pct"),
            "annuity_monthly": Column("equal instalments: monthly", unit="CNY", decimals=0),
            "annuity_total_interest": Column("equal instalments: total interest", unit="CNY", decimals=0),
            "equal_principal_first": Column("equal principal: first month", unit="CNY", decimals=0),
            "equal_principal_total_interest": Column(
                "equal principal: total interest", unit="CNY", decimals=0
            ),
        },
        name="mortgage-payments",
    )


def restrictions_table(rc: pd.DataFrame) -> tables.Table:
    """Cities that lifted their purchase restrictions only in part, and what changed."""
    return tables.table(
        rc[rc["change"] == "partial"],
        {"city_en": "city", "city_zh": "Chinese", "what_changed_en": "what changed (to 30 April 2024)"},
        name="restriction-changes",
    )


def comparison_table(comparison: pd.DataFrame) -> tables.Table:
    """The four trade-in models side by side, with what the numbers say."""
    columns = {c: c for c in comparison.columns if c != "model"}
    return tables.table(comparison, columns, name="tradein-models")


def tradein_table(tin: pd.DataFrame) -> tables.Table:
    """Per rent-capitalisation tier: what a prepaid lease funds, and the years a down payment takes."""
    columns: dict[str, object] = {
        "tier": Column("tier", codes=TIERS),
        "cap_years": Column("rent capitalisation", unit="years", decimals=1),
        "yield_pct": Column("gross yield", unit="pct", decimals=1),
    }
    for name in tin.columns:
        share = re.fullmatch(r"([\d.]+)y_share(_disc)?_pct", name)
        years = re.fullmatch(r"years_for_([\d.]+)pct(_disc)?", name)
        if share:
            label = f"{share.group(1)} years of rent as a share of the price" + (
                ", discounted" if share.group(2) else ""
            )
            columns[name] = Column(label, unit="pct", decimals=1)
        elif years:
            label = f"years of rent for a {years.group(1)} % down payment" + (
                ", discounted" if years.group(2) else ""
            )
            columns[name] = Column(label, unit="years", decimals=1)
    return tables.table(tin, columns, name="tradein-lease")


def provident_table(pf: pd.DataFrame) -> tables.Table:
    """The kinds of change to the housing provident fund, with an example city each."""
    return tables.table(
        pf,
        {
            "kind": "kind",
            "change_en": "change",
            "change_zh": "Chinese",
            "example_city_en": "example city",
            "example_en": "example",
        },
        name="provident-fund",
    )
