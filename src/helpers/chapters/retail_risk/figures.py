"""The retail-risk chapter's charts: NPL ratios by product, the interactive LTV sensitivity, and
the 2025E/2026E stress test printed and recomputed. Numbers come from
:func:`helpers.chapters.retail_risk.run` and :func:`~helpers.chapters.retail_risk.numbers`."""

from __future__ import annotations

import altair as alt
import pandas as pd

from helpers.book import charts, data, sources
from helpers.chapters import retail_risk as retail


def npl_ratios(figures: dict):
    """Line chart of listed banks' NPL ratios by product (图表3, 图表7), estimates dashed."""
    ratios = data.load("retail_npl_ratio")
    ratios["product_en"] = ratios["product"].map(retail.PRODUCT_EN)
    order = list(ratios["period"].drop_duplicates())
    base = alt.Chart(ratios, title="Listed banks' NPL ratio by retail product").encode(
        x=alt.X("period:O", sort=order, title="Period (E = stress-test estimate)"),
        y=alt.Y("value:Q", title="NPL ratio (%)"),
        color=alt.Color("product_en:N", title="Product"),
        tooltip=[
            alt.Tooltip("product_en:N", title="product"),
            "period:N",
            alt.Tooltip("value:Q", title="NPL ratio (%)", format=".2f"),
            alt.Tooltip("kind:N"),
        ],
    )
    lines = base.mark_line(point=True).encode(strokeDash=alt.StrokeDash("kind:N", title="Figure"))
    return charts.finish(
        lines,
        source=sources.line([(ratios["source"].iloc[0], "图表3"), (ratios["source"].iloc[0], "图表7")]),
        description=(
            "Line chart of listed banks' NPL ratios for mortgages, credit cards, consumer and business "
            "loans from 2019 to 1H25, with the report's 25E and 26E stress-test estimates dashed. "
            f"At 1H25: mortgages {figures['ratio_mortgage_1h25']:.2f}%, cards {figures['ratio_credit_card_1h25']:.2f}%, "
            f"consumer {figures['ratio_consumer_1h25']:.2f}%, business {figures['ratio_business_1h25']:.2f}%."
        ),
    )


def years_since_origination_choices() -> tuple[list[int], list[str]]:
    """The LTV chart's choice of repayment years, one per value of
    :data:`~helpers.chapters.retail_risk.HORIZON_YEARS`, each labelled with the printed panels it
    stands for ("4 years: 2021 loans now / 2023 loans in 2027")."""
    panels: dict[int, list[str]] = {}
    for (cohort, horizon), n in retail.HORIZON_YEARS.items():
        panels.setdefault(n, []).append(
            f"{cohort} loans {'now' if horizon == 'current' else 'in ' + horizon}"
        )
    options = sorted(panels)
    return options, [f"{n} years: {' / '.join(panels[n])}" for n in options]


