"""Charts for the disposals chapter, each finished with its source line and a text description.

Every number drawn comes from :mod:`helpers.disposals` (which loads ``data/``); this module only
shapes it for Altair and passes the chart through :func:`helpers.charts.finish`.
"""

from __future__ import annotations

import datetime as _dt

import altair as alt
import pandas as pd

from helpers.book import charts, data, sources
from helpers.chapters import npl_disposals as m


def _pairs(table: str, **where) -> list[tuple[str, str]]:
    """(source, locator) pairs of the rows of ``table`` matching ``where`` (for the source line)."""
    t = data.load(table)
    for col, val in where.items():
        t = t[t[col] == val]
    return list(dict.fromkeys(zip(t["source"], t["locator"])))


def disposals_frame() -> pd.DataFrame:
    """Bars for 2020-2024 as the sources state them: floors, the 2024 figure, the implied 2023 level.

    ``role`` is ``floor``, ``stated`` or ``implied``; ``kind`` is the legend label.
    """
    b = m.disposal_bounds()
    floor_kind = f"stated only as 'above {b['floor']:.0f} trn'"
    rows = [
        {"year": str(y), "value": b["floor"], "role": "floor", "kind": floor_kind} for y in range(2020, 2024)
    ]
    rows.append(
        {"year": "2024", "value": b["latest"], "role": "stated", "kind": f"stated: {b['latest']:.1f} trn"}
    )
    rows.append(
        {
            "year": "2023",
            "value": b["implied_2023"],
            "role": "implied",
            "kind": f"implied by {b['latest']:.1f} trn and +{b['growth_pct']:.0f} %",
        }
    )
    return pd.DataFrame(rows)


def disposals_chart() -> alt.VConcatChart:
    """Disposal volumes by year: floors as pale bars, the 2024 figure, the 2023 level the growth implies."""
    df = disposals_frame()
    b = m.disposal_bounds()
    base = alt.Chart(df, title="Bank NPL disposals, 2020-2024, as the sources state them")
    bars = (
        base.transform_filter(alt.datum.role != "implied")
        .mark_bar()
        .encode(
            x=alt.X("year:O", title=None),
            y=alt.Y("value:Q", title="CNY trillion", scale=alt.Scale(domain=[0, 4.2])),
            color=charts.legend_below("kind:N", legend={"columns": 1}),
            opacity=alt.condition(alt.datum.role == "stated", alt.value(1.0), alt.value(0.35)),
            tooltip=["year:O", alt.Tooltip("value:Q", format=".2f", title="CNY trn"), "kind:N"],
        )
    )
    implied = (
        base.transform_filter(alt.datum.role == "implied")
        .mark_point(shape="diamond", size=260, filled=True, opacity=1)
        .encode(
            x="year:O",
            y="value:Q",
            color=alt.Color("kind:N", title=None),
            tooltip=["year:O", alt.Tooltip("value:Q", format=".2f", title="CNY trn"), "kind:N"],
        )
    )
    rule = alt.Chart(pd.DataFrame({"floor": [b["floor"]]})).mark_rule(strokeDash=[4, 3]).encode(y="floor:Q")
    pairs = _pairs("npl_disposals", indicator="disposals") + _pairs(
        "npl_disposals", indicator="disposals_growth_yoy", relation="approx"
    )
    return charts.finish(
        (bars + implied + rule).properties(width=420, height=260),
        source=sources.line(pairs),
        description=(
            f"Bar chart of bank NPL disposals. 2020 to 2023 are shown at the stated floor of "
            f"{b['floor']:.0f} trillion yuan (the sources give no yearly values); 2024 is "
            f"{b['latest']:.1f} trillion. A diamond marks {b['implied_2023']:.2f} trillion, the 2023 "
            f"level implied by {b['latest']:.1f} trillion and {b['growth_pct']:.0f} % growth, which lies below "
            "the floor."
        ),
    )


def homes_frame() -> pd.DataFrame:
    """Named institutions' homes, the ~70,000 total and Shanghai's 2024 new-home sales, in homes."""
    hs = m.home_sales()
    s = m.scale_summary()
    rows = [
        {
            "label": f"{r.institution_en.split(' (')[0]} ({r.institution_zh})",
            "homes": r.homes,
            "group": "named institution",
            "figure": r.figure,
        }
        for r in hs.itertuples()
    ]
    rows.append(
        {
            "label": f"All sellers (at least {s['institutions']:.0f} institutions)",
            "homes": s["total_homes"],
            "group": "total",
            "figure": f"about {s['total_homes']:,.0f}",
        }
    )
    rows.append(
        {
            "label": "Shanghai new-home sales, 2024",
            "homes": s["shanghai_sales"],
            "group": "benchmark",
            "figure": f"about {s['shanghai_sales']:,.0f}",
        }
    )
    return pd.DataFrame(rows)


def homes_chart() -> alt.VConcatChart:
    """Horizontal bars: homes put up by each named institution, the total, and Shanghai's sales."""
    df = homes_frame()
    chart = (
        alt.Chart(df, title="Homes put up by banks, by institution, against Shanghai's 2024 sales")
        .mark_bar()
        .encode(
            x=alt.X("homes:Q", title="Homes (lower end of the stated figure)", axis=alt.Axis(format=",.0f")),
            y=charts.category_axis("label:N", label_limit=360),
            color=charts.legend_below("group:N"),
            tooltip=[
                "label:N",
                alt.Tooltip("figure:N", title="as stated"),
                alt.Tooltip("homes:Q", format=",.0f"),
            ],
        )
        .properties(height=260)
    )
    pairs = [p for p in _pairs("npl_bank_home_sales") if p] + _pairs(
        "npl_market_context", indicator="shanghai_new_home_sales"
    )
    s = m.scale_summary()
    return charts.finish(
        chart,
        source=sources.line(pairs),
        description=(
            f"Horizontal bar chart. About {s['total_homes']:,.0f} homes put up by at least "
            f"{s['institutions']:.0f} institutions, against about {s['shanghai_sales']:,.0f} new homes sold "
            f"in Shanghai in 2024. The largest named seller, Sichuan Rural Credit, accounts for about "
            f"{s['top_share_pct']:.0f} % of the total; the {s['named_count']} institutions with figures "
            f"account for {s['named_share_pct']:.0f} %."
        ),
    )


