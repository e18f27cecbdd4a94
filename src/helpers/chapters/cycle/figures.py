"""Charts of the cycle chapter: each built from the package's tables and passed through
:func:`helpers.book.charts.finish` (source line and description)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from helpers.book import charts, sources

from .source_figures import D0, D1, D2, D3, coverage_floor

BOOK = "Model and assumptions: this book (see the assumptions table)"
WIDTH = 300
"""Plot width that fits a 390 px phone with its axis labels."""


def _source(pairs, extra: str = BOOK) -> str:
    """The sources' line, then the book's own part on a line of its own."""
    return sources.line(pairs) + " · " + extra


def stock_flow_chart(sf: pd.DataFrame, stock: float, gap: float) -> alt.VConcatChart:
    """Bars: the stock of bad loans, a year's disposals and new bad loans, the hidden gap (CNY trn)."""
    lo, hi = float(sf["new_npl"].min()), float(sf["new_npl"].max())
    rows = pd.DataFrame(
        {
            "what": [
                "Stock, Q3 2025",
                "Disposed of, 2024",
                "Newly bad 2024 (low)",
                "Newly bad 2024 (high)",
                "Hidden (outside estimate)",
            ],
            "trn": [stock, float(sf["disposals"].iloc[0]), lo, hi, gap],
            "kind": ["reported", "reported", "identity", "identity", "estimate"],
        }
    )
    bars = (
        alt.Chart(rows, title="Bad loans: a year's flow beats the stock")
        .mark_bar()
        .encode(
            x=alt.X("trn:Q", title="Trillion yuan"),
            y=charts.category_axis("what:N", label_limit=170),
            color=charts.legend_below("kind:N", sort=["reported", "identity", "estimate"]),
            tooltip=[alt.Tooltip("what:N", title=" "), alt.Tooltip("trn:Q", title="CNY trn", format=".2f")],
        )
        .properties(height=170, width=200)
    )
    return charts.finish(
        bars,
        source=_source([(D1, "para 2"), (D0, "zh para 2")]),
        description=(
            f"Bar chart in trillion yuan: bad-loan stock {stock:.1f}, disposals in 2024 "
            f"{float(sf['disposals'].iloc[0]):.1f}, new bad loans in 2024 implied by the stock-flow "
            f"identity {lo:.1f} to {hi:.1f}, hidden bad loans at the outside estimate {gap:.1f}."
        ),
    )


