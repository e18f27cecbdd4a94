"""Stock and flow of bad loans: the identity ``N = ΔS + D`` on the sources' figures, and the
projection of the stock while the hidden bad loans are recognised."""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.models import cycle as cm

from .book_assumptions import START_YEAR, STOCK_RISE_QUARTERS_2024
from .source_figures import inputs, loans_trn


def stock_flow() -> pd.DataFrame:
    """The identity ``N = ΔS + D`` on what the sources give (CNY trn and % of loans).

    2024: disposals as printed; the stock's change in 2024 is not printed, so it is bounded by
    zero and :data:`.book_assumptions.STOCK_RISE_QUARTERS_2024` times the rise of Q3 2025 (a book
    assumption). Q3 2025: the stock and its
    quarterly change as printed; that quarter's disposals are not given.
    """
    i = inputs()
    book = loans_trn()
    d24 = i["disposals_2024_trn"]
    q = i["stock_change_q3_trn"]
    rows = []
    k = STOCK_RISE_QUARTERS_2024
    for label, ds in (("2024, stock unchanged", 0.0), (f"2024, stock up {k} × the Q3 2025 rise", k * q)):
        s1 = i["stock_trn"]
        s0 = s1 - ds
        n = cm.new_npl_from_stocks(s0, s1, d24)
        rows.append(
            {
                "case": label,
                "stock_start": s0,
                "new_npl": n,
                "disposals": d24,
                "stock_end": s1,
                "residual": cm.identity_residual(s0, n, d24, s1),
                "new_pct_loans": 100 * n / book,
                "disposals_pct_loans": 100 * d24 / book,
            }
        )
    return pd.DataFrame(rows)


def projection(sc: dict, total_new: float) -> pd.DataFrame:
    """Stock, ratio and identity residual by year when the hidden loans are recognised.

    Each year brings the 2024 pace of new bad loans (disposals with an unchanged stock) plus an
    even share of ``total_new`` over the exposure years; disposals stay at the 2024 level.
    ``S_t = S_{t-1} + N_t - D_t``, checked year by year with :func:`helpers.models.cycle.identity_residual`.
    """
    i = inputs()
    years = np.arange(START_YEAR, START_YEAR + 8)
    t = np.arange(1, len(years) + 1)
    extra = np.diff(cm.exposure_path(total_new, sc["exposure_years"], np.r_[0, t]))
    new = i["disposals_2024_trn"] + extra
    disp = np.full_like(new, i["disposals_2024_trn"])
    stocks = cm.roll_stock(i["stock_trn"], new, disp)
    starts = np.r_[i["stock_trn"], stocks[:-1]]
    resid = cm.identity_residual(starts, new, disp, stocks)
    return pd.DataFrame(
        {
            "year": years,
            "stock_start": starts,
            "new_npl": new,
            "disposals": disp,
            "stock_end": stocks,
            "residual": resid,
            "ratio_pct": 100 * stocks / loans_trn(),
        }
    )
