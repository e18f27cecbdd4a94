"""The loss frontier: losses across hidden NPL ratios against the banks' buffers, and the data of
the page's slider chart.

* :func:`hidden_ratio_grid` and :func:`slider_grid` — bad loans on a grid of hidden ratios;
* :func:`break_even_ratio` — the hidden ratio at which losses use up a buffer;
* :func:`frontier_settings` and :func:`frontier_loss` — the slider chart's data and constants,
  and its in-browser loss formula in Python.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.models import cycle as cm

from .book_assumptions import YEARLY_FALL_CAP, YEARS_TO_2027, defaults
from .housing_feedback import reach_market, solve_feedback
from .policy_levers import POLICY_LEVERS, absorption
from .source_figures import inputs, loans_trn


def hidden_ratio_grid(low_pct: float = 1.5, top_pct: float = 10.0, step_pp: float = 0.1) -> np.ndarray:
    """Hidden ratios (fractions) from ``low_pct`` to ``top_pct`` every ``step_pp`` points; those at or
    below the official ratio leave no gap."""
    n = int(round((top_pct - low_pct) / step_pp)) + 1
    return np.round(low_pct + step_pp * np.arange(n), 6) / 100


RESPONSES = (0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0)
"""Price responses (ε) on the slider chart's grid."""


def slider_grid(responses=RESPONSES) -> pd.DataFrame:
    """Bad loans (CNY trn) on a grid of hidden ratio × price response × policy, other inputs at default.

    The page's slider chart multiplies by the reader's loss-given-default in the browser; every
    other number is computed here.
    """
    sc = defaults()
    i = inputs()
    book = loans_trn()
    hs = hidden_ratio_grid()
    gaps = cm.hidden_gap(book, i["official_ratio"], hs)
    rows = []
    for policy in (False, True):
        levers = {k: policy for k in POLICY_LEVERS}
        for eps in responses:
            delta, m, _ = solve_feedback({**sc, "response": eps}, levers, eps > 0, gaps)
            for h, g, dl, mm in zip(hs, gaps, np.broadcast_to(delta, hs.shape), np.broadcast_to(m, hs.shape)):
                sec = i["secured_share"] * g + mm
                rows.append(
                    {
                        "hidden_pct": round(100 * h, 4),
                        "response": eps,
                        "policy": policy,
                        "gap_trn": g,
                        "extra_mortgage_trn": mm,
                        "bad_trn": g + mm,
                        "unsecured_trn": g + mm - sec,
                        "secured_trn": sec,
                        "extra_fall": dl,
                    }
                )
    return pd.DataFrame(rows)


def break_even_ratio(buffer_trn: float, lgd: float) -> float:
    """Hidden ratio at which losses without feedback use up a buffer of ``buffer_trn`` CNY trn, at
    a loss-given-default ``lgd``: :func:`helpers.models.cycle.break_even_ratio`, ``r0 + B / (λ L)``
    on the official ratio and the loan book (fraction)."""
    return cm.break_even_ratio(inputs()["official_ratio"], buffer_trn, lgd, loans_trn())


def frontier_settings(result: dict) -> dict:
    """Data and constants of :func:`.figures.frontier_chart`; its sliders start at this run's settings.

    The chart computes the loss in the browser from the hidden gap with the same formulas as
    :func:`.scenario.run` (collateral homes, price fall, loss with collateral), other assumptions at the
    book's defaults. That is exact only while no mortgage cohort crosses the high-LTV line
    anywhere on the sliders' range; this is checked here on the whole grid, and a test compares
    the chart's formula with :func:`slider_grid`.
    """
    i = inputs()
    sc, d = result["params"], defaults()
    grid = slider_grid()
    if (grid["extra_mortgage_trn"] > 0).any():
        raise ValueError(
            "the slider chart's formula assumes no mortgage cohort crosses the high-LTV line on its "
            "range, but some do at the book's defaults: precompute the loop instead"
        )
    coef = {}
    for pol in (False, True):
        a = absorption(d, {k: pol for k in POLICY_LEVERS})
        coef[pol] = reach_market() * i["secured_share"] / (d["exposure_years"] * a)
    rows = grid[(grid["response"] == RESPONSES[0]) & (~grid["policy"])][["hidden_pct", "gap_trn"]]
    return {
        "rows": rows.round({"hidden_pct": 2, "gap_trn": 6}).reset_index(drop=True),
        "official_pct": 100 * i["official_ratio"],
        "default_hidden_pct": min(max(100 * sc["hidden_ratio"], 1.5), 10.0),
        "lgd": {
            "low": i["listing_discount"],
            "default": min(max(sc["lgd"], i["listing_discount"]), i["half_price"]),
            "high": i["half_price"],
        },
        "default_response": float(min(RESPONSES, key=lambda r: abs(r - sc["response"]))),
        "responses": list(RESPONSES),
        "secured_share": i["secured_share"],
        "homes_share_per_trn": coef,
        "years_of_sales": YEARS_TO_2027,
        "yearly_cap": YEARLY_FALL_CAP,
        "excess": result["excess_provisions_trn"],
        "provisions": result["provisions_trn"],
        "earnings": result["earnings_trn"],
    }


def frontier_loss(settings: dict, gap, lgd: float, response: float, policy: bool):
    """The slider chart's loss formula, in Python (the test holds the two equal):
    ``x = c·G``, ``Δ = 1 - (1 - min(ε x, cap))^n``, loss ``= λ (1 - s) G + (1 - (1 - λ)(1 - Δ)) s G``."""
    s = settings["secured_share"]
    x = settings["homes_share_per_trn"][policy] * np.asarray(gap, dtype=float)
    delta = 1 - (1 - np.minimum(response * x, settings["yearly_cap"])) ** settings["years_of_sales"]
    return lgd * (1 - s) * gap + (1 - (1 - lgd) * (1 - delta)) * s * gap