def frontier_chart(
    rows: pd.DataFrame,
    *,
    official_pct: float,
    default_hidden_pct: float,
    lgd: dict,
    default_response: float,
    responses: list[float],
    secured_share: float,
    homes_share_per_trn: dict,
    years_of_sales: float,
    yearly_cap: float,
    excess: float,
    provisions: float,
    earnings: float,
) -> alt.VConcatChart:
    """Losses against the hidden ratio, driven by sliders in the page (no kernel).

    ``rows`` holds the hidden gap (CNY trn) per hidden ratio; the browser applies the reader's
    loss-given-default λ, price response ε and policy switch with the formulas of
    :func:`helpers.chapters.cycle.loss_frontier.frontier_loss`: ``x = c·G`` (extra homes as a share of a
    year's sales), ``Δ = 1 - (1 - min(ε x, cap))^n``, loss ``= λ (1 - s) G + (1 - (1 - λ)(1 - Δ)) s G``.
    """
    hsel = alt.param(
        name="hsel",
        value=round(default_hidden_pct, 1),
        bind=alt.binding_range(
            min=float(rows["hidden_pct"].min()),
            max=float(rows["hidden_pct"].max()),
            step=0.1,
            name="Hidden NPL ratio (%) ",
        ),
    )
    lgd_p = alt.param(
        name="lgd",
        value=round(100 * lgd["default"], 1),
        bind=alt.binding_range(
            min=round(100 * lgd["low"], 1),
            max=round(100 * lgd["high"], 1),
            step=0.1,
            name="Loss given default (%) ",
        ),
    )
    eps = alt.param(
        name="eps",
        value=default_response,
        bind=alt.binding_range(
            min=min(responses),
            max=max(responses),
            step=responses[1] - responses[0],
            name="Price response (ε) ",
        ),
    )
    pol = alt.param(name="pol", value=False, bind=alt.binding_checkbox(name="Policy levers on "))
    c_off, c_on = float(homes_share_per_trn[False]), float(homes_share_per_trn[True])
    s = float(secured_share)
    yearly_cap, years_of_sales = float(yearly_cap), float(years_of_sales)
    excess, earnings, provisions = float(excess), float(earnings), float(provisions)
    base = (
        alt.Chart(rows)
        .transform_calculate(
            x=f"(pol ? {c_on!r} : {c_off!r}) * datum.gap_trn",
        )
        .transform_calculate(
            fall=f"1 - pow(1 - min(eps * datum.x, {yearly_cap!r}), {years_of_sales!r})",
        )
        .transform_calculate(
            loss=(
                f"lgd / 100 * {1 - s!r} * datum.gap_trn"
                f" + (1 - (1 - lgd / 100) * (1 - datum.fall)) * {s!r} * datum.gap_trn"
            ),
        )
        .transform_calculate(years=f"max(datum.loss - {excess!r}, 0) / {earnings!r}")
    )
    line = (
        base.mark_line()
        .encode(
            x=alt.X("hidden_pct:Q", title="Hidden NPL ratio (% of loans)", scale=alt.Scale(zero=False)),
            y=alt.Y("loss:Q", title="Losses (trillion yuan)", scale=alt.Scale(domain=[0, 12], clamp=True)),
            tooltip=[
                alt.Tooltip("hidden_pct:Q", title="hidden ratio (%)", format=".1f"),
                alt.Tooltip("loss:Q", title="losses (CNY trn)", format=".2f"),
                alt.Tooltip("years:Q", title="years of profit beyond the excess provisions", format=".1f"),
            ],
        )
        .add_params(hsel, lgd_p, eps, pol)
    )
    floor = coverage_floor()
    here = base.transform_filter("abs(datum.hidden_pct - hsel) < 0.001")
    dot = here.mark_point(size=90, filled=True, color=charts.PALETTE[1]).encode(x="hidden_pct:Q", y="loss:Q")
    say = here.transform_calculate(
        line1="'At ' + format(datum.hidden_pct, '.1f') + ' %: losses ' + format(datum.loss, '.1f') + ' trn yuan,'",
        line2=(
            "datum.years > 0 ? format(datum.years, '.1f') + ' years of profit beyond the excess provisions'"
            f" : 'inside the provisions above {floor} cover'"
        ),
    )
    text1 = say.mark_text(align="left", x=5, y=8, fontSize=12, fontWeight="bold").encode(text="line1:N")
    text2 = say.mark_text(align="left", x=5, y=24, fontSize=12).encode(text="line2:N")
    buffers = charts.reference_lines(
        [excess, excess + earnings, provisions],
        [f"Provisions above {floor} cover", "… plus one year of profit", "All provisions"],
        label_x=4,
        dy=-5,
        fontSize=11,
    )
    chart = alt.layer(
        line, *buffers, dot, text1, text2, title="Losses against the banks' buffers"
    ).properties(width=WIDTH)
    return charts.finish(
        chart,
        source=_source(
            [
                (D1, "para 2-3; 10-12; 16"),  # prose-lint: allow 12 16 (paragraph numbers of the locator)
                (D0, "zh para 1-2"),
                (D2, "§三.3; 图表6"),
                (D3, "§一(二); §二(一); §四(三)"),
            ]
        ),
        description=(
            "Interactive line chart: losses in trillion yuan against the hidden NPL ratio, for the "
            "loss given default, price response and policy switch chosen with the controls below it; "
            f"dashed lines mark provisions above {floor} cover, the same plus one year of profit, and "
            "all provisions. A sentence at the top states the losses at the chosen ratio."
        ),
    )


