"""Housing-finance policy chapter: growth arithmetic, the trade-in rent model, ledger checks.

Mortgage maths is in :mod:`helpers.policy_mortgage`, the business-loan switch in
:mod:`helpers.policy_switch`, the charts in :mod:`helpers.policy_charts`. Everything here is
pure except the ``table``/``indicator`` loaders and :func:`ledger_checks`, which read ``data/``
through :func:`helpers.data.load`.
"""

from __future__ import annotations

import pandas as pd

from helpers.book import data, lookup, units
from helpers.models.loan_switch import gap_share, solve_two_point

CHAPTER = "policy"
SOURCE_NIFD = "003_dc4f0dbeb2c2a3ea.txt"
RENT_CAP_TABLE = "housing_rent_capitalisation"  # owned by the housing chapter, read-only here


# --------------------------------------------------------------------------- data access
def table(name: str) -> pd.DataFrame:
    """A validated ``policy_*`` (or other) table from ``data/``."""
    return data.load(name)


def indicators() -> pd.DataFrame:
    """``policy_indicators`` indexed by indicator code."""
    return table("policy_indicators").set_index("indicator")


def value(ind: pd.DataFrame, code: str, field: str = "value") -> float:
    """One figure from :func:`indicators` (``field`` = value, value_low or value_high), through
    :func:`helpers.book.lookup.in_unit` (no unit conversion)."""
    return lookup.in_unit(ind.loc[code], None, field)


def rent_capitalisation(period: str = "2024-03") -> pd.DataFrame:
    """Rent capitalisation (years of rent per home price) by tier from the housing chapter's table.

    Falls back to an empty frame if that table is not in the data package, in which case the
    chapter uses the ~2 % yield stated in the policy section itself.
    """
    try:
        rc = data.load(RENT_CAP_TABLE)
    except data.DataError:
        return pd.DataFrame(columns=["scope", "value", "unit"])
    return rc[rc["period"] == period][
        ["scope", "n_cities", "value", "unit", "source", "locator"]
    ].reset_index(drop=True)


# --------------------------------------------------------------------------- the 2024 renewal-gap estimate
def renewal_gap_scenarios(
    gap_low: float, gap_high: float, fall_low: float, fall_high: float, haircuts=(0.0, 0.05, 0.10)
) -> pd.DataFrame:
    """Which renewing balance each end of the published gap range needs, for several haircuts.

    For each haircut ``h`` and each end ``(f, g)``: ``B = g / (1 - (1 - f)(1 - h))`` (loans at
    the renewal limit before the fall). Plus the single (balance, headroom) pair that fits both
    ends at once (:func:`helpers.policy_switch.solve_two_point`).
    """
    rows = []
    for h in haircuts:
        for f, gp in ((fall_low, gap_low), (fall_high, gap_high)):
            rows.append(
                {
                    "haircut_pct": 100 * h,
                    "price_fall_pct": 100 * f,
                    "gap": gp,
                    "gap_share_pct": 100 * gap_share(f, h),
                    "renewing_balance": gp / gap_share(f, h),
                }
            )
    two = solve_two_point(gap_low, fall_low, gap_high, fall_high)
    rows.append(
        {
            "haircut_pct": float("nan"),
            "price_fall_pct": float("nan"),
            "gap": float("nan"),
            "gap_share_pct": float("nan"),
            "renewing_balance": two["renewing_balance"],
            "headroom": two["headroom"],
        }
    )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- chapter tables
def named_rates(ind: pd.DataFrame) -> dict:
    """Mortgage rates the chapter compares (% a year), from the data; end-2023 averages are
    the 2024Q1 averages minus their printed change (``rate - change_bp / 100``)."""
    bp_to_pp = units.factor("bp", "pp")
    return {
        "first home, average 2024Q1": value(ind, "mortgage_rate_first_avg"),
        "first home, average end-2023": value(ind, "mortgage_rate_first_avg")
        - value(ind, "mortgage_rate_first_change") * bp_to_pp,
        "first home, lowest city 2024Q1": value(ind, "mortgage_rate_first_min"),
        "provident-fund loan": value(ind, "provident_fund_rate"),
        "5-year LPR": value(ind, "lpr_5y"),
        "second home, average 2024Q1": value(ind, "mortgage_rate_second_avg"),
        "second home, average end-2023": value(ind, "mortgage_rate_second_avg")
        - value(ind, "mortgage_rate_second_change") * bp_to_pp,
    }


