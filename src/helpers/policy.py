"""Housing-finance policy chapter: growth arithmetic, the trade-in rent model, ledger checks.

Mortgage maths is in :mod:`helpers.policy_mortgage`, the business-loan switch in
:mod:`helpers.policy_switch`, the charts in :mod:`helpers.policy_charts`. Everything here is
pure except the ``table``/``indicator`` loaders and :func:`ledger_checks`, which read ``data/``
through :func:`helpers.data.load`.
"""

from __future__ import annotations

import math

import pandas as pd

from . import data, units
from .checks import non_negative, positive
from .ledger import Check, checker
from .policy_switch import gap_share, solve_two_point

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
    """One figure from :func:`indicators` (``field`` = value, value_low or value_high)."""
    v = ind.at[code, field]
    if v is None or (isinstance(v, float) and math.isnan(v)):
        raise KeyError(f"policy_indicators: {code!r} has no {field}")
    return float(v)


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


# --------------------------------------------------------------------------- growth arithmetic
def growth_pct(start: float, end: float) -> float:
    """Percentage change: ``(end / start - 1) * 100``."""
    start = positive("start", start)
    end = non_negative("end", end)
    return (end / start - 1.0) * 100.0


def cagr_pct(start: float, end: float, years: float) -> float:
    """Compound annual growth rate in %: ``((end / start) ** (1 / years) - 1) * 100``."""
    start = positive("start", start)
    end = non_negative("end", end)
    years = positive("years", years)
    return ((end / start) ** (1.0 / years) - 1.0) * 100.0


def cagr_from_total_pct(total_growth_pct: float, years: float) -> float:
    """CAGR in % implied by total growth over ``years``: ``((1 + g/100) ** (1/years) - 1) * 100``."""
    if total_growth_pct <= -100:
        raise ValueError(f"total_growth_pct must exceed -100, got {total_growth_pct!r}")
    years = positive("years", years)
    return ((1.0 + total_growth_pct / 100.0) ** (1.0 / years) - 1.0) * 100.0


def growth_from_increase_pct(end: float, increase: float) -> float:
    """Growth over a period from the end balance and the increase: ``increase / (end - increase) * 100``.

    Both in the same money unit (convert first).
    """
    end = positive("end", end)
    if increase >= end:
        raise ValueError(f"increase ({increase}) must be smaller than the end balance ({end})")
    return increase / (end - increase) * 100.0


def growth_interval_pct(
    start: float, end: float, half_unit_start: float, half_unit_end: float
) -> tuple[float, float]:
    """Range of growth consistent with two rounded balances: each may be off by half a unit."""
    lo = growth_pct(start + half_unit_start, end - half_unit_end)
    hi = growth_pct(start - half_unit_start, end + half_unit_end)
    return lo, hi


# --------------------------------------------------------------------------- trade-in model 4
def yield_from_capitalisation(cap_years: float) -> float:
    """Gross rental yield in % from rent capitalisation (price / annual rent): ``100 / cap``."""
    return 100.0 / positive("cap_years", cap_years)


def lease_share_of_price(lease_years: float, yield_pct: float, discount_pct: float = 0.0) -> float:
    """Lump-sum rent for ``lease_years`` as a share of the home's price (1 = the whole price).

    Undiscounted: ``T * y / 100``. Discounted at ``d`` % a year (rent paid at the start of each
    year, i.e. an annuity-due): ``y/100 * (1 + d') * (1 - (1 + d') ** -T) / d'`` with ``d' = d/100``.
    """
    t = non_negative("lease_years", lease_years)
    y = non_negative("yield_pct", yield_pct) / 100.0
    d = non_negative("discount_pct", discount_pct) / 100.0
    if d == 0:
        return t * y
    return y * (1.0 + d) * (1.0 - (1.0 + d) ** -t) / d


def years_to_fund(target_share: float, yield_pct: float, discount_pct: float = 0.0) -> float:
    """Years of prepaid rent needed to fund ``target_share`` of a price (e.g. a down payment).

    Inverse of :func:`lease_share_of_price`. Undiscounted ``T = D / y`` (= ``D x`` rent
    capitalisation); discounted ``T = -ln(1 - D d' / (y (1 + d'))) / ln(1 + d')``, ``inf`` when
    no lease length is enough (the whole discounted rent stream is worth less than ``D``).
    ``target_share`` may exceed 1 (a new home dearer than the old one).
    """
    target = non_negative("target_share", target_share)
    y = positive("yield_pct", yield_pct) / 100.0
    d = non_negative("discount_pct", discount_pct) / 100.0
    if d == 0:
        return target / y
    arg = 1.0 - target * d / (y * (1.0 + d))
    if arg <= 0:
        return math.inf
    return -math.log(arg) / math.log(1.0 + d)


