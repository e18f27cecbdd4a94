"""Charts for the housing-market chapter (Altair, finished with the house source line)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from helpers.book import charts, sources, tables
from helpers.chapters import housing_market as h

SCOPE_LABELS = {
    "national": "70 cities",
    "tier1": "Tier 1",
    "tier2": "Tier 2",
    "tier3": "Tier 3",
    "tier2_hot": "Tier 2, hot",
    "tier2_nonhot": "Tier 2, other",
    "14city": "14-city sample",
}
MARKET_LABELS = {"new": "New homes", "second_hand": "Second-hand homes"}
WIDE = 480
"""Plot width of the chapter's bar charts on a desktop (a phone gets its own drawing)."""


def _grouped_bars(
    d: pd.DataFrame, *, title: str, x: str, order: list, group: str, y: str, y_title: str, tooltip: list
) -> alt.Chart:
    """Bars of ``y`` for each ``x`` category (in ``order``), side by side for each ``group``, coloured
    by ``group`` with the legend under the plot."""
    return (
        alt.Chart(d, title=title)
        .mark_bar()
        .encode(
            x=alt.X(x, title=None, sort=order, axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset(group),
            y=alt.Y(y, title=y_title),
            color=charts.legend_below(group),
            tooltip=tooltip,
        )
        .properties(width=WIDE)
    )


def prices_by_tier() -> alt.VConcatChart:
    """Grouped bars: 2024Q1 y/y price change, national and by tier, new vs second-hand."""
    p = h.load("housing_70city_prices")
    d = p[p["measure"] == "yoy"].copy()
    d["where"] = d["scope"].map(SCOPE_LABELS)
    d["market_label"] = d["market"].map(MARKET_LABELS)
    order = [SCOPE_LABELS[s] for s in ("national", "tier1", "tier2", "tier3")]
    chart = _grouped_bars(
        d,
        title="Home prices, 2024Q1: change on a year earlier",
        x="where:N",
        order=order,
        group="market_label:N",
        y="value:Q",
        y_title="Change on a year earlier (%)",
        tooltip=["where:N", "market_label:N", alt.Tooltip("value:Q", title="y/y (%)", format=".2f")],
    )
    desc = "Bar chart of year-on-year price changes in 2024Q1: " + "; ".join(
        f"{SCOPE_LABELS[r.scope]} {MARKET_LABELS[r.market].lower()} {r.value:.2f}%" for r in d.itertuples()
    )
    return charts.finish(chart, source=sources.for_frame(d), description=desc)


def mom_timeline() -> alt.VConcatChart:
    """Points and lines: national m/m price change at end-2023, end-2024Q1 and October 2025."""
    t = h.mom_timeline()
    t["market_label"] = t["market"].map(MARKET_LABELS)
    p = h.load("housing_70city_prices")
    base = alt.Chart(t, title="Month-on-month price change, 70-city average").encode(
        x=alt.X(
            "date:T", title=None, axis=alt.Axis(format="%b %Y", values=sorted(t["date"].unique().tolist()))
        ),
        y=alt.Y("mom_pct:Q", title="Change on the previous month (%)", scale=alt.Scale(domain=[-1, 0])),
        color=charts.legend_below("market_label:N"),
    )
    lines = base.transform_filter(alt.datum.period < "2025").mark_line()
    pts = base.mark_point(size=90).encode(
        shape=alt.Shape("basis:N", title="Value", legend=alt.Legend(orient="bottom")),
        tooltip=["period:N", "market_label:N", "basis:N", alt.Tooltip("mom_pct:Q", format=".2f")],
    )
    desc = "Month-on-month changes: " + "; ".join(
        f"{r.period} {MARKET_LABELS[r.market].lower()} {r.mom_pct:.2f}% ({r.basis})" for r in t.itertuples()
    )
    src = sources.for_frame(p[p["measure"].isin(["mom", "mom_fall_narrowing_vs_2023end"])])
    return charts.finish(
        lines + pts, source=src + ". End-2023 values backed out of the stated narrowing", description=desc
    )


def sales_split() -> alt.VConcatChart:
    """Bars: 2024Q1 y/y change of floor area and value sold, pre-sale vs completed vs total."""
    s = h.load("housing_sales")
    d = s[(s["measure"] == "yoy") & (s["period"] == "2024Q1")].copy()
    d["segment"] = d["scope"].map(
        {"total": "All new homes", "presale": "Pre-sale (期房)", "completed": "Completed (现房)"}
    )
    d["what"] = d["indicator"].map({"sales_area": "Floor area sold", "sales_value": "Value sold"})
    chart = _grouped_bars(
        d,
        title="New-home sales, 2024Q1: pre-sale collapses, completed homes grow",
        x="segment:N",
        order=["All new homes", "Pre-sale (期房)", "Completed (现房)"],
        group="what:N",
        y="value:Q",
        y_title="Change on a year earlier (%)",
        tooltip=["segment:N", "what:N", alt.Tooltip("value:Q", title="y/y (%)", format=".1f")],
    )
    desc = "Bar chart of sales changes in 2024Q1: " + "; ".join(
        f"{r.segment} {r.what.lower()} {r.value:+.1f}%" for r in d.itertuples()
    )
    return charts.finish(chart, source=sources.for_frame(d), description=desc)


def supply_indicators() -> alt.VConcatChart:
    """Horizontal bars: y/y change of supply-side and land indicators in 2024Q1."""
    su = h.load("housing_supply")
    la = h.load("housing_land")
    labels = {
        "res_investment": "Residential investment",
        "new_starts": "New starts (floor area)",
        "completions": "Completions (floor area)",
        "res_land_supplied": "100-city residential land supplied",
        "res_land_sold": "100-city residential land sold",
        "res_land_value": "100-city land sales value",
        "land_use_revenue": "National land-sale revenue",
    }
    d = pd.concat([su[su["measure"] == "yoy"], la[(la["measure"] == "yoy") & la["indicator"].isin(labels)]])
    d["what"] = d["indicator"].map(labels)
    d["group"] = d["indicator"].map(
        lambda i: "Construction" if i in ("res_investment", "new_starts", "completions") else "Land"
    )
    chart = (
        alt.Chart(d, title="Supply and land, 2024Q1: change on a year earlier")
        .mark_bar()
        .encode(
            y=charts.category_axis("what:N", label_limit=260, sort=list(labels.values())),
            x=alt.X("value:Q", title="Change on a year earlier (%)"),
            color=charts.legend_below("group:N"),
            tooltip=["what:N", alt.Tooltip("value:Q", title="y/y (%)", format=".1f")],
        )
    )
    desc = "Bar chart of 2024Q1 year-on-year changes: " + "; ".join(
        f"{r.what} {r.value:+.1f}%" for r in d.itertuples()
    )
    return charts.finish(chart, source=sources.for_frame(d), description=desc)


def inventory_by_tier() -> alt.VConcatChart:
    """Grouped bars: months to clear by tier, end-2023 and end-2024Q1."""
    t = h.inventory_table()
    d = t.melt(
        id_vars=["scope", "basis_2023end"],
        value_vars=["months_2023end", "months_2024q1"],
        var_name="when",
        value_name="months",
    )
    d["when"] = d["when"].map({"months_2023end": "End-2023", "months_2024q1": "End-2024Q1"})
    d["where"] = d["scope"].map(SCOPE_LABELS)
    inv = h.load("housing_inventory")
    chart = _grouped_bars(
        d,
        title="Months needed to sell the housing stock (去化周期)",
        x="where:N",
        order=[SCOPE_LABELS[s] for s in ("tier1", "tier2", "tier3", "14city")],
        group="when:N",
        y="months:Q",
        y_title="Months",
        tooltip=["where:N", "when:N", alt.Tooltip("months:Q", format=".1f")],
    )
    desc = "Bar chart of inventory clearance months: " + "; ".join(
        f"{r.where} {r.when} {r.months:.1f}" for r in d.itertuples()
    )
    src = (
        sources.for_frame(inv[inv["indicator"] == "clearance_months"])
        + ". Tier values at end-2023 = end-2024Q1 level minus the stated rise"
    )
    return charts.finish(chart, source=src, description=desc)


def rent_capitalisation(price_change_pct: float, rent_change_pct: float) -> alt.VConcatChart:
    """Two panels: capitalisation (years) and implied gross yield (%) by tier, incl. the scenario."""
    t = h.rent_capitalisation_table(price_change_pct, rent_change_pct)
    scen = f"Scenario (prices {price_change_pct:+g}%, rents {rent_change_pct:+g}%)"
    rows = []
    for r in t.itertuples():
        for when, cap, yld in (
            ("End-2023", r.cap_2023end, r.yield_2023end_pct),
            ("End-2024Q1", r.cap_2024q1, r.yield_2024q1_pct),
            (scen, r.cap_scenario, r.yield_scenario_pct),
        ):
            rows.append(dict(where=SCOPE_LABELS[r.scope], when=when, years=cap, yield_pct=yld))
    d = pd.DataFrame(rows)
    order = [SCOPE_LABELS[s] for s in ("tier1", "tier2_hot", "tier2_nonhot", "tier3")]
    enc = dict(
        x=alt.X("where:N", title=None, sort=order, axis=alt.Axis(labelAngle=0)),
        xOffset=alt.XOffset("when:N", sort=["End-2023", "End-2024Q1", scen]),
        color=charts.legend_below(
            "when:N", sort=["End-2023", "End-2024Q1", scen], legend={"labelLimit": 400}
        ),
    )
    caps = (
        alt.Chart(d, title="Rent capitalisation (租金资本化率): years of rent to pay for a home")
        .mark_bar()
        .encode(
            y=alt.Y("years:Q", title="Years"),
            tooltip=["where:N", "when:N", alt.Tooltip("years:Q", format=".1f")],
            **enc,
        )
        .properties(height=220, width=WIDE)
    )
    ylds = (
        alt.Chart(d, title="Implied gross rental yield")
        .mark_bar()
        .encode(
            y=alt.Y("yield_pct:Q", title="% a year"),
            tooltip=["where:N", "when:N", alt.Tooltip("yield_pct:Q", format=".2f")],
            **enc,
        )
        .properties(height=180, width=WIDE)
    )
    rc = h.load("housing_rent_capitalisation")
    desc = "Rent capitalisation and yield by tier: " + "; ".join(
        f"{r.where} {r.when} {r.years:.1f} years ({r.yield_pct:.2f}%)" for r in d.itertuples()
    )
    return charts.finish(
        alt.vconcat(caps, ylds),
        source=sources.for_frame(rc) + ". Yields and scenario computed",
        description=desc,
    )


def climate_index() -> alt.VConcatChart:
    """The 国房景气指数 readings against its bands (low < 95 ≤ moderate ≤ 105 < high)."""
    ci = h.load("housing_climate_index")
    lv = ci[ci["item"] == "level"].copy()
    lv["date"] = pd.to_datetime(lv["period_end"]) + pd.offsets.MonthEnd(0)
    mod = ci[ci["item"] == "band_moderate"].iloc[0]
    low, high = tables.as_printed(float(mod["value_low"])), tables.as_printed(float(mod["value_high"]))
    band = pd.DataFrame(
        {
            "low": [float(mod["value_low"])],
            "high": [float(mod["value_high"])],
            "label": [f"Moderate band ({low}–{high})"],
        }
    )
    dom = alt.Scale(domain=[88, 107], zero=False)
    rule = (
        alt.Chart(band)
        .mark_rect(opacity=0.15, color=charts.PALETTE[2])
        .encode(y=alt.Y("low:Q", scale=dom), y2="high:Q")
    )
    optimal = float(ci[ci["item"] == "band_optimal"].iloc[0]["value"])
    opt = (
        alt.Chart(pd.DataFrame({"y": [optimal]}))
        .mark_rule(strokeDash=[4, 3], color=charts.MUTED)
        .encode(y=alt.Y("y:Q", scale=dom))
    )
    pts = (
        alt.Chart(lv, title="National real-estate climate index (国房景气指数)")
        .mark_line(point=True)
        .encode(
            x=alt.X("date:T", title=None, axis=alt.Axis(format="%b %Y", values=lv["date"].tolist())),
            y=alt.Y("value:Q", title="Index", scale=dom),
            tooltip=[alt.Tooltip("period_end:N", title="month"), alt.Tooltip("value:Q", format=".2f")],
        )
    )
    desc = (
        "Climate index readings "
        + ", ".join(f"{r.period_end}: {r.value:.2f}" for r in lv.itertuples())
        + f", both below the moderate band of {low} to {high} (shaded); {tables.as_printed(optimal)} is the "
        "optimum (dashed)."
    )
    return charts.finish(
        (rule + opt + pts).properties(height=220), source=sources.for_frame(ci), description=desc
    )