def ltv_sensitivity(figures: dict, prepayment: float):
    """Interactive LTV of a cohort against the price fall: the model line (formula of
    :mod:`helpers.models.mortgage_ltv`, evaluated in the chart spec) with sliders for the
    prepayment rate and the years since origination, and the report's printed cells as dots.
    ``prepayment`` (a fraction) sets the slider's start at the printed column at or below it."""
    a = figures["fact_amortisation_rate"] / 100
    L0 = retail.INITIAL_LTV
    prepay = alt.param(
        name="prepay",
        value=float(min(5 * (prepayment * 100 // 5), 20)),
        bind=alt.binding_range(min=0, max=20, step=2.5, name="Annual prepayment rate (%) "),
    )
    options, labels = years_since_origination_choices()
    years = alt.param(
        name="years",
        value=retail.HORIZON_YEARS[("2021", "current")],
        bind=alt.binding_select(options=options, labels=labels, name="Years since origination "),
    )
    frac = (
        f"(prepay == 0 ? 1 - {a} * years : pow(1 - prepay / 100, years) "
        f"- {a} * (1 - pow(1 - prepay / 100, years)) / (prepay / 100))"
    )
    model = (
        alt.Chart(retail.ltv_grid())
        .transform_calculate(ltv=f"{L0} * max({frac}, 0) / (1 - datum.decline / 100) * 100")
        .mark_line()
        .encode(
            x=alt.X(
                "decline:Q", title="House-price fall since origination (%)", scale=alt.Scale(domain=[0, 70])
            ),
            y=alt.Y("ltv:Q", title="Current loan-to-value (%)", scale=alt.Scale(domain=[0, 200], clamp=True)),
            tooltip=[
                alt.Tooltip("decline:Q", title="price fall (%)"),
                alt.Tooltip("ltv:Q", title="model LTV (%)", format=".0f"),
            ],
        )
        .add_params(prepay, years)
    )
    points = (
        alt.Chart(retail.ltv_published_points())
        .transform_filter("datum.years == years && datum.prepayment == prepay")
        .mark_point(size=70, filled=True, color=charts.PALETTE[1])
        .encode(
            x="price_decline:Q",
            y="ltv:Q",
            tooltip=[
                alt.Tooltip("panel:N", title="printed in"),
                alt.Tooltip("price_decline:Q", title="price fall (%)"),
                alt.Tooltip("prepayment:Q", title="prepayment (%)"),
                alt.Tooltip("ltv:Q", title="printed LTV (%)"),
            ],
        )
    )
    threshold = figures["fact_high_ltv_threshold"]
    lines = charts.reference_lines(
        [threshold, 100.0], [f"{threshold:.0f} % (high LTV)", "100 % (negative equity)"], dx=4, dy=-6
    )
    ltv_chart = alt.layer(model, points, *lines, title="Mortgage LTV against the house-price fall")
    return charts.finish(
        ltv_chart,
        source=sources.line([(retail.SEED, "图表19"), (retail.SEED, "图表21")], suffix="Line: book model"),
        description=(
            "Interactive line chart: current loan-to-value of a mortgage cohort (initial LTV "
            f"{L0 * 100:.0f}%) against the cumulative house-price fall, for a chosen prepayment rate and years "
            "since origination; dots are the report's printed cells; dashed lines mark "
            f"{threshold:.0f}% and 100% LTV."
        ),
    )


def stress(result: dict, figures: dict):
    """Grouped bars of the 2025E/2026E NPL ratios: printed, and recomputed two ways."""
    st = result["stress"].copy()
    st["product_en"] = st["product"].map(retail.PRODUCT_EN)
    long = pd.concat(
        [
            st.assign(measure="Printed by the report", value=st["published_ratio_pct"]),
            st.assign(
                measure="Your scenario, report's implied balances", value=st["ratio_report_balance_pct"]
            ),
            st.assign(measure="Your scenario, balances held at 1H25", value=st["ratio_flat_balance_pct"]),
        ]
    )[["product_en", "period", "measure", "value"]]
    measures = list(long["measure"].drop_duplicates())
    bars = (
        alt.Chart(long, title="2025E and 2026E NPL ratios: printed and recomputed")
        .mark_bar()
        .encode(
            x=alt.X("measure:N", title=None, sort=measures, axis=alt.Axis(labels=False, ticks=False)),
            y=alt.Y("value:Q", title="NPL ratio (%)"),
            color=charts.legend_below("measure:N", sort=measures, legend={"columns": 1, "labelLimit": 400}),
            column=alt.Column("product_en:N", title=None),
            row=alt.Row("period:N", title=None),
            tooltip=[
                alt.Tooltip("product_en:N", title="product"),
                "period:N",
                "measure:N",
                alt.Tooltip("value:Q", title="NPL ratio (%)", format=".2f"),
            ],
        )
        .properties(width=110, height=140)
    )
    return charts.finish(
        bars,
        source=sources.line([(retail.SEED, "图表7")], suffix="Recomputed by this book"),
        description=(
            "Grouped bar chart of 2025E and 2026E NPL ratios for the four retail products: as printed, "
            "recomputed on the report's implied balances, and recomputed with balances held at 1H25. "
            f"Business loans 2026E: printed {figures['ratio_business_26e']:.2f}%, "
            f"flat-balance {figures['flat_business_26e']:.2f}%."
        ),
    )
