"""Named ledger functions of the housing-finance policy chapter (``fn:<name>`` in
``data/ledger/cells/policy.csv``).

Each takes the cell's spec row and returns ``{"published", "recomputed", "low", "high",
"values"}``; the values fill the row's note template. Spreads, differences, growth rates and
figures that appear twice are generic relations of the cells file.
"""

from __future__ import annotations

from helpers.book import intervals, units
from helpers.book.intervals import Interval
from helpers.book.ledger import spec_args
from helpers.chapters.housing_policy import indicators, rent_capitalisation, table, value
from helpers.models.growth import cagr_from_total_pct, cagr_pct, growth_from_increase_pct
from helpers.models.loan_switch import gap_share, solve_two_point
from helpers.models.tradein import down_payment_from_ltv, yield_from_capitalisation

STATED_SPREAD_BP = 20
"""The spread the source states in §二(一) for the first-home threshold (LPR minus it) and the
second-home floor (LPR plus it), in bp; recorded in the indicator codes ``*_lpr_minus_20``."""


def _v(code: str, field: str = "value") -> float:
    return value(indicators(), code, field)


def _result(published, recomputed, low=None, high=None, **values) -> dict:
    return {"published": published, "recomputed": recomputed, "low": low, "high": high, "values": values}


def lpr_minus_stated_spread(spec: dict) -> dict:
    """First-home threshold: ``LPR − spread / 100`` (bp to %)."""
    return _result(
        _v("threshold_first_lpr_minus_20"), _v("lpr_5y") - STATED_SPREAD_BP / units.factor("pp", "bp")
    )


def lpr_plus_stated_spread(spec: dict) -> dict:
    """Second-home floor: ``LPR + spread / 100`` (bp to %)."""
    return _result(_v("second_home_floor"), _v("lpr_5y") + STATED_SPREAD_BP / units.factor("pp", "bp"))


def mortgage_qoq(spec: dict) -> dict:
    """q/q growth of the mortgage balance from the printed increase: ``100 × Δ / (B − Δ)``."""
    bal = units.convert(_v("mortgage_balance"), "CNY_trn", "CNY_100m")
    inc, qoq = _v("mortgage_balance_q_increase"), _v("mortgage_balance_qoq")
    iv = intervals.share(
        Interval.printed(inc, 0),
        Interval.printed(_v("mortgage_balance"), 2) * units.factor("CNY_trn", "CNY_100m")
        - Interval.printed(inc, 0),
    )
    ours = growth_from_increase_pct(bal, inc)
    return _result(
        qoq,
        ours,
        iv.low,
        iv.high,
        increase=inc,
        balance=_v("mortgage_balance"),
        increase_at_published=bal * qoq / (100 + qoq),
    )


def ltv_cities_listed(spec: dict) -> dict:
    """Cities in the LTV table against the sample size stated (a count)."""
    return _result(_v("ltv_cities_count"), len(table("policy_ltv_cities")))


def down_payment(spec: dict) -> dict:
    """An end of the down-payment range against the complement of the extreme city LTV: ``100 − LTV``."""
    end = spec_args(spec)["end"]
    ltv = table("policy_ltv_cities")
    if end == "low":
        return _result(_v("down_payment_range", "value_low"), down_payment_from_ltv(float(ltv["ltv"].max())))
    return _result(
        _v("down_payment_range", "value_high"),
        down_payment_from_ltv(float(ltv["ltv"].min())),
        city=ltv.loc[ltv["ltv"].idxmin(), "city_en"],
    )


def dev_loan_share(spec: dict) -> dict:
    """Development loans' share of credit: ``development / mortgage balance × mortgage share``."""
    return _result(
        _v("dev_loan_share_of_credit"),
        _v("dev_loan_balance") / _v("mortgage_balance") * _v("mortgage_share_of_credit"),
    )


def offshore_issuance_cny(spec: dict) -> dict:
    """Offshore issuance in yuan at the rate the outstanding stock implies: ``flow × stock¥ / stock$``."""
    fx_stock = units.convert(_v("offshore_bond_outstanding_cny"), "CNY_trn", "CNY_100m") / _v(
        "offshore_bond_outstanding"
    )
    iv = Interval.printed(_v("offshore_bond_issuance"), 2) * (
        Interval.printed(_v("offshore_bond_outstanding_cny"), 2)
        * units.factor("CNY_trn", "CNY_100m")
        / Interval.printed(_v("offshore_bond_outstanding"), 0)
    )
    return _result(
        _v("offshore_bond_issuance_cny"),
        _v("offshore_bond_issuance") * fx_stock,
        iv.low,
        iv.high,
        fx_flow=_v("offshore_bond_issuance_cny") / _v("offshore_bond_issuance"),
        fx_stock=fx_stock,
    )


def _business_loans():
    b0, b1 = _v("hh_business_loans_2020q1"), _v("hh_business_loans_2024q1")
    return b0, b1, Interval.printed(b0, 1), Interval.printed(b1, 1)


def business_loans_cagr(spec: dict) -> dict:
    """CAGR of household business loans over four years: ``100 × ((B1/B0)^(1/4) − 1)``."""
    b0, b1, i0, i1 = _business_loans()
    iv = intervals.cagr(i0, i1, 4)
    return _result(_v("hh_business_loans_cagr"), cagr_pct(b0, b1, 4), iv.low, iv.high)


def cagr_from_printed_growth(spec: dict) -> dict:
    """CAGR from the printed four-year growth: ``100 × ((1 + g/100)^(1/4) − 1)``."""
    return _result(_v("hh_business_loans_cagr"), cagr_from_total_pct(_v("hh_business_loans_growth_4y"), 4))


def renewal_gap_high(spec: dict) -> dict:
    """High end of the 2024 renewal gap from the low end, same loans at an unchanged LTV:
    ``g_high = g_low / share(f_low) × share(f_high)``."""
    gl, gh = _v("renewal_gap_2024", "value_low"), _v("renewal_gap_2024", "value_high")
    fl, fh = _v("renewal_price_fall", "value_low") / 100, _v("renewal_price_fall", "value_high") / 100
    two = solve_two_point(gl, fl, gh, fh)
    return _result(
        gh,
        gl / gap_share(fl) * gap_share(fh),
        proportional=gl / fl * fh,
        headroom_pct=100 * (1 - 1 / two["headroom"]),
        renewing=two["renewing_balance"],
    )


def issuers_listed(spec: dict) -> dict:
    """Defaulting issuers named in the table against the count stated, for one market."""
    market = spec_args(spec)["market"]
    iss = table("policy_default_issuers")
    return _result(_v(f"{market}_default_issuers"), int((iss.market == market).sum()))


def rental_yield(spec: dict) -> dict:
    """Rental yield from the housing chapter's rent capitalisation: ``100 / capitalisation``."""
    scope = spec_args(spec)["scope"]
    cap = rent_capitalisation()
    r = cap[cap["scope"] == scope].iloc[0]
    return _result(_v("tradein_m4_rent_yield"), yield_from_capitalisation(float(r["value"])))


def ledger_checks() -> list:
    """This chapter's checks: its rows of ``data/ledger/cells/policy.csv`` evaluated by :func:`helpers.book.ledger.checks`."""
    from helpers.book import ledger

    return ledger.checks(["policy"])
