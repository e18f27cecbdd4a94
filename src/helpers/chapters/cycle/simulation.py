"""The Monte Carlo: the uncertain assumptions drawn from their ranges (seeded, vectorised), and
what the page shows of the draws (exceedance probabilities, the fan of cumulative losses)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.book import checks
from helpers.models import cycle as cm

from .book_assumptions import START_YEAR, YEARS_TO_2027, assumptions, defaults
from .housing_feedback import reach_market
from .policy_levers import POLICY_LEVERS, absorption
from .retail_ltv_lookup import high_ltv_share_2027
from .source_figures import coverage_floor, inputs, loans_trn


def monte_carlo(
    draws: int = 10_000,
    seed: int = 20251129,
    levers: dict | None = None,
    feedback: bool = True,
    shifts: dict | None = None,
) -> dict:
    """Draw the uncertain assumptions from their ranges and run the loop for every draw at once.

    Uniform draws on each range, except the loss-given-default: triangular on its range,
    peaking at the final auction discount. ``shifts`` adds a fixed amount to a drawn assumption
    after the draw (the same draws, moved: for sensitivity and for the tests). Returns the draws
    and results as arrays.
    """
    if isinstance(draws, bool) or not isinstance(draws, (int, np.integer)) or draws < 1:
        raise ValueError(f"draws must be a positive integer, got {draws!r}")
    rng = np.random.default_rng(seed)
    sc = defaults()
    levers = {k: bool((levers or {}).get(k, False)) for k in POLICY_LEVERS}
    i = inputs()
    book = loans_trn()
    a = {x.name: x for x in assumptions()}
    d = {}
    for name in (
        "hidden_ratio",
        "response",
        "conversion",
        "price_decline",
        "extra_decline_2027",
        "exposure_years",
        "loan_share_of_assets",
    ):
        d[name] = rng.uniform(a[name].low, a[name].high, draws)
    d["lgd"] = cm.triangular(rng, a["lgd"].low, a["lgd"].default, a["lgd"].high, draws)
    for name, amount in (shifts or {}).items():
        if name not in d:
            raise ValueError(f"shifts: {name!r} is not a drawn assumption; drawn: {sorted(d)}")
        d[name] = d[name] + checks.number(f"shifts[{name!r}]", amount)
    gap = cm.hidden_gap(book, i["official_ratio"], d["hidden_ratio"])
    base_total = cm.combine_falls(d["price_decline"], d["extra_decline_2027"])
    h0 = high_ltv_share_2027(base_total)

    def extra_mortgage(delta):
        return (
            d["conversion"]
            * (high_ltv_share_2027(cm.combine_falls(base_total, delta)) - h0)
            * i["mortgage_book_trn"]
        )

    if feedback:
        delta, m, rounds = cm.feedback_fixed_point(
            i["secured_share"] * gap,
            1.0 / reach_market(),
            1.0,
            absorption(sc, levers),
            d["response"],
            YEARS_TO_2027,
            d["exposure_years"],
            extra_mortgage,
        )
    else:
        delta, m, rounds = np.zeros(draws), np.zeros(draws), 0
    secured = i["secured_share"] * gap + m
    losses = cm.loss_with_collateral(gap + m - secured, secured, d["lgd"], delta)
    earn = cm.yearly_earnings(i["roa"], book, d["loan_share_of_assets"])
    years = np.arange(0, 9)
    path = cm.exposure_path(losses, d["exposure_years"], years)
    return {
        "draws": d,
        "gap": gap,
        "extra_fall": delta,
        "extra_mortgage": m,
        "loss": losses,
        "earnings": earn,
        "years": START_YEAR - 1 + years,
        "path": path,
        "rounds": rounds,
        "excess": i["excess_provisions_trn"],
        "provisions": cm.provisions(i["stock_trn"], i["coverage"]),
    }


def exceedance(mc: dict) -> pd.DataFrame:
    """Probability that losses exceed each buffer (share of draws, %)."""
    loss, earn = mc["loss"], mc["earnings"]
    ex, prov = mc["excess"], mc["provisions"]
    rows = [
        (f"Provisions above {coverage_floor()} cover", loss > ex),
        ("Those, plus one year of profit", loss > ex + earn),
        ("Those, plus three years of profit", loss > ex + 3 * earn),
        ("All provisions", loss > prov),
        (
            "All provisions, plus the profit of the recognition years",
            loss > prov + earn * mc["draws"]["exposure_years"],
        ),
    ]
    return pd.DataFrame(
        {"Losses exceed": [r[0] for r in rows], "Probability (%)": [100 * float(np.mean(r[1])) for r in rows]}
    ).set_index("Losses exceed")


def fan(mc: dict, quantiles=(0.05, 0.25, 0.5, 0.75, 0.95)) -> pd.DataFrame:
    """Quantiles of cumulative losses by year (CNY trn), one row per year."""
    q = np.quantile(mc["path"], quantiles, axis=0)
    out = pd.DataFrame({"year": mc["years"]})
    for qq, row in zip(quantiles, q):
        out[f"q{int(round(qq * 100)):02d}"] = row
    return out
