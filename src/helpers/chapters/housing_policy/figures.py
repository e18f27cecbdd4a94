"""Charts for the housing-finance policy chapter (Altair; each passes through charts.finish)."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from helpers.book import charts, lookup, sources
from helpers.models.growth import cagr_pct
from helpers.models.loan_switch import gap_share

CATEGORY_LABELS = {
    "business_loans": "Business-loan credit",
    "purchase_restriction": "Purchase restrictions",
    "rates": "Mortgage rates",
    "financing_coordination": "Developer financing",
    "trade_in": "Housing trade-in",
    "provident_fund": "Provident fund",
    "proposal": "2025 proposals",
}


def timeline(events: pd.DataFrame) -> alt.VConcatChart:
    """Dot per dated event, one row per policy area; a bar where the source gives an end date."""
    ev = events.copy()
    ev["area"] = ev["category"].map(CATEGORY_LABELS)
    ev["date"] = pd.to_datetime(ev["date"])
    ev["end"] = pd.to_datetime(ev["date_end"].fillna(""), errors="coerce")
    ev["when"] = ev["date"].dt.strftime("%Y-%m-%d")
    ev.loc[ev["date_precision"] == "month", "when"] = ev["date"].dt.strftime("%Y-%m")
    ev["date"] = ev["date"].dt.strftime("%Y-%m-%d")
    ev["end"] = ev["end"].dt.strftime("%Y-%m-%d")
    order = [CATEGORY_LABELS[c] for c in CATEGORY_LABELS if c in set(events["category"])]
    base = alt.Chart(ev, title="Housing-finance policy, 2020 to 2025").encode(
        y=charts.category_axis("area:N", label_limit=200, sort=order),
        color=alt.Color("area:N", legend=None, sort=order),
    )
    spans = (
        base.transform_filter("datum.end != null")
        .mark_rule(strokeWidth=6, opacity=0.5)
        .encode(x="date:T", x2="end:T")
    )
    dots = base.mark_point(size=120, filled=True).encode(
        x=alt.X("date:T", title=None, axis=alt.Axis(format="%Y", tickCount="year")),
        tooltip=[
            alt.Tooltip("when:N", title="date"),
            alt.Tooltip("city_en:N", title="where"),
            alt.Tooltip("measure_en:N", title="what"),
        ],
    )
    chart = (spans + dots).properties(height=260, width=520)
    return charts.finish(
        chart,
        source=sources.for_frame(events),
        description=(
            f"Timeline of {len(ev)} housing-finance policy events from {ev['when'].min()} "
            f"to {ev['when'].max()}, grouped by policy area; each dot carries the event's details."
        ),
    )


def payment_calculator(
    rates: dict, principal: float, subsidy_pp: float, share: float, source_line: str
) -> alt.VConcatChart:
    """Interactive monthly-payment chart that works in a static page (Vega params, no kernel).

    A dropdown picks the mortgage rate (from ``rates``: label -> % a year), sliders set the
    interest subsidy (points) and the subsidised share of the loan; the lines show the
    equal-instalment payment for terms of 5-30 years with and without the subsidy. The
    formula in the Vega expressions is :func:`helpers.policy_mortgage.annuity_payment`.
    """
    labels = list(rates)
    values = [float(rates[k]) for k in labels]
    rate = alt.param(
        name="rate",
        value=values[0],
        bind=alt.binding_select(
            options=values, labels=[f"{k} ({v:.2f} %)" for k, v in rates.items()], name="Mortgage rate: "
        ),
    )
    sub = alt.param(
        name="subsidy",
        value=float(subsidy_pp),
        bind=alt.binding_range(min=0, max=3, step=0.05, name="Interest subsidy (points): "),
    )
    shr = alt.param(
        name="share",
        value=float(share),
        bind=alt.binding_range(min=0, max=1, step=0.05, name="Subsidised share of loan: "),
    )
    grid = pd.DataFrame({"years": np.arange(5, 31)})
    L = float(principal)
    pay = lambda r: (
        f"(({r}) <= 0 ? {L} / (12 * datum.years) : "  # noqa: E731  # prose-lint: allow 12 (months in a year)
        f"{L} * (({r}) / 1200) / (1 - pow(1 + ({r}) / 1200, -12 * datum.years)))"
    )
    net = "max(0, rate - subsidy)"
    chart = (
        alt.Chart(grid, title=f"Monthly payment on a {L:,.0f}-yuan equal-instalment mortgage")
        .transform_calculate(
            no_subsidy=pay("rate"),
            with_subsidy=f"share * {pay(net)} + (1 - share) * {pay('rate')}",
        )
        .transform_fold(["no_subsidy", "with_subsidy"], as_=["case", "payment"])
        .transform_calculate(
            case_label="datum.case == 'no_subsidy' ? 'without subsidy' : 'with subsidy'",
        )
        .mark_line(point=True)
        .encode(
            x=alt.X("years:Q", title="Loan term (years)", scale=alt.Scale(domain=[5, 30])),
            y=alt.Y("payment:Q", title="Monthly payment (yuan)", axis=alt.Axis(format=",.0f")),
            color=alt.Color("case_label:N", title=None, sort=["without subsidy", "with subsidy"]),
            strokeDash=alt.StrokeDash("case_label:N", legend=None, sort=["without subsidy", "with subsidy"]),
            tooltip=[
                alt.Tooltip("years:Q", title="term (years)"),
                alt.Tooltip("case_label:N", title="case"),
                alt.Tooltip("payment:Q", title="monthly payment (yuan)", format=",.0f"),
            ],
        )
        .add_params(rate, sub, shr)
        .properties(height=280)
    )
    return charts.finish(
        chart,
        source=source_line,
        description=(
            "Interactive line chart of the monthly payment on a mortgage by loan term, with and "
            "without an interest subsidy; a dropdown chooses the rate and sliders set the subsidy."
        ),
    )


def bank_npl(npl: pd.DataFrame) -> alt.VConcatChart:
    """24 sample banks' real-estate NPL ratio (what survives of 表1) and Bank of Guizhou's series."""
    ratios = npl[npl["measure"] == "npl_ratio"].copy()
    banks = f"{lookup.value('policy_indicators', 'count', indicator='bank_sample_size'):.0f}"
    names = {
        ("sample_24_banks", "min"): f"{banks} banks: lowest",
        ("sample_24_banks", "median"): f"{banks} banks: median",
        ("sample_24_banks", "mean"): f"{banks} banks: mean",
        ("sample_24_banks", "max"): f"{banks} banks: highest",
        ("commercial_banks", "mean"): "all commercial banks, all loans",
        ("bank_of_guizhou", "value"): "Bank of Guizhou",
    }
    ratios["series"] = [names[(e, s)] for e, s in zip(ratios["entity"], ratios["statistic"])]
    ratios["year"] = ratios["year"].astype(int)
    order = list(names.values())
    chart = (
        alt.Chart(ratios, title=f"Real-estate NPL ratios: {banks} sample banks and one outlier")
        .mark_line(point=alt.OverlayMarkDef(size=80))
        .encode(
            x=alt.X("year:O", title=None),
            y=alt.Y(
                "value:Q", title="NPL ratio (%, log scale)", scale=alt.Scale(type="log", domain=[0.05, 50])
            ),
            color=alt.Color("series:N", sort=order, title=None, legend=alt.Legend(labelLimit=260)),
            tooltip=["series:N", "year:O", alt.Tooltip("value:Q", title="NPL ratio (%)", format=".2f")],
        )
        .properties(height=300, width=360)
    )
    return charts.finish(
        chart,
        source=sources.for_frame(npl),
        description=(
            "Line chart on a log scale: Bank of Guizhou's real-estate NPL ratio 2019-2023 rising to "
            f"{ratios[ratios.series == 'Bank of Guizhou']['value'].iloc[-1]:.2f}%, against the {banks} sample "
            "banks' lowest, median, mean and highest ratio and the all-bank average."
        ),
    )


def business_loans(
    b0: float, b1: float, corp_cagr_pct: float, start_year: int = 2020, years: int = 4, source_line: str = ""
) -> alt.VConcatChart:
    """Household business loans: the two printed balances, the path at their CAGR, and at the corporate pace."""
    g = cagr_pct(b0, b1, years) / 100
    rows = []
    for k in range(years + 1):
        rows.append(
            {
                "year": f"{start_year + k}Q1",
                "series": "household business loans (path at their CAGR)",
                "balance": b0 * (1 + g) ** k,
            }
        )
        rows.append(
            {
                "year": f"{start_year + k}Q1",
                "series": "same start, growing at the corporate-loan CAGR",
                "balance": b0 * (1 + corp_cagr_pct / 100) ** k,
            }
        )
    path = pd.DataFrame(rows)
    printed = pd.DataFrame(
        {
            "year": [f"{start_year}Q1", f"{start_year + years}Q1"],
            "balance": [b0, b1],
            "series": "printed balance",
        }
    )
    lines = (
        alt.Chart(path)
        .mark_line(strokeDash=[4, 3])
        .encode(
            x=alt.X("year:O", title=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("balance:Q", title="Balance (trillion yuan)"),
            color=alt.Color("series:N", title=None, legend=alt.Legend(orient="bottom-right", labelLimit=320)),
            tooltip=["series:N", "year:O", alt.Tooltip("balance:Q", format=".1f")],
        )
    )
    dots = (
        alt.Chart(printed)
        .mark_point(size=140, filled=True, color="black")
        .encode(
            x="year:O", y="balance:Q", tooltip=["series:N", "year:O", alt.Tooltip("balance:Q", format=".1f")]
        )
    )
    labels = dots.mark_text(dy=-14, color="black").encode(text=alt.Text("balance:Q", format=".1f"))
    chart = (lines + dots + labels).properties(
        title="Household business loans doubled in four years", height=280, width=520
    )
    return charts.finish(
        chart,
        source=source_line,
        description=(
            f"Household business loans grew from {b0} to {b1} trillion yuan between {start_year}Q1 and "
            f"{start_year + years}Q1; a dashed line shows where they would be at the corporate-loan pace."
        ),
    )


def renewal_gap_curves(haircuts_pct, headroom_values, published: dict, source_line: str) -> alt.VConcatChart:
    """Refinancing gap per 100 yuan of renewing business loans, by house-price fall."""
    rows = []
    for h in haircuts_pct:
        for m in headroom_values:
            for f in range(0, 41):
                rows.append(
                    {
                        "price_fall": f,
                        "gap": 100 * gap_share(f / 100, h / 100, m),
                        "case": f"haircut {h:g} %, limit/loan {m:.3f}",
                    }
                )
    df = pd.DataFrame(rows)
    band = pd.DataFrame({"lo": [published["fall_low"]], "hi": [published["fall_high"]]})
    shade = alt.Chart(band).mark_rect(opacity=0.12, color="grey").encode(x="lo:Q", x2="hi:Q")
    lines = (
        alt.Chart(df)
        .mark_line()
        .encode(
            x=alt.X("price_fall:Q", title="House-price fall since the loan was made (%)"),
            y=alt.Y("gap:Q", title="Gap per 100 yuan renewing (yuan)"),
            color=alt.Color("case:N", title=None, legend=alt.Legend(orient="top-left", labelLimit=320)),
            tooltip=["case:N", "price_fall:Q", alt.Tooltip("gap:Q", format=".1f")],
        )
    )
    chart = (shade + lines).properties(
        title="What a price fall does to a balloon loan at renewal", height=280
    )
    return charts.finish(
        chart,
        source=source_line,
        description=(
            "Lines: cash a borrower must find per 100 yuan of business loan at renewal, rising with the "
            f"house-price fall, for several haircuts; the shaded band is the source's "
            f"{published['fall_low']:.0f}-{published['fall_high']:.0f} % scenario."
        ),
    )


def ltv_cities(ltv: pd.DataFrame) -> alt.VConcatChart:
    """LTV of new second-hand home loans in 12 cities, sorted."""
    chart = (
        alt.Chart(ltv, title="Loan-to-value of new second-hand home loans, end-2024Q1")
        .mark_bar()
        .encode(
            x=alt.X("ltv:Q", title="Average LTV (%)", scale=alt.Scale(domain=[0, 100])),
            y=alt.Y("city_en:N", sort="-x", title=None),
            color=alt.Color("tier_as_grouped:N", title="as grouped in the source"),
            tooltip=["city_en:N", "city_zh:N", "ltv:Q"],
        )
        .properties(height=280)
    )
    return charts.finish(
        chart,
        source=sources.for_frame(ltv),
        description=f"Bar chart of 12 cities' average LTV, from {ltv.ltv.min():.0f}% to {ltv.ltv.max():.0f}%.",
    )
