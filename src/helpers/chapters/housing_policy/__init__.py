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


# --------------------------------------------------------------------------- numbers for the prose
ABS_CODES = (
    "mortgage_rate_first_change",
    "mortgage_rate_second_change",
    "lpr_5y_cut_feb2024",
    "mortgage_balance_yoy",
    "onshore_bond_issuance_yoy",
    "offshore_bond_issuance_yoy",
    "onshore_bond_outstanding_change",
    "onshore_defaults_count_yoy",
    "onshore_defaults_amount_yoy",
    "mortgage_rate_first_vs_lpr",
)
"""Indicators the prose states as magnitudes ("fell 0.5 points"), glued also as ``<code>_abs``."""

BANK_NPL_CELLS = [
    ("sample_24_banks", "min", "npl_ratio", 2023),
    ("sample_24_banks", "max", "npl_ratio", 2023),
    ("sample_24_banks", "mean", "npl_ratio", 2023),
    ("sample_24_banks", "median", "npl_ratio", 2023),
    ("sample_24_banks", "median", "npl_ratio", 2019),
    ("sample_24_banks", "total", "npl_balance", 2019),
    ("sample_24_banks", "total", "npl_balance", 2023),
    ("commercial_banks", "mean", "npl_ratio", 2023),
    ("bank_of_guizhou", "value", "npl_ratio", 2019),
    ("bank_of_guizhou", "value", "npl_ratio", 2020),
    ("bank_of_guizhou", "value", "npl_ratio", 2022),
    ("bank_of_guizhou", "value", "npl_ratio", 2023),
    ("bank_of_guizhou", "value", "npl_balance", 2019),
    ("bank_of_guizhou", "value", "npl_balance", 2023),
]
"""Cells of ``policy_bank_re_npl`` the prose quotes, glued as ``npl_<entity>_<statistic>_<measure>_<year>``."""


def indicator_numbers(ind: pd.DataFrame) -> dict:
    """Every ``policy_indicators`` figure by code (``<code>_low``/``<code>_high`` for ranges),
    and the magnitudes of :data:`ABS_CODES`."""
    out = {}
    for code in ind.index:
        for field in ("value", "value_low", "value_high"):
            x = ind.at[code, field]
            if pd.notna(x):
                out[code if field == "value" else f"{code}_{field[6:]}"] = float(x)
    for code in ABS_CODES:
        out[f"{code}_abs"] = abs(value(ind, code))
    return out


def payment_numbers(ind: pd.DataFrame, loan_yuan: float, term_years: int) -> dict:
    """Monthly payments and interest of the example loan at the printed rates, and their differences."""
    from helpers.models.payments import payment_cut_pct

    v = lambda code, field="value": value(ind, code, field)  # noqa: E731
    rates = named_rates(ind)
    p = rate_payment_table(rates, loan_yuan, term_years).set_index("case")
    first_now, first_before = p.loc["first home, average 2024Q1"], p.loc["first home, average end-2023"]
    second_now = p.loc["second home, average 2024Q1"]
    return {
        "term_years": term_years,
        "loan_yuan": loan_yuan,
        "pay_first_now": first_now.annuity_monthly,
        "pay_first_before": first_before.annuity_monthly,
        "pay_cut_saving": first_before.annuity_monthly - first_now.annuity_monthly,
        "pay_cut_saving_pct": payment_cut_pct(first_before.annuity_monthly, first_now.annuity_monthly),
        "pay_cut_interest_saving": first_before.annuity_total_interest - first_now.annuity_total_interest,
        "pay_second_extra": second_now.annuity_monthly - first_now.annuity_monthly,
        "pay_second_extra_interest": second_now.annuity_total_interest - first_now.annuity_total_interest,
        "first_rate_end2023": rates["first home, average end-2023"],
        "thr_bp": (v("lpr_5y") - v("threshold_first_lpr_minus_20")) * units.factor("pp", "bp"),
        "ep_first_now": first_now.equal_principal_first,
        "ep_interest_saving": first_now.annuity_total_interest - first_now.equal_principal_total_interest,
    }


