"""The disposals chapter's tables, as readers see them (through :mod:`helpers.book.tables`)."""

from __future__ import annotations

import datetime as _dt

from helpers.book import data, ledger, sources, tables
from helpers.book.tables import Column

from . import claim_tests, home_sales, profitability

PACKAGE_MEASURES = {
    "npl_amount": "bad loans offered",
    "days_overdue": "overdue",
    "principal": "principal",
    "total_with_interest": "total with interest and penalties",
    "listed_assets": "credit-loan assets listed",
}
RELATIONS = {"eq": "as printed", "nearly": "nearly", "approx": "about", "gt": "over"}
LANGUAGES = {"en": "English", "zh": "Chinese"}


def profitability_table() -> tables.Table:
    """Return on capital and on assets, 2024 and 2025 Q1–Q3, with the change."""
    return tables.table(
        profitability(),
        {
            "indicator": "indicator",
            "2024 (%)": ("2024", "pct"),
            "2025 Q1-Q3 (%)": ("2025 Q1–Q3", "pct"),
            "change (pp)": Column("change", unit="pp", signed=True),
        },
        name="profitability",
    )


def packages_table() -> tables.Table:
    """The three named NPL packages, each figure with its unit and how the article states it."""
    return tables.table(
        data.load("npl_packages"),
        {
            "bank_en": "bank",
            "bank_zh": "Chinese name",
            "period": "period",
            "measure": Column("figure", codes=PACKAGE_MEASURES),
            "relation": Column("stated as", codes=RELATIONS),
            "value": Column("value", unit_from="unit", decimals=tables.AS_PRINTED),
            "unit": "unit",
        },
        name="npl-packages",
    )


def home_sales_table() -> tables.Table:
    """Homes put up by each named institution, with its share of the ~70,000 total."""
    view = home_sales()
    view["source"] = [sources.label(x) for x in view["source"]]
    return tables.table(
        view,
        {
            "institution_en": "institution",
            "institution_zh": "Chinese name",
            "institution_type": "kind",
            "figure": "homes, as printed",
            "share_of_total_pct": Column("share of all bank homes", unit="pct", decimals=1),
            "source": "source",
        },
        name="bank-home-sales",
    )


def claims_table(to: _dt.date) -> tables.Table:
    """Every quantitative claim of the two texts against the figures they give."""
    view = claim_tests(to)
    view["source"] = [sources.label(x) for x in view["source"]]
    return tables.table(
        view,
        {
            "claim": "claim",
            "source": "source",
            "locator": "where",
            "test": "test",
            "ours": "our figure",
            "verdict": "verdict",
        },
        name="npl-claims",
    )


def differences_table() -> tables.Table:
    """Names and figures that differ between the digest's languages, or between the two texts."""
    view = data.load("npl_source_differences")
    view["source"] = [sources.label(x) for x in view["source"]]
    return tables.table(
        view,
        {
            "topic": "topic",
            "source": "source",
            "locator": "where",
            "language": Column("language", codes=LANGUAGES),
            "as_printed": "as printed",
            "assessment": "assessment",
        },
        name="npl-source-differences",
    )


def ledger_table() -> tables.Table:
    """This chapter's rows of the reproduction ledger."""
    return tables.ledger_table(ledger.collect(["disposals"]), name="ledger-disposals")
