"""The landing page's two charts: banks' collateral homes against Shanghai's market, and the
official NPL ratio against the outside estimate. Numbers come from
:func:`helpers.chapters.overview.headline_rows` and :func:`~helpers.chapters.overview.derived_figures`."""

from __future__ import annotations

import altair as alt
import pandas as pd

from helpers.book import charts, sources


def homes_vs_shanghai(rows: dict, derived: dict):
    """Bar chart: homes banks sold or listed, against a year of Shanghai's new-home sales."""
    homes = pd.DataFrame(
        {
            "what": ["Banks, to Nov 2025", "Shanghai new homes, 2024"],
            "homes": [derived["bank_homes"], derived["shanghai_homes"]],
        }
    )
    chart = (
        alt.Chart(homes, title="Banks' collateral homes against a year of Shanghai's new-home market")
        .mark_bar()
        .encode(
            x=alt.X("homes:Q", title="Homes (about)", axis=alt.Axis(format=",.0f")),
            y=charts.category_axis("what:N", label_limit=230),
            color=alt.Color("what:N", legend=None),
            tooltip=[alt.Tooltip("what:N", title=" "), alt.Tooltip("homes:Q", format=",.0f")],
        )
        .properties(height=110)
    )
    return charts.finish(
        chart,
        source=sources.line(
            [
                (rows["bank_homes"]["source"], rows["bank_homes"]["locator"]),
                (rows["shanghai_sales"]["source"], rows["shanghai_sales"]["locator"]),
            ]
        ),
        description=(
            f"Bar chart: about {derived['bank_homes']:,.0f} homes sold or listed by banks, "
            f"against {derived['shanghai_homes']:,.0f} new homes sold in Shanghai in 2024."
        ),
    )


def npl_official_vs_estimate(rows: dict, derived: dict):
    """Bar chart: the official NPL ratio against the outside (or the reader's) estimate."""
    npl = pd.DataFrame(
        {
            "measure": ["Official (Q3 2025)", "JRI estimate (end-2024)"],
            "ratio": [float(rows["npl_ratio"]["value"]), derived["alternative_ratio_pct"]],
            "npl_trn": [float(rows["npl_balance"]["value"]), derived["npl_at_alternative_trn"]],
        }
    )
    chart = (
        alt.Chart(npl, title="Bad loans: the official ratio and an outside estimate")
        .mark_bar()
        .encode(
            x=alt.X("ratio:Q", title="Share of loans that are non-performing (%)"),
            y=charts.category_axis("measure:N", label_limit=230),
            color=alt.Color("measure:N", legend=None),
            tooltip=[
                alt.Tooltip("measure:N", title=" "),
                alt.Tooltip("ratio:Q", title="ratio (%)", format=".2f"),
                alt.Tooltip("npl_trn:Q", title="NPL (CNY trn)", format=",.1f"),
            ],
        )
        .properties(height=110)
    )
    return charts.finish(
        chart,
        source=sources.line(
            [
                (rows["npl_ratio"]["source"], rows["npl_ratio"]["locator"]),
                (rows["npl_estimate"]["source"], rows["npl_estimate"]["locator"]),
            ]
        ),
        description=(
            f"Bar chart: official NPL ratio {rows['npl_ratio']['value']:.2f}% against the "
            f"{derived['alternative_ratio_pct']:.1f}% estimate."
        ),
    )