def ltv_numbers(ind: pd.DataFrame) -> dict:
    """The range of city LTVs, the down payments they imply, and the mortgage-balance growth checks."""
    from helpers.models.growth import growth_from_increase_pct
    from helpers.models.tradein import down_payment_from_ltv

    v = lambda code: value(ind, code)  # noqa: E731
    ltv = table("policy_ltv_cities")
    balance_100m = units.convert(v("mortgage_balance"), "CNY_trn", "CNY_100m")
    return {
        "ltv_min": float(ltv.ltv.min()),
        "ltv_max": float(ltv.ltv.max()),
        "ltv_min_city": ltv.loc[ltv.ltv.idxmin(), "city_en"],
        "ltv_max_city": ltv.loc[ltv.ltv.idxmax(), "city_en"],
        "dp_from_max_ltv": down_payment_from_ltv(float(ltv.ltv.max())),
        "dp_from_min_ltv": down_payment_from_ltv(float(ltv.ltv.min())),
        "qoq_from_increase": growth_from_increase_pct(balance_100m, v("mortgage_balance_q_increase")),
        "increase_for_qoq": balance_100m * v("mortgage_balance_qoq") / 100,
    }


def subsidy_numbers(
    ind: pd.DataFrame,
    loan_yuan: float,
    term_years: int,
    subsidy_pp: float,
    subsidy_share_pct: float,
    subsidy_years: float,
) -> dict:
    """The reader's interest subsidy (:func:`subsidy_summary`, as ``sub_<key>``), set against the rate cut."""
    pay = payment_numbers(ind, loan_yuan, term_years)
    sub = subsidy_summary(
        value(ind, "mortgage_rate_first_avg"),
        loan_yuan,
        term_years,
        subsidy_pp,
        subsidy_share_pct / 100,
        subsidy_years,
    )
    out = {f"sub_{k}": x for k, x in sub.items()}
    out.update(
        subsidy_pp=subsidy_pp,
        subsidy_share_pct=subsidy_share_pct,
        subsidy_years=subsidy_years,
        sub_vs_cut=sub["saving"] / pay["pay_cut_saving"],
        sub_cost_bn_year=units.convert(sub["cost_first_year"], "CNY_100m", "CNY_bn"),
    )
    return out


def developer_numbers(ind: pd.DataFrame) -> dict:
    """Bond restructurings, exchange rates implied by the dual-currency figures, average project sizes,
    and the count of cities that removed or eased purchase restrictions."""
    v = lambda code: value(ind, code)  # noqa: E731
    restructured = v("offshore_restructuring_zhongliang") + v("offshore_restructuring_aoyuan")
    rc = table("policy_restriction_changes")
    return {
        "restructuring_total": restructured,
        "restructuring_share": 100 * restructured / v("offshore_bond_issuance"),
        "fx_flow": v("offshore_bond_issuance_cny") / v("offshore_bond_issuance"),
        "fx_stock": units.convert(v("offshore_bond_outstanding_cny"), "CNY_trn", "CNY_100m")
        / v("offshore_bond_outstanding"),
        "whitelist_avg": v("whitelist_amount_approved") / v("whitelist_projects_approved"),
        "jinke_avg": v("jinke_funded_amount") / v("jinke_funded_projects"),
        "n_full_removal": int((rc.change == "full_removal").sum()),
        "n_partial": int((rc.change == "partial").sum()),
    }


def tradein_table_for(ind: pd.DataFrame, discount_pct: float) -> pd.DataFrame:
    """Model 4 of the trade-in schemes on the source's yield and each tier's rent capitalisation."""
    from helpers.models.tradein import tradein_table

    v = lambda code, field="value": value(ind, code, field)  # noqa: E731
    return tradein_table(
        rent_capitalisation(),
        v("tradein_m4_max_lease_years"),
        v("tradein_m4_rent_yield"),
        [v("down_payment_range", "value_low"), v("down_payment_range", "value_high")],
        discount_pct,
    )


