"""The housing feedback loop: hidden bad loans bring homes to market, prices fall, mortgages cross
the high-LTV line, more bad loans bring more homes.

* :func:`reach_market` — the calibration: homes at auction per CNY trn of home-secured bad loans;
* :func:`solve_feedback` — the loop closed (its fixed point, :func:`helpers.models.cycle.feedback_fixed_point`)
  for one hidden gap or an array of them.
"""

from __future__ import annotations

import numpy as np

from helpers.models import cycle as cm

from .book_assumptions import YEARS_TO_2027
from .policy_levers import absorption
from .retail_ltv_lookup import high_ltv_share_2027
from .source_figures import inputs


def reach_market() -> float:
    """Calibration: homes reaching auction per unit of home-secured bad loans disposed of.

    ``k = 12 × June 2025 auction supply / (s × D_2024)`` homes per CNY trn, with ``s`` the
    secured share; applied to new bad loans it assumes they bring collateral to market at the
    2024 pace. June was the year's high, so this leans to more homes, not fewer.
    """
    i = inputs()
    return 12 * i["auction_supply_month"] / (i["secured_share"] * i["disposals_2024_trn"])


def solve_feedback(sc: dict, levers: dict, feedback: bool, hidden: np.ndarray | float):
    """Extra fall and extra mortgage bad loans (CNY trn) for one or many hidden gaps."""
    i = inputs()
    base_total = cm.combine_falls(sc["price_decline"], sc["extra_decline_2027"])
    h0 = high_ltv_share_2027(base_total)

    def extra_mortgage(delta):
        h = high_ltv_share_2027(cm.combine_falls(base_total, delta))
        return sc["conversion"] * (np.asarray(h) - h0) * i["mortgage_book_trn"]

    if not feedback:
        z = np.zeros_like(np.asarray(hidden, dtype=float))
        return (float(z) if z.ndim == 0 else z), (float(z) if z.ndim == 0 else z), 0
    # homes per CNY trn of secured bad loans: k; expressed as loan per home 1/k with q = 1
    return cm.feedback_fixed_point(
        i["secured_share"] * np.asarray(hidden, dtype=float),
        1.0 / reach_market(),
        1.0,
        absorption(sc, levers),
        sc["response"],
        YEARS_TO_2027,
        sc["exposure_years"],
        extra_mortgage,
    )