def down_payment_from_ltv(ltv_pct: float) -> float:
    """Down-payment ratio in % implied by a loan-to-value ratio in %: ``100 - LTV``."""
    ltv = non_negative("ltv_pct", ltv_pct)
    if ltv > 100:
        raise ValueError(f"ltv_pct cannot exceed 100, got {ltv_pct!r}")
    return 100.0 - ltv


def tradein_table(
    cap: pd.DataFrame, lease_years: float, yield_pct: float, down_payment_pcts, discount_pct: float
) -> pd.DataFrame:
    """Per rent-capitalisation tier (plus the source's flat ~2 % yield): what a lease prepays.

    Columns: tier, cap_years, yield_pct, share of price funded by ``lease_years`` (undiscounted and
    discounted), and years needed for each down-payment ratio in ``down_payment_pcts``.
    """
    rows = [("source: ~2 % yield", 100.0 / yield_pct, yield_pct)]
    for _, r in cap.iterrows():
        rows.append((str(r["scope"]), float(r["value"]), yield_from_capitalisation(float(r["value"]))))
    out = []
    for tier, capy, y in rows:
        row = {
            "tier": tier,
            "cap_years": capy,
            "yield_pct": y,
            f"{lease_years:g}y_share_pct": 100 * lease_share_of_price(lease_years, y),
            f"{lease_years:g}y_share_disc_pct": 100 * lease_share_of_price(lease_years, y, discount_pct),
        }
        for dp in down_payment_pcts:
            row[f"years_for_{dp:g}pct"] = years_to_fund(dp / 100.0, y)
            row[f"years_for_{dp:g}pct_disc"] = years_to_fund(dp / 100.0, y, discount_pct)
        out.append(row)
    return pd.DataFrame(out)


# --------------------------------------------------------------------------- ledger
_check = checker(CHAPTER, SOURCE_NIFD)