def fan_chart(fan: pd.DataFrame, excess: float, earnings: float, draws: int) -> alt.VConcatChart:
    """Fan chart of cumulative losses by year: 5–95 % and 25–75 % bands, the median line."""
    base = alt.Chart(fan, title="Cumulative losses, all assumptions drawn").encode(
        x=alt.X(
            "year:Q",
            title=None,
            axis=alt.Axis(format="d", tickMinStep=1),
            scale=alt.Scale(domain=[int(fan["year"].min()), int(fan["year"].max())]),
        )
    )
    outer = base.mark_area(opacity=0.25, color=charts.PALETTE[0]).encode(
        y=alt.Y("q05:Q", title="Trillion yuan"),
        y2="q95:Q",
        tooltip=[
            alt.Tooltip("year:Q", format="d"),
            alt.Tooltip("q05:Q", title="5th percentile", format=".2f"),
            alt.Tooltip("q95:Q", title="95th percentile", format=".2f"),
        ],
    )
    inner = base.mark_area(opacity=0.45, color=charts.PALETTE[0]).encode(y="q25:Q", y2="q75:Q")
    mid = base.mark_line(color=charts.PALETTE[0]).encode(
        y="q50:Q",
        tooltip=[alt.Tooltip("year:Q", format="d"), alt.Tooltip("q50:Q", title="median", format=".2f")],
    )
    floor = coverage_floor()
    buffers = charts.reference_lines(
        [excess, excess + earnings],
        [f"Provisions above {floor} cover", "… plus one year of profit"],
        color=charts.PALETTE[1],
        label_x=2,
        dx=4,
        dy=-5,
        fontSize=11,
    )
    chart = alt.layer(outer, inner, mid, *buffers).properties(width=WIDTH)
    lo, hi = fan.iloc[-1]["q05"], fan.iloc[-1]["q95"]
    return charts.finish(
        chart,
        source=_source(
            [(D1, "para 2-3"), (D0, "zh para 2"), (D2, "§三.3")],
            f"Simulation: this book, {draws:,} seeded draws (see the assumptions table)",
        ),
        description=(
            f"Fan chart of cumulative losses from hidden bad loans, by year: the median line, the "
            f"middle half and the 5th to 95th percentiles of {draws:,} draws. By the last year the "
            f"range runs from {lo:.1f} to {hi:.1f} trillion yuan; dashed lines mark provisions above "
            f"{floor} cover ({excess:.1f}) and those plus one year of profit ({excess + earnings:.1f})."
        ),
    )


def policy_chart(table: pd.DataFrame) -> alt.VConcatChart:
    """Bars: the feedback's extra price fall to 2027 with each lever, in the default and a harsher case."""
    order = list(table["levers"].drop_duplicates())
    bars = (
        alt.Chart(table, title="Policy levers: extra price fall by 2027")
        .mark_bar()
        .encode(
            x=alt.X("extra_fall_pct:Q", title="Extra price fall from the feedback (%)"),
            y=charts.category_axis("levers:N", label_limit=140, sort=order),
            color=charts.legend_below("case:N"),
            yOffset=alt.YOffset("case:N"),
            tooltip=[
                alt.Tooltip("levers:N", title="levers"),
                alt.Tooltip("case:N", title="case"),
                alt.Tooltip("extra_fall_pct:Q", title="extra fall (%)", format=".2f"),
                alt.Tooltip("loss_trn:Q", title="losses (CNY trn)", format=".2f"),
            ],
        )
        .properties(height=220, width=220)
    )
    return charts.finish(
        bars,
        source=_source([(D3, "§二(一); §四(三)"), (D0, "zh para 3")]),
        description=(
            "Bar chart: the extra house-price fall by 2027 that collateral sales add, with no policy, "
            "each lever alone (rate cut, interest subsidy, trade-in purchases) and all three, for the "
            "default assumptions and a harsher case."
        ),
    )
