"""Claims of the NIFD 2024Q1 report's finance and policy parts (seed 003 §二-§五) tested by its
own numbers: the reread's ledger cells for the policy chapter.

Each function takes a row of ``data/ledger/cells/claims.csv`` and returns the ledger-spec dict
(``published``, ``recomputed``, ``low``, ``high``, ``values``); published values come from
``data/``. The encoding of *equal*, *at_least*, *at_most* and *between* is the one described in
:mod:`helpers.chapters.retail_risk.claims`: for a comparison, ``recomputed`` is the value
nearest to the printed one that the claim allows, so a claim that holds matches.
"""

from __future__ import annotations

from helpers.book import data, lookup
from helpers.book.claim_cells import at_least as _at_least
from helpers.book.claim_cells import at_most as _at_most
from helpers.book.claim_cells import cell as _cell
from helpers.book.claim_cells import clip as _clip
from helpers.book.intervals import Interval

SEED = "003_dc4f0dbeb2c2a3ea.txt"


# ----------------------------------------------------------------------------- helpers
# (helpers.book.claim_cells: one encoding of the relations for every chapter)


def _ind(indicator: str, unit: str | None = None, field: str = "value") -> float:
    return lookup.value("policy_indicators", unit, field, indicator=indicator)


# ----------------------------------------------------------------------------- §二 mortgages


def first_rate_cut_larger(row=None) -> dict:
    """§二(一): "首套住房貸款利率平均下調幅度更大" (first-home rates fell more than second-home
    rates since end-2023): the first-home change is the more negative."""
    second = _ind("mortgage_rate_second_change")
    return _at_most(_ind("mortgage_rate_first_change"), Interval.printed(second, 0), second_home=second)


def lowest_rate_below_threshold(row=None) -> dict:
    """§二(一): Zhongshan and Zhuhai, at the lowest first-home rate, are among the 32 cities
    "已低於3.75%" (below LPR − 20 bp): the lowest rate is below that threshold."""
    return _at_most(
        _ind("mortgage_rate_first_min"), Interval.printed(_ind("threshold_first_lpr_minus_20"), 2)
    )


def first_rate_not_above_lpr(row=None) -> dict:
    """§二(一): "全部樣本城市的首套房貸利率均不高於LPR(3.95%)": then their average is not
    above the LPR either."""
    return _at_most(_ind("mortgage_rate_first_avg"), Interval.printed(_ind("lpr_5y"), 2))


def balance_stopped_falling(row=None) -> dict:
    """摘要 / §二(二): the mortgage balance "環比止跌" (stopped falling on the quarter): the
    quarter's change is not negative."""
    return _at_least(_ind("mortgage_balance_q_increase"), Interval.point(0.0))


# ----------------------------------------------------------------------------- §三 developers' bonds


def restructuring_within_offshore(row=None) -> dict:
    """§三(二): of 2024Q1's offshore issuance, "其中" Zhongliang's and Aoyuan's restructuring
    bonds, and the issuance went "主要" (mainly) to restructuring: the printed total lies between
    the two bonds' sum (it contains them) and twice that sum (they are more than half of it)."""
    parts = Interval.printed(_ind("offshore_restructuring_zhongliang"), 2) + Interval.printed(
        _ind("offshore_restructuring_aoyuan"), 2
    )
    total = _ind("offshore_bond_issuance")
    low, high = parts.low, 2 * parts.high
    return _cell(
        total,
        _clip(total, parts.mid, 2 * parts.mid),
        low,
        high,
        parts=parts.mid,
        share=100 * parts.mid / total,
    )


# ----------------------------------------------------------------------------- §四 restrictions