def ledger_checks() -> list[Check]:
    """Every figure NIFD §二–§五 derives that we can recompute from its own inputs."""
    ind = indicators()
    v = lambda code, f="value": value(ind, code, f)  # noqa: E731
    checks: list[Check] = []
    lpr = v("lpr_5y")
    # §二(一): rates against the LPR and each other (bp = pct difference x 100)
    to_bp = units.factor("pp", "bp")  # a difference of two % rates is in pp
    checks.append(
        _check(
            "§二(一)",
            "first-home average rate",
            "spread to LPR (bp)",
            v("mortgage_rate_first_vs_lpr"),
            (v("mortgage_rate_first_avg") - lpr) * to_bp,
            "bp",
            0,
        )
    )
    checks.append(
        _check(
            "§二(一)",
            "second-home average rate",
            "spread to LPR (bp)",
            v("mortgage_rate_second_vs_lpr"),
            (v("mortgage_rate_second_avg") - lpr) * to_bp,
            "bp",
            0,
        )
    )
    checks.append(
        _check(
            "§二(一)",
            "lowest first-home rate",
            "above provident-fund rate (bp)",
            v("lowest_rate_vs_pf"),
            (v("mortgage_rate_first_min") - v("provident_fund_rate")) * to_bp,
            "bp",
            0,
        )
    )
    checks.append(
        _check(
            "§二(一)",
            "threshold LPR - 20 bp",
            "rate (%)",
            v("threshold_first_lpr_minus_20"),
            lpr - 20 / to_bp,
            "pct",
            2,
        )
    )
    checks.append(
        _check(
            "§二(一)",
            "second-home floor LPR + 20 bp",
            "rate (%)",
            v("second_home_floor"),
            lpr + 20 / to_bp,
            "pct",
            2,
        )
    )
    checks.append(
        _check(
            "§二(一)",
            "first/second-home spread",
            "spread (bp)",
            v("first_second_spread"),
            (v("mortgage_rate_second_avg") - v("mortgage_rate_first_avg")) * to_bp,
            "bp",
            0,
        )
    )
    checks.append(
        _check(
            "§二(一)",
            "first/second-home spread",
            "change vs end-2023 (bp)",
            v("first_second_spread_change"),
            v("mortgage_rate_second_change") - v("mortgage_rate_first_change"),
            "bp",
            0,
        )
    )
    # §二(二): balances and flows
    bal = units.convert(v("mortgage_balance"), "CNY_trn", "CNY_100m")
    checks.append(
        _check(
            "§二(二)",
            "personal housing loans",
            "q/q growth 2024Q1 (%)",
            v("mortgage_balance_qoq"),
            growth_from_increase_pct(bal, v("mortgage_balance_q_increase")),
            "pct",
            2,
            "the printed increase of 51 亿元 on a 38.19 万亿元 balance is 0.013 %, not 0.05 %; "
            "a 0.05 % rise would be about 190 亿元, so either the increase or the rate is misprinted",
        )
    )
    checks.append(
        _check(
            "§二(二)",
            "households' new medium/long-term loans, monthly mean",
            "y/y change (%)",
            v("hh_mlt_loans_yoy"),
            growth_pct(v("hh_mlt_loans_monthly_avg_2023q1"), v("hh_mlt_loans_monthly_avg_2024q1")),
            "pct",
            2,
            "3250/3147 - 1 = 3.27 %; the source's 3.26 % was presumably computed from unrounded monthly figures",
        )
    )
    # §二(三): down payment range low end vs the highest LTV
    ltv = table("policy_ltv_cities")
    checks.append(
        _check(
            "§二(三)",
            "12-city sample",
            "number of cities listed",
            v("ltv_cities_count"),
            len(ltv),
            "count",
            0,
        )
    )
    checks.append(
        _check(
            "§二(三)",
            "average down payment, low end",
            "100 - highest LTV (%)",
            v("down_payment_range", "value_low"),
            down_payment_from_ltv(float(ltv["ltv"].max())),
            "pct",
            0,
            "LTV is loan/price, so 100 - LTV is the down payment only if there is no other borrowing",
        )
    )
    # §三: development-loan share of credit, from the mortgage share (same denominator)
    checks.append(
        _check(
            "§三(一)",
            "development loans",
            "share of all credit (%)",
            v("dev_loan_share_of_credit"),
            v("dev_loan_balance") / v("mortgage_balance") * v("mortgage_share_of_credit"),
            "pct",
            1,
            "recomputed as development / mortgage balance x mortgage share; both shares use total credit",
        )
    )
    fx_stock = units.convert(v("offshore_bond_outstanding_cny"), "CNY_trn", "CNY_100m") / v(
        "offshore_bond_outstanding"
    )
    checks.append(
        _check(
            "§三(二)",
            "offshore issuance in yuan",
            "at the rate implied by the outstanding stock (亿元)",
            v("offshore_bond_issuance_cny"),
            v("offshore_bond_issuance") * fx_stock,
            "CNY_100m",
            0,
            "the flow is converted at about 7.09 yuan per dollar (266/37.54), the stock at about 7.12 "
            "(11,400/1,602): two different exchange rates, perhaps period average vs period end",
        )
    )
    # §五(一): 24 banks and Bank of Guizhou
    npl = table("policy_bank_re_npl")
    g = lambda e, s, m, y: float(
        npl[(npl.entity == e) & (npl.statistic == s) & (npl.measure == m) & (npl.year == y)]["value"].iloc[0]
    )  # noqa: E731
    checks.append(
        _check(
            "§五(一)",
            "24 banks, median real-estate NPL ratio",
            "change 2019-2023 (pp)",
            v("bank_npl_median_change"),
            g("sample_24_banks", "median", "npl_ratio", 2023)
            - g("sample_24_banks", "median", "npl_ratio", 2019),
            "pp",
            2,
        )
    )
    checks.append(
        _check(
            "§五(一)",
            "24 banks, real-estate NPL balance",
            "growth 2019-2023 (%)",
            v("bank_npl_balance_growth"),
            growth_pct(
                g("sample_24_banks", "total", "npl_balance", 2019),
                g("sample_24_banks", "total", "npl_balance", 2023),
            ),
            "pct",
            0,
        )
    )
    checks.append(
        _check(
            "§五(一)",
            "24 banks, highest real-estate NPL ratio 2023",
            "= Bank of Guizhou 2023 (%)",
            g("sample_24_banks", "max", "npl_ratio", 2023),
            g("bank_of_guizhou", "value", "npl_ratio", 2023),
            "pct",
            2,
        )
    )
    # §五(二): household business loans
    b0, b1 = v("hh_business_loans_2020q1"), v("hh_business_loans_2024q1")
    lo, hi = growth_interval_pct(b0, b1, 0.05, 0.05)
    checks.append(
        _check(
            "§五(二)",
            "household business loans 2020Q1-2024Q1",
            "growth over 4 years (%)",
            v("hh_business_loans_growth_4y"),
            growth_pct(b0, b1),
            "pct",
            1,
            f"23.5/11.8 gives 99.2 %; with both balances rounded to 0.1 万亿元 anything from {lo:.1f} to {hi:.1f} % "
            "is possible, so 98.1 % fits unrounded balances",
        )
    )
    checks.append(
        _check(
            "§五(二)",
            "household business loans 2020Q1-2024Q1",
            "CAGR from the two balances (%)",
            v("hh_business_loans_cagr"),
            cagr_pct(b0, b1, 4),
            "pct",
            1,
            "the rounded balances give 18.8 %; the printed 18.6 % follows from the printed 98.1 % (next row)",
        )
    )
    checks.append(
        _check(
            "§五(二)",
            "household business loans 2020Q1-2024Q1",
            "CAGR from the printed 4-year growth (%)",
            v("hh_business_loans_cagr"),
            cagr_from_total_pct(v("hh_business_loans_growth_4y"), 4),
            "pct",
            1,
        )
    )
    checks.append(
        _check(
            "§五(二)",
            "business-loan CAGR minus corporate-loan CAGR",
            "gap (pp)",
            v("business_vs_corporate_cagr_gap"),
            v("hh_business_loans_cagr") - v("corporate_loans_cagr"),
            "pp",
            1,
        )
    )
    # §五(二): the 2024 renewal-gap range, read as one stock of loans renewed at an unchanged LTV
    gl, gh = v("renewal_gap_2024", "value_low"), v("renewal_gap_2024", "value_high")
    fl, fh = v("renewal_price_fall", "value_low") / 100, v("renewal_price_fall", "value_high") / 100
    two = solve_two_point(gl, fl, gh, fh)
    checks.append(
        _check(
            "§五(二)",
            "2024 renewal gap, high end",
            "from the low end: same loans, same LTV (亿元)",
            gh,
            gl / gap_share(fl) * gap_share(fh),
            "CNY_100m",
            0,
            f"a gap proportional to the price fall gives {gl / fl * fh:.0f}, not {gh:.0f}; both ends hold only if "
            f"loans had about {100 * (1 - 1 / two['headroom']):.0f} % room below the renewal limit and about "
            f"{two['renewing_balance']:.0f} 亿元 were renewing (our model; the source gives no method)",
        )
    )
    # §五(三): issuers named vs counts stated
    iss = table("policy_default_issuers")
    checks.append(
        _check(
            "§五(三)",
            "onshore defaulting issuers",
            "names listed",
            v("onshore_default_issuers"),
            int((iss.market == "onshore").sum()),
            "count",
            0,
        )
    )
    checks.append(
        _check(
            "§五(三)",
            "offshore defaulting issuers",
            "names listed",
            v("offshore_default_issuers"),
            int((iss.market == "offshore").sum()),
            "count",
            0,
        )
    )
    # §四(三): the ~2 % yield against the housing chapter's rent capitalisation, per tier
    cap = rent_capitalisation()
    for _, r in cap.iterrows():
        checks.append(
            _check(
                "§四(三) model 4",
                f"rental yield, {r['scope']}",
                "100 / rent capitalisation (%)",
                v("tradein_m4_rent_yield"),
                yield_from_capitalisation(float(r["value"])),
                "pct",
                0,
                "the source says 'about 2 %'; rent capitalisation from §一(八) (housing_rent_capitalisation)",
            )
        )
    return checks


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
    from .policy_mortgage import payment_table

    return pd.DataFrame(payment_table(principal, years, rates))


def subsidy_summary(
    rate_pct: float, principal: float, years: float, subsidy_pp: float, share: float, subsidy_years: float
) -> dict:
    """Payment with and without a first-home interest subsidy, and its budget cost per 1 trn of loans.

    ``cost_first_year`` and ``cost_total`` are in 亿元 (CNY_100m) per 1 万亿元 (CNY_trn) of new
    loans: :func:`helpers.policy_mortgage.subsidy_budget_cost` on a 1-trn cohort, converted.
    """
    from .policy_mortgage import annuity_payment, subsidised_payment, subsidy_budget_cost

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
