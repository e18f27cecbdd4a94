"""The retail-risk chapter's tables, as readers see them (through :mod:`helpers.book.tables`)."""

from __future__ import annotations

import pandas as pd

from helpers.book import data, ledger, tables
from helpers.book.tables import Column

from . import fact, scenario_summary

SCENARIOS = {"negative_cash_flow": "cash flow", "international": "international", "high_ltv": "high LTV"}
INDICATORS = {
    "final_npl_ratio": "final mortgage NPL ratio",
    "npl_ratio_1h25": "mortgage NPL ratio, 1H25",
    "extra_npl": "extra mortgage NPLs exposed",
    "extra_provisions": "extra provisions needed",
    "npl_per_year": "NPLs exposed a year (over {years} years)",
    "npl_ratio_2025e": "mortgage NPL ratio, 2025E",
    "npl_ratio_2026e": "mortgage NPL ratio, 2026E",
}


def indicator_words() -> dict[str, str]:
    """:data:`INDICATORS` with the years the report spreads the extra NPLs over (分6年暴露,
    ``retail_facts``) filled in."""
    years = tables.as_printed(fact("mortgage_exposure_years", "years"))
    return {code: words.format(years=years) for code, words in INDICATORS.items()}


def consumer_tiers_table() -> tables.Table:
    """The report's four pricing tiers of consumer loans, as printed (Chinese)."""
    return tables.table(
        data.load("retail_consumer_tiers"),
        {
            "label_zh": "annual rate (IRR)",
            "product_side_zh": "product side",
            "examples_zh": "examples",
            "funders_zh": "funded by",
        },
        name="consumer-loan-tiers",
    )


def scenarios_table() -> tables.Table:
    """图表26 as printed: one row per indicator, one column per scenario, each row in its unit."""
    long = data.load("retail_mortgage_scenarios")
    wide = long.pivot(index="indicator", columns="scenario", values="value")
    wide = wide.reindex([i for i in INDICATORS if i in wide.index])
    wide["unit"] = long.drop_duplicates("indicator").set_index("indicator").loc[wide.index, "unit"]
    wide["label_zh"] = long.drop_duplicates("indicator").set_index("indicator").loc[wide.index, "label_zh"]
    wide = wide.reset_index()
    columns: dict[str, object] = {
        "indicator": Column("图表26, as printed", codes=indicator_words()),
        "label_zh": "Chinese",
    }
    for code, words in SCENARIOS.items():
        columns[code] = Column(f"{words} scenario", unit_from="unit")
    columns["unit"] = "unit"
    return tables.table(wide, columns, name="mortgage-scenarios")


def scenario_comparison(result: dict, published: dict) -> tables.Table:
    """The headline outputs under the scenario shown beside the report's own assumptions."""
    view = scenario_summary(result).rename(columns={"value": "shown"})
    view["report"] = scenario_summary(published)["value"]
    return tables.table(
        view,
        {
            "output": "output",
            "shown": Column("scenario shown", decimals=2),
            "report": Column("report's assumptions", decimals=2),
        },
        name="retail-scenario",
    )


def ledger_summary(checks: pd.DataFrame) -> tables.Table:
    """Counts of the chapter's ledger cells by status."""
    return tables.summary_table(ledger.summary(checks))


def findings_table(checks: pd.DataFrame) -> tables.Table:
    """The ledger rows that are findings about the source (:func:`helpers.book.ledger.is_finding`)."""
    return tables.ledger_table(checks[ledger.is_finding(checks)], name="ledger-retail-findings")


def ledger_table(checks: pd.DataFrame) -> tables.Table:
    """All of this chapter's ledger rows (collapsed: the table is long), with a CSV download."""
    return tables.ledger_table(checks, name="ledger-retail")