def hidden_npl_chart(test_ratio_pct: float) -> alt.VConcatChart:
    """Bars: NPL balance (CNY trn) at the official ratio, the JRI estimate and the tested ratio."""
    df = m.hidden_npl(test_ratio_pct)
    df["label"] = [f"{s}: {r:.2f} %" for s, r in zip(df["scenario"], df["ratio_pct"])]
    chart = (
        alt.Chart(df, title="Bad loans on the same loan book at three NPL ratios")
        .mark_bar()
        .encode(
            x=alt.X("npl_trn:Q", title="NPL balance, CNY trillion"),
            y=charts.category_axis("label:N", label_limit=240),
            color=alt.Color("scenario:N", legend=None),
            tooltip=[
                "scenario:N",
                alt.Tooltip("ratio_pct:Q", format=".2f", title="ratio (%)"),
                alt.Tooltip("npl_trn:Q", format=",.1f", title="NPL (CNY trn)"),
                alt.Tooltip("gap_trn:Q", format=",.1f", title="above official (CNY trn)"),
            ],
        )
        .properties(height=140)
    )
    pairs = _pairs("npl_banking_system", indicator="npl_balance") + _pairs(
        "npl_banking_system", indicator="npl_ratio"
    )
    o, j = df.iloc[0], df.iloc[1]
    return charts.finish(
        chart,
        source=sources.line(pairs),
        description=(
            f"Bar chart of NPL balances on a loan book of {o['loans_trn']:,.0f} trillion yuan: "
            f"{o['npl_trn']:.1f} trillion at the official {o['ratio_pct']:.2f} %, {j['npl_trn']:.1f} "
            f"trillion at the Japan Research Institute's {j['ratio_pct']:.1f} %, and "
            f"{df.iloc[2]['npl_trn']:.1f} trillion at the tested {df.iloc[2]['ratio_pct']:.2f} %."
        ),
    )


def pace_chart(to: _dt.date) -> alt.VConcatChart:
    """Bars: four-year average announcements per year, 2025 to 14 Nov, and 2025 pro-rated to ``to``."""
    a = m.announcement_pace(to)
    df = pd.DataFrame(
        [
            {"label": "Average per year, previous four years", "count": a["average"], "kind": "stated"},
            {"label": f"2025 to {a['as_of']:%d %b}", "count": a["count"], "kind": "stated"},
            {"label": f"2025 pro-rated to {to:%d %b}", "count": a["projected"], "kind": "our pro-rating"},
        ]
    )
    chart = (
        alt.Chart(df, title="NPL-transfer announcements: 2025 against the recent average")
        .mark_bar()
        .encode(
            x=alt.X("count:Q", title="Announcements"),
            y=charts.category_axis("label:N", label_limit=320),
            color=charts.legend_below("kind:N"),
            tooltip=["label:N", alt.Tooltip("count:Q", format=",.0f"), "kind:N"],
        )
        .properties(height=140)
    )
    return charts.finish(
        chart,
        source=sources.line(
            _pairs("npl_transfers", indicator="announcements_ytd")
            + _pairs("npl_transfers", indicator="announcements_avg_4y"),
            suffix="Pro-rating ours",
        ),
        description=(
            f"Bar chart: about {a['average']:.0f} announcements per year on average over four years, "
            f"{a['count']:.0f} in 2025 to {a['as_of']:%d %B}, and {a['projected']:.0f} if that pace "
            f"continued to {to:%d %B}."
        ),
    )


def guangzhou_chart() -> alt.VConcatChart:
    """Bars: the Guangzhou flat's starting price against its implied market value, with the discounts."""
    g = m.guangzhou_auction()
    df = pd.DataFrame(
        [
            {"label": "Implied market value", "yuan": g["market_value"]},
            {"label": "Starting price", "yuan": g["starting_price"]},
            {
                "label": f"Price at the claimed 'over {g['claimed_discount_pct']:.0f} %' discount",
                "yuan": g["market_value"] * (1 - g["claimed_discount_pct"] / 100),
            },
        ]
    )
    chart = (
        alt.Chart(df, title="The Guangzhou auction: the stated prices against the stated discount")
        .mark_bar()
        .encode(
            x=alt.X("yuan:Q", title="Yuan", axis=alt.Axis(format=",.0f")),
            y=charts.category_axis("label:N", label_limit=320),
            color=alt.Color("label:N", legend=None),
            tooltip=["label:N", alt.Tooltip("yuan:Q", format=",.0f")],
        )
        .properties(height=130)
    )
    return charts.finish(
        chart,
        source=sources.line(
            _pairs("npl_collateral_examples", example_id="guangzhou_auction"), suffix="Discount ours"
        ),
        description=(
            f"Bar chart: market value about {g['market_value']:,.0f} yuan, starting price about "
            f"{g['starting_price']:,.0f} yuan (a {g['discount_pct']:.0f} % discount), and the "
            f"{g['market_value'] * (1 - g['claimed_discount_pct'] / 100):,.0f} yuan a "
            f"{g['claimed_discount_pct']:.0f} % discount would mean."
        ),
    )