def tradein_numbers(ind: pd.DataFrame, discount_pct: float) -> dict:
    """Shares of the price a maximum lease prepays, and years of rent for the down payments."""
    v = lambda code, field="value": value(ind, code, field)  # noqa: E731
    tin = tradein_table_for(ind, discount_pct)
    lease = v("tradein_m4_max_lease_years")
    src_row = tin.iloc[0]
    dpl, dph = v("down_payment_range", "value_low"), v("down_payment_range", "value_high")
    tiers = tin.iloc[1:]
    disc_col = f"{lease:g}y_share_disc_pct"
    nan = float("nan")
    return {
        "lease_share": src_row[f"{lease:g}y_share_pct"],
        "lease_share_disc": src_row[disc_col],
        "discount_pct": discount_pct,
        "years_dp_low": src_row[f"years_for_{dpl:g}pct"],
        "years_dp_low_disc": src_row[f"years_for_{dpl:g}pct_disc"],
        "years_dp_high": src_row[f"years_for_{dph:g}pct"],
        "cap_min": float(tiers.cap_years.min()) if len(tiers) else nan,
        "cap_max": float(tiers.cap_years.max()) if len(tiers) else nan,
        "yield_tier_min": float(tiers.yield_pct.min()) if len(tiers) else nan,
        "yield_tier_max": float(tiers.yield_pct.max()) if len(tiers) else nan,
        "lease_share_tier_min": float(tiers[f"{lease:g}y_share_pct"].min()) if len(tiers) else nan,
        "lease_share_tier_max": float(tiers[f"{lease:g}y_share_pct"].max()) if len(tiers) else nan,
        "lease_share_disc_tier_min": float(tiers[disc_col].min()) if len(tiers) else nan,
        "lease_share_disc_tier_min_name": str(tiers.loc[tiers[disc_col].idxmin(), "tier"])
        if len(tiers)
        else "",
    }


def bank_npl_numbers() -> dict:
    """The :data:`BANK_NPL_CELLS` of ``policy_bank_re_npl`` and the 2019→2023 growth multiples."""
    npl = table("policy_bank_re_npl")

    def cell(e, s, m, y):
        return lookup.value(npl, entity=e, statistic=s, measure=m, year=y)

    out = {f"npl_{e}_{s}_{m}_{y}": cell(e, s, m, y) for e, s, m, y in BANK_NPL_CELLS}
    out["npl_balance_multiple"] = cell("sample_24_banks", "total", "npl_balance", 2023) / cell(
        "sample_24_banks", "total", "npl_balance", 2019
    )
    out["guizhou_multiple"] = cell("bank_of_guizhou", "value", "npl_balance", 2023) / cell(
        "bank_of_guizhou", "value", "npl_balance", 2019
    )
    return out


