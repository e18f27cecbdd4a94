"""Ledger checks of the housing-finance policy chapter."""

from __future__ import annotations

from helpers.book import intervals, units
from helpers.book.intervals import Interval
from helpers.book.ledger import Check, checker
from helpers.chapters.housing_policy import (
    CHAPTER,
    SOURCE_NIFD,
    indicators,
    rent_capitalisation,
    table,
    value,
)
from helpers.models.growth import (
    cagr_from_total_pct,
    cagr_pct,
    growth_from_increase_pct,
    growth_pct,
)
from helpers.models.loan_switch import gap_share, solve_two_point
from helpers.models.tradein import down_payment_from_ltv, yield_from_capitalisation

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
            "first-home threshold, LPR minus the stated spread",
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
            "second-home floor, LPR plus the stated spread",
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
            f"the printed increase of {v('mortgage_balance_q_increase'):.0f} 亿元 on a {v('mortgage_balance'):.2f} 万亿元 "
            f"balance is {growth_from_increase_pct(bal, v('mortgage_balance_q_increase')):.3f} %, not "
            f"{v('mortgage_balance_qoq'):.2f} %; a {v('mortgage_balance_qoq'):.2f} % rise would be about "
            f"{bal * v('mortgage_balance_qoq') / (100 + v('mortgage_balance_qoq')):.0f} 亿元, so either the increase or "
            "the rate is misprinted",
            interval=intervals.share(
                Interval.printed(v("mortgage_balance_q_increase"), 0),
                Interval.printed(v("mortgage_balance"), 2) * units.factor("CNY_trn", "CNY_100m")
                - Interval.printed(v("mortgage_balance_q_increase"), 0),
            ),
            finding="p-mortgage-qoq",
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
            "the two monthly means are printed to 1 亿元; their unrounded values allow the printed rate",
            interval=intervals.growth(
                Interval.printed(v("hh_mlt_loans_monthly_avg_2023q1"), 0),
                Interval.printed(v("hh_mlt_loans_monthly_avg_2024q1"), 0),
            ),
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
    checks.append(
        _check(
            "§二(三)",
            "average down payment, high end",
            "100 - lowest LTV (%), read in tenths (成)",
            v("down_payment_range", "value_high"),
            down_payment_from_ltv(float(ltv["ltv"].min())),
            "pct",
            -1,
            "the range is printed in tenths (成), so its top end stands for anything that rounds to it; "
            f"100 minus the lowest city LTV ({ltv.loc[ltv['ltv'].idxmin(), 'city_en']}) lies above the printed top "
            "but within that rounding",
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
            f"the flow is converted at about {v('offshore_bond_issuance_cny') / v('offshore_bond_issuance'):.2f} yuan "
            f"per dollar, the stock at about {fx_stock:.2f}; the stock's yuan value is printed to 0.01 万亿, so its "
            "rate is uncertain enough to cover both",
            interval=Interval.printed(v("offshore_bond_issuance"), 2)
            * (
                Interval.printed(v("offshore_bond_outstanding_cny"), 2)
                * units.factor("CNY_trn", "CNY_100m")
                / Interval.printed(v("offshore_bond_outstanding"), 0)
            ),
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
            "bank sample, median real-estate NPL ratio",
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
            "bank sample, real-estate NPL balance",
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
            "bank sample, highest real-estate NPL ratio 2023",
            "= Bank of Guizhou 2023 (%)",
            g("sample_24_banks", "max", "npl_ratio", 2023),
            g("bank_of_guizhou", "value", "npl_ratio", 2023),
            "pct",
            2,
        )
    )
    # §五(二): household business loans
    b0, b1 = v("hh_business_loans_2020q1"), v("hh_business_loans_2024q1")
    b0_iv, b1_iv = Interval.printed(b0, 1), Interval.printed(b1, 1)
    checks.append(
        _check(
            "§五(二)",
            "household business loans 2020Q1-2024Q1",
            "growth over 4 years (%)",
            v("hh_business_loans_growth_4y"),
            growth_pct(b0, b1),
            "pct",
            1,
            f"{b1:.1f}/{b0:.1f} gives {growth_pct(b0, b1):.1f} %; with both balances rounded to a tenth of a 万亿元 anything from "
            f"{intervals.growth(b0_iv, b1_iv).low:.1f} to {intervals.growth(b0_iv, b1_iv).high:.1f} % is possible",
            interval=intervals.growth(b0_iv, b1_iv),
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
            f"the rounded balances give {cagr_pct(b0, b1, 4):.1f} %; unrounded balances allow "
            f"{intervals.cagr(b0_iv, b1_iv, 4).low:.2f}-{intervals.cagr(b0_iv, b1_iv, 4).high:.2f} %, and the "
            "printed rate also follows from the printed four-year growth (next row)",
            interval=intervals.cagr(b0_iv, b1_iv, 4),
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
            finding="p-renewal-gap",
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