def restriction_removals_counted(row=None) -> dict:
    """§四(一): "20 多個大中城市" (twenty-odd cities) removed purchase restrictions city-wide: the
    cities the sentence names, counted, fall in the range the phrase allows (21 to 29)."""
    frame = data.load("policy_restriction_changes")
    named = float((frame["change"] == "full_removal").sum())
    low = _ind("cities_full_removal_printed", field="value_low")
    high = _ind("cities_full_removal_printed", field="value_high")
    return _cell(named, _clip(named, low, high), low, high, range_low=low, range_high=high)


# ----------------------------------------------------------------------------- §四(三) trade-in, model 4


def rent_covers_down_payment(row=None) -> dict:
    """§四(三) comparison: with a rental yield of "2%左右", "即使一次性支付…最高租賃20年的
    租金,也僅夠支付…首付款" (20 years' rent only covers a down payment). Twenty years at that
    yield is lease × yield of the home's value; the report's own average down payments
    (§二(三), 3-6成) bound what "a down payment" is, so the yield the claim allows lies between
    30 % / 20 and 60 % / 20."""
    years = _ind("tradein_m4_max_lease_years")
    yield_pct = _ind("tradein_m4_rent_yield")
    dp_low = _ind("down_payment_range", field="value_low")
    dp_high = _ind("down_payment_range", field="value_high")
    low, high = dp_low / years, dp_high / years
    return _cell(
        yield_pct,
        _clip(yield_pct, low, high),
        low,
        high,
        years=years,
        rent_share=years * yield_pct,
        dp_low=dp_low,
        dp_high=dp_high,
    )


# ----------------------------------------------------------------------------- §五 risks


def bank_re_npl_far_above(row=None) -> dict:
    """§五(一): the 24 banks' real-estate NPL ratios (median and mean) are "遠高於" (far above)
    the commercial banks' average; tested with the median, the lower of the two."""
    avg = lookup.value("policy_bank_re_npl", entity="commercial_banks", statistic="mean", year=2023)
    median = lookup.value(
        "policy_bank_re_npl", entity="sample_24_banks", statistic="median", measure="npl_ratio", year=2023
    )
    return _at_least(median, Interval.printed(avg, 2), average=avg, multiple=median / avg)


def business_loan_peak_above_cagr(row=None) -> dict:
    """§五(二): the peak monthly y/y growth of household business loans ("峰值高達24.6%"-type
    figure) cannot be below their compound annual growth over the same years."""
    return _at_least(_ind("hh_business_loans_peak_yoy"), Interval.printed(_ind("hh_business_loans_cagr"), 1))


def _whole_count_growth(count: float, growth_pct: float) -> tuple[float, float]:
    """The whole prior count nearest to count / (1 + g), and the growth it gives."""
    prior = round(count / (1 + growth_pct / 100))
    return prior, 100 * (count / prior - 1)


def onshore_defaults_prior_whole(row=None) -> dict:
    """§五(三): 24 onshore bonds in default, "同比下降51.0%": a count of bonds a year earlier
    must be whole; recomputed = the growth from the nearest whole prior count."""
    count, g = _ind("onshore_defaults_count"), _ind("onshore_defaults_count_yoy")
    prior, growth = _whole_count_growth(count, g)
    return _cell(g, growth, growth, growth, prior=float(prior))


def offshore_defaults_prior_whole(row=None) -> dict:
    """§五(三): 10 offshore bonds in default, "同比增長400.0%": the same test."""
    count, g = _ind("offshore_defaults_count"), _ind("offshore_defaults_count_yoy")
    prior, growth = _whole_count_growth(count, g)
    return _cell(g, growth, growth, growth, prior=float(prior))


def onshore_defaults_share_whole(row=None) -> dict:
    """§五(三): the 24 bonds are "占債券市場違約數量的80%": the market's count must be whole;
    recomputed = the share of the nearest whole market count."""
    count, share = _ind("onshore_defaults_count"), _ind("onshore_defaults_count_share")
    market = round(count / (share / 100))
    return _cell(
        share, 100 * count / market, 100 * count / market, 100 * count / market, market=float(market)
    )