def switch_numbers(
    ind: pd.DataFrame,
    loan_yuan: float,
    term_years: int,
    price_fall_pct: float,
    renewal_haircut_pct: float,
    switch_ltv_pct: float,
) -> dict:
    """The business-loan switch: growth of the loans, break-even years, the reader's borrower's
    renewal gap, and the 2024 renewal-gap estimate solved both ways."""
    from helpers.models.growth import cagr_from_total_pct, cagr_pct, growth_pct
    from helpers.models.loan_switch import renewal_gap, switch_breakeven_years, switch_first_year

    v = lambda code, field="value": value(ind, code, field)  # noqa: E731
    b0, b1 = v("hh_business_loans_2020q1"), v("hh_business_loans_2024q1")
    spread_max = v("business_mortgage_gap_max")
    spread_now = (v("mortgage_rate_first_avg") - v("business_loan_rate_min")) * units.factor("pp", "bp")
    fy = switch_first_year(
        loan_yuan,
        v("mortgage_rate_first_avg"),
        v("business_loan_rate_min"),
        term_years,
        v("switch_cost", "value_high"),
    )
    gap_one = renewal_gap(
        switch_ltv_pct, 100.0, price_fall_pct / 100, switch_ltv_pct / 100, renewal_haircut_pct / 100
    )
    gl, gh = v("renewal_gap_2024", "value_low"), v("renewal_gap_2024", "value_high")
    fl, fh = v("renewal_price_fall", "value_low") / 100, v("renewal_price_fall", "value_high") / 100
    two = solve_two_point(gl, fl, gh, fh)
    renewing_trn = units.convert(two["renewing_balance"], "CNY_100m", "CNY_trn")
    return {
        "bl_growth_ours": growth_pct(b0, b1),
        "bl_cagr_ours": cagr_pct(b0, b1, 4),
        "bl_cagr_from_printed": cagr_from_total_pct(v("hh_business_loans_growth_4y"), 4),
        "spread_now": spread_now,
        "be_max_low": switch_breakeven_years(v("switch_cost", "value_low"), spread_max),
        "be_max_high": switch_breakeven_years(v("switch_cost", "value_high"), spread_max),
        "be_now_low": switch_breakeven_years(v("switch_cost", "value_low"), spread_now),
        "be_now_high": switch_breakeven_years(v("switch_cost", "value_high"), spread_now),
        "fy_cash_relief": fy["cash_relief"],
        "price_fall_pct": price_fall_pct,
        "renewal_haircut_pct": renewal_haircut_pct,
        "switch_ltv_pct": switch_ltv_pct,
        "gap_one": gap_one,
        "gap_one_of_loan": 100 * gap_one / switch_ltv_pct,
        "gap_one_yuan": gap_one / 100 * loan_yuan,
        "B_low_h0": gl / gap_share(fl),
        "B_high_h0": gh / gap_share(fh),
        "gap_high_if_linear": gl / fl * fh,
        "two_headroom_pct": 100 * (1 - 1 / two["headroom"]),
        "two_B": two["renewing_balance"],
        "two_B_share": 100 * renewing_trn / b1,
        "stock_low": units.convert(gl / gap_share(fl), "CNY_100m", "CNY_trn")
        * v("business_loan_term", "value_low"),
        "stock_high": renewing_trn * v("business_loan_term", "value_high"),
        "stock_high_share": 100 * renewing_trn * v("business_loan_term", "value_high") / b1,
    }


def issuer_numbers() -> dict:
    """Names of the developers that defaulted for the first time, onshore and offshore, and of those in both."""
    iss = table("policy_default_issuers")
    onshore, offshore = iss[iss.market == "onshore"], iss[iss.market == "offshore"]
    return {
        "new_onshore": ", ".join(onshore[onshore.new_defaulter]["issuer_en"]),
        "new_offshore": " and ".join(offshore[offshore.new_defaulter]["issuer_en"]),
        "both_markets": ", ".join(sorted(set(onshore.issuer_en) & set(offshore.issuer_en))),
    }


def ledger_numbers(checks: pd.DataFrame) -> dict:
    """How many of the chapter's published cells were recomputed, and how many differ."""
    return {"n_checks": len(checks), "n_mismatch": int((checks.status == "mismatch").sum())}


def numbers(
    *,
    loan_yuan: float,
    term_years: int,
    subsidy_pp: float,
    subsidy_share_pct: float,
    subsidy_years: float,
    price_fall_pct: float,
    renewal_haircut_pct: float,
    switch_ltv_pct: float,
    discount_pct: float,
) -> dict:
    """Every number the chapter's prose quotes, by the name it is glued under (the reader's scenario
    for the parameters; the ledger counts come from :func:`ledger_numbers`)."""
    ind = indicators()
    out = indicator_numbers(ind)
    out.update(payment_numbers(ind, loan_yuan, term_years))
    out.update(ltv_numbers(ind))
    out.update(subsidy_numbers(ind, loan_yuan, term_years, subsidy_pp, subsidy_share_pct, subsidy_years))
    out.update(developer_numbers(ind))
    out.update(tradein_numbers(ind, discount_pct))
    out.update(bank_npl_numbers())
    out.update(
        switch_numbers(ind, loan_yuan, term_years, price_fall_pct, renewal_haircut_pct, switch_ltv_pct)
    )
    out.update(issuer_numbers())
    return out