def rate_payment_table(rates: dict, principal: float, years: float) -> pd.DataFrame:
    """Monthly payment and total interest per named rate (both repayment methods)."""
    from helpers.models.payments import payment_table

    return pd.DataFrame(payment_table(principal, years, rates))


def subsidy_summary(
    rate_pct: float, principal: float, years: float, subsidy_pp: float, share: float, subsidy_years: float
) -> dict:
    """Payment with and without a first-home interest subsidy, and its budget cost per 1 trn of loans.

    ``cost_first_year`` and ``cost_total`` are in 亿元 (CNY_100m) per 1 万亿元 (CNY_trn) of new
    loans: :func:`helpers.policy_mortgage.subsidy_budget_cost` on a 1-trn cohort, converted.
    """
    from helpers.models.payments import annuity_payment, subsidised_payment, subsidy_budget_cost

    before = annuity_payment(principal, rate_pct, years)
    after = subsidised_payment(principal, rate_pct, years, subsidy_pp, share)
    per_trn = lambda yrs: units.convert(
        subsidy_budget_cost(1.0, rate_pct, years, subsidy_pp, share, yrs), "CNY_trn", "CNY_100m"
    )  # noqa: E731
    return {
        "payment_before": before,
        "payment_after": after,
        "saving": before - after,
        "saving_pct": 100 * (before - after) / before,
        "cost_first_year": per_trn(1),
        "cost_total": per_trn(subsidy_years),
    }


def tradein_comparison(
    models: pd.DataFrame, ind: pd.DataFrame, tradein: pd.DataFrame, lease_years: float
) -> pd.DataFrame:
    """The four trade-in models side by side, with what the numbers say (one sentence each)."""
    src = tradein.iloc[0]
    col = f"{lease_years:g}y_share_pct"
    disc = f"{lease_years:g}y_share_disc_pct"
    lo = tradein[col].iloc[1:].min() if len(tradein) > 1 else src[col]
    hi = tradein[col].iloc[1:].max() if len(tradein) > 1 else src[col]
    numbers = {
        1: (
            f"Only a {value(ind, 'tradein_m1_window', 'value_low'):g}-{value(ind, 'tradein_m1_window', 'value_high'):g} "
            "month window; nothing is bought, so the sale risk stays with the household."
        ),
        2: (
            f"Zhengzhou plans {value(ind, 'tradein_m2_zhengzhou_year'):,.0f} homes a year "
            f"({value(ind, 'tradein_m2_zhengzhou_pilot'):,.0f} in the pilot); every home bought is a loan on a "
            "local-government balance sheet."
        ),
        3: (
            f"Yangzhou's deed-tax refund is at most {value(ind, 'tradein_m3_yangzhou_deed_tax'):g} % of the price; "
            f"Shenyang pays {value(ind, 'tradein_m3_shenyang_subsidy'):g} yuan per m2: small next to the price."
        ),
        4: (
            f"{lease_years:g} years of rent prepay {src[col]:.0f} % of the old home's price at a "
            f"{src['yield_pct']:g} % yield ({lo:.0f}-{hi:.0f} % across the rent-capitalisation tiers), "
            f"{src[disc]:.0f} % once discounted: a down payment, not a new home."
        ),
    }
    out = models[
        ["model", "name_en", "name_zh", "who_takes_old_home", "risk_bearer", "source_judgement_en"]
    ].copy()
    out["what the numbers say"] = out["model"].map(numbers)
    return out.rename(
        columns={
            "name_en": "model name",
            "name_zh": "Chinese",
            "who_takes_old_home": "who takes the old home",
            "risk_bearer": "who bears the risk",
            "source_judgement_en": "the source's verdict",
        }
    )
