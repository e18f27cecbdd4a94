"""Claims of the retail-risk report (seed 002) tested by its own numbers: the reread's ledger cells.

Each function takes a row of ``data/ledger/cells/claims.csv`` (a dict; unused beyond its id)
and returns ``{"published", "recomputed", "low", "high", "values"}`` for one published cell
(relation ``fn:claims.<name>``; the encoding is in :mod:`helpers.book.claim_cells`). Published values come from
``data/``; nothing is typed here.
"""

from __future__ import annotations

import statistics

from helpers.book import data, intervals, lookup
from helpers.book.claim_cells import at_least as _at_least
from helpers.book.claim_cells import at_most as _at_most
from helpers.book.claim_cells import cell as _cell
from helpers.book.claim_cells import clip as _clip
from helpers.book.claim_cells import equal as _equal
from helpers.book.intervals import Interval

SEED = "002_618ba3871ebc0b54.txt"

PRODUCTS = ("mortgage", "credit_card", "consumer", "business")


# ----------------------------------------------------------------------------- helpers


def _fact(indicator: str, unit: str | None = None, field: str = "value") -> float:
    return lookup.value("retail_facts", unit, field, indicator=indicator)


def _ratio(product: str, period: str) -> float:
    return lookup.value("retail_npl_ratio", product=product, period=period)


def _ratios() -> dict[str, dict[str, float]]:
    frame = data.load("retail_npl_ratio")
    return {
        p: dict(zip(frame.loc[frame["product"] == p, "period"], frame.loc[frame["product"] == p, "value"]))
        for p in PRODUCTS
    }


def _increase(product: str, period: str) -> float:
    return lookup.value("retail_npl_increase", product=product, period=period)


def _amount(product: str, period: str) -> float:
    return lookup.value("retail_npl_amount", product=product, period=period)


def _scenario(scenario: str, indicator: str) -> float:
    return lookup.value("retail_mortgage_scenarios", scenario=scenario, indicator=indicator)


def _internet(tier: str, column: str) -> float:
    return float(lookup.row("retail_internet_lending", tier=tier)[column])


def _balance_rows(cohort: str, horizon: str, indicator: str) -> list[float]:
    frame = data.load("retail_mortgage_balance")
    sel = frame[
        (frame["cohort"] == cohort) & (frame["horizon"] == horizon) & (frame["indicator"] == indicator)
    ]
    return [float(v) for v in sel.sort_values("prepayment")["value"]]


# ----------------------------------------------------------------------------- §一 overview


def retail_above_corporate(row=None) -> dict:
    """摘要 / §一.1: the 1H25 retail NPL ratio "超过" (exceeds) the corporate one."""
    corporate = lookup.value("retail_npl_overview", indicator="npl_ratio", segment="corporate")
    retail = lookup.value("retail_npl_overview", indicator="npl_ratio", segment="retail")
    return _at_least(retail, Interval.printed(corporate, 2), corporate=corporate)


def halfyear_step_equals_change(row=None) -> dict:
    """§一.1: the last half-yearly rise (1H25) is the stated rise on end-2024: printed twice."""
    change = lookup.value("retail_npl_overview", indicator="npl_ratio_change", segment="retail")
    step = lookup.value(
        "retail_npl_overview", indicator="npl_ratio_halfyear_change", segment="retail", period="1H25"
    )
    return _equal(step, change, 0)


def _stock_share(product: str) -> dict:
    prose = lookup.value("retail_npl_overview", indicator="npl_share_of_total", segment=product)
    table = lookup.value("retail_npl_share", product=product, period="1H25")
    return _equal(prose, table, 1)


def stock_share_mortgage(row=None) -> dict:
    """§一.2: the prose's mortgage share of all NPL (11.7-type figure) equals 图表6's 1H25 cell."""
    return _stock_share("mortgage")


def stock_share_business(row=None) -> dict:
    """§一.2: business loans' share of all NPL in the prose equals 图表6's 1H25 cell."""
    return _stock_share("business")


def stock_share_card(row=None) -> dict:
    """§一.2 / §五: credit cards' share of all NPL in the prose equals 图表6's 1H25 cell."""
    return _stock_share("credit_card")


def stock_share_consumer(row=None) -> dict:
    """§一.2: consumer loans' share of all NPL in the prose equals 图表6's 1H25 cell."""
    return _stock_share("consumer")


def card_share_below_mortgage_business(row=None) -> dict:
    """摘要 / §五: the card share of all NPL is "小于按揭和经营贷" (below mortgages and business loans)."""
    card = lookup.value("retail_npl_share", product="credit_card", period="1H25")
    others = [lookup.value("retail_npl_share", product=p, period="1H25") for p in ("mortgage", "business")]
    return _at_most(card, Interval.printed(min(others), 1), smaller_of_the_two=min(others))


def card_increase_smallest(row=None) -> dict:
    """§一.2 / §五: the 1H25 card NPL increase is "四大类资产中最少" (the smallest of the four)."""
    card = _increase("credit_card", "1H25")
    others = [_increase(p, "1H25") for p in ("mortgage", "consumer", "business")]
    return _at_most(card, Interval.printed(min(others), 0), next_smallest=min(others))


def _fall(new: float, old: float) -> float:
    return 100.0 * (new / old - 1.0)


def card_increase_fall_yoy(row=None) -> dict:
    """§五: the 1H25 card NPL increase fell "近50%" on 1H24 (图表5's rows; a round figure in tens).

    recomputed = 100 × (increase_1H25 / increase_1H24 − 1); the inputs are printed in 百万, so
    their rounding (half a million) is negligible but carried.
    """
    new, old = _increase("credit_card", "1H25"), _increase("credit_card", "1H24")
    iv = intervals.growth(Interval.printed(old, 0), Interval.printed(new, 0))
    return _cell(
        _fact("card_increase_yoy"), _fall(new, old), iv.low, iv.high, increase_1h25=new, increase_1h24=old
    )


def card_increase_fall_hoh(row=None) -> dict:
    """§五: the 1H25 card NPL increase fell "近70%" on 2H24 (图表5: the 2024-vs-1H24 column)."""
    new, old = _increase("credit_card", "1H25"), _increase("credit_card", "2024")
    iv = intervals.growth(Interval.printed(old, 0), Interval.printed(new, 0))
    return _cell(
        _fact("card_increase_hoh"), _fall(new, old), iv.low, iv.high, increase_1h25=new, increase_2h24=old
    )


def business_ratio_rise_fastest(row=None) -> dict:
    """§一.3: business loans' NPL ratio rose "最快" (fastest of the four) in the last two years.

    Over 2023 → 1H25 (图表3), the claim needs business_1H25 ≥ business_2023 + the largest rise of
    the other three products; the published business ratio is tested against that floor.
    """
    r = _ratios()
    rises = {p: r[p]["1H25"] - r[p]["2023"] for p in PRODUCTS if p != "business"}
    floor = r["business"]["2023"] + max(rises.values())
    # the floor is a sum and difference of three printed ratios (two decimals each)
    bound = Interval(floor - 0.015, floor + 0.015)
    return _at_least(
        r["business"]["1H25"],
        bound,
        business_rise_bp=100 * (r["business"]["1H25"] - r["business"]["2023"]),
        largest_other_rise_bp=100 * max(rises.values()),
    )


def mortgage_ratio_lowest(row=None) -> dict:
    """§一.3: mortgages' "整体风险表现最为优质" (the best-performing asset): the lowest NPL ratio
    of the four in every period of 图表3; tested at the period where the margin is smallest."""
    r = _ratios()
    periods = [p for p in r["mortgage"] if not str(p).endswith("E")]
    margins = {p: min(r[q][p] for q in PRODUCTS if q != "mortgage") - r["mortgage"][p] for p in periods}
    tight = min(margins, key=margins.get)
    others_min = min(r[q][tight] for q in PRODUCTS if q != "mortgage")
    return _at_most(
        r["mortgage"][tight], Interval.printed(others_min, 2), n_periods=len(periods), next_lowest=others_min
    )


def card_ratio_relatively_high(row=None) -> dict:
    """§五: the card NPL ratio stays "相对较高" (relatively high) among retail assets: above the
    mortgage and consumer ratios in every period of 图表3 (tested where the margin is smallest);
    the note counts the periods in which it is the highest of all four."""
    r = _ratios()
    periods = [p for p in r["credit_card"] if not str(p).endswith("E")]
    margins = {p: r["credit_card"][p] - max(r["mortgage"][p], r["consumer"][p]) for p in periods}
    tight = min(margins, key=margins.get)
    floor = max(r["mortgage"][tight], r["consumer"][tight])
    highest = sum(1 for p in periods if r["credit_card"][p] >= max(r[q][p] for q in PRODUCTS))
    return _at_least(
        r["credit_card"][tight], Interval.printed(floor, 2), n_periods=len(periods), n_highest=highest
    )


# ----------------------------------------------------------------------------- §二 consumer loans


def listed_banks_over_half(row=None) -> dict:
    """摘要 / §二.2: listed banks hold "超半壁江山" (more than half) of narrow consumer loans (图表10)."""
    share = lookup.value("retail_consumer_market", field="share", lender="listed_banks")
    return _at_least(share, Interval.point(50.0))


def unlisted_share_rounded(row=None) -> dict:
    """摘要 / §二.2 heading: unlisted banks' share printed as a whole per cent equals 图表10's."""
    table = lookup.value("retail_consumer_market", field="share", lender="unlisted_banks")
    return _equal(_fact("unlisted_share_summary"), table, 1)


def matched_scale_range(row=None) -> dict:
    """§二.4: platform-matched consumer loans "4.5-5万亿" against 图表16's printed total (累积)."""
    total = _internet("total", "matched_volume")  # the printed 累积, 亿元
    low = _fact("matched_loans_scale", "CNY_100m", field="value_low")
    high = _fact("matched_loans_scale", "CNY_100m", field="value_high")
    return _cell(total, _clip(total, low, high), low, high, range_low=low, range_high=high)


def _prose_vs_table(indicator: str, tier: str, column: str, table_decimals: int = 0) -> dict:
    prose = _fact(indicator, "CNY_trn")
    table = _internet(tier, column) / 1e4  # 亿元 → 万亿元
    return _equal(prose, table, table_decimals + 4)


def matched_lt18_prose(row=None) -> dict:
    """§二.4: "18%定价以内的资产在2.6万亿左右" against 图表16's 18%以内 row (亿元)."""
    return _prose_vs_table("matched_loans_lt18", "lt18", "matched_volume")


def matched_18_24_prose(row=None) -> dict:
    """§二.4: "18%-24%的资产在1.6万亿左右" against 图表16."""
    return _prose_vs_table("matched_loans_18_24", "18_24", "matched_volume")


def matched_24_36_prose(row=None) -> dict:
    """§二.4: "24%-36%的资产在0.5万亿左右" against 图表16."""
    return _prose_vs_table("matched_loans_24_36", "24_36", "matched_volume")


def bank_lt18_prose(row=None) -> dict:
    """§二.4: commercial banks' below-18 % co-lending "约1.3万亿" against 图表16."""
    return _prose_vs_table("bank_internet_lt18", "lt18", "bank_funded")


def bank_lt18_share_prose(row=None) -> dict:
    """§二.4: that amount "占商业银行表内消费贷的15%" against 图表16's 15.1-type share."""
    return _equal(_fact("bank_internet_lt18_share"), _internet("lt18", "bank_share_of_bank_consumer"), 1)


def bank_18_24_prose(row=None) -> dict:
    """§二.4: commercial banks' 18-24 % co-lending "0.8万亿左右" against 图表16."""
    return _prose_vs_table("bank_internet_18_24", "18_24", "bank_funded")


def listed_internet_prose(row=None) -> dict:
    """§二.4: listed banks' internet loans "预计在1.6万亿" against 图表16's printed 累积."""
    total = _internet("total", "listed_funded") / 1e4  # the printed 累积, 亿元 → 万亿元
    return _equal(_fact("listed_internet_loans", "CNY_trn"), total, 4)


def listed_lt18_nearly_one(row=None) -> dict:
    """§二.4: of which below 18 % "近1万亿" (nearly one trillion), a round figure, against
    图表16's row (which must also lie below it for "近"; ``below`` is 1 when it does)."""
    table = _internet("lt18", "listed_funded") / 1e4
    return _equal(_fact("listed_internet_lt18", "CNY_trn"), table, 4, below=float(table <= 1.0))


def consumer_rate_range_top(row=None) -> dict:
    """§二.3: annual rates "3%-36%不等": the top equals 图表11's highest tier bound."""
    top = float(data.load("retail_consumer_tiers")["rate_high"].max())
    return _equal(_fact("consumer_rate_range", field="value_high"), top, 0)


def joint_loan_shares_complement(row=None) -> dict:
    """§二.3: in a two-party joint loan the bank's "最高出资70%" is the complement of the
    platform's "最低出资30%": recomputed = 100 − platform minimum."""
    bank_max = _fact("joint_loan_max_bank_share")
    platform_min = _fact("joint_loan_min_platform_share")
    return _cell(
        bank_max, 100.0 - platform_min, 100.0 - platform_min, 100.0 - platform_min, platform_min=platform_min
    )


def consumer_ratio_26e_equal(row=None) -> dict:
    """§二 heading / §二.5: the stressed 26E consumer NPL ratio equals 图表7's 26E cell."""
    return _equal(_fact("stress_consumer_ratio_26e"), _ratio("consumer", "26E"), 2)


def profit_bases(row=None) -> dict:
    """§二.5 and §四.4: the net profit implied by "241亿…占26E净利润的0.94%" cannot exceed the
    pre-tax profit implied by the 26E business-loan NPL increase "占26E税前利润的3.26%".

    Net ≤ pre-tax ⇔ 241 / s_net ≤ ΔNPL_business / s_pretax ⇔ s_net ≥ 241 × s_pretax / ΔNPL,
    with ΔNPL_business = 图表7 26E − 25E (亿元). The floor is taken at the inputs' rounding.
    """
    s_net = _fact("stress_consumer_npl_share_net_profit")
    s_pre = _fact("stress_business_share_pretax_profit")
    new_consumer = _fact("stress_consumer_new_npl_26e")
    delta_business = (_amount("business", "26E") - _amount("business", "25E")) / 100.0  # 百万 → 亿
    floor = (
        Interval.printed(new_consumer, 0) * Interval.printed(s_pre, 2) / Interval.printed(delta_business, 2)
    )
    floor_point = new_consumer * s_pre / delta_business
    net_profit = new_consumer / (s_net / 100.0)
    pretax_profit = delta_business / (s_pre / 100.0)
    return _cell(
        s_net,
        _clip(s_net, floor_point, None),
        floor.low,
        None,
        floor_mid=floor_point,
        net_profit=net_profit,
        pretax_profit=pretax_profit,
        delta_business=delta_business,
    )


# ----------------------------------------------------------------------------- §三 mortgages


def _shares(cohort: str, horizon: str) -> list[float]:
    return _balance_rows(cohort, horizon, "share_of_total_mortgage")


def high_ltv_now_low(row=None) -> dict:
    """§三.1(1): "1.9%~4.1%": the low end equals the smallest share in 图表20."""
    return _equal(_fact("high_ltv_share_now", field="value_low"), min(_shares("2021", "current")), 1)


def high_ltv_now_high(row=None) -> dict:
    """§三.1(1): the high end equals the largest share in 图表20."""
    return _equal(_fact("high_ltv_share_now", field="value_high"), max(_shares("2021", "current")), 1)


def high_ltv_now_middle(row=None) -> dict:
    """§三.1(1): "中间值2.9%" is the median of 图表20's seven shares (the 7.5 % prepayment
    column), not the midpoint of the range (the note gives both)."""
    s = _shares("2021", "current")
    return _equal(_fact("high_ltv_share_now"), statistics.median(s), 1, midpoint=(min(s) + max(s)) / 2)


def high_ltv_2027_low(row=None) -> dict:
    """§三.1(1) 2027: "2.4%~7.6%": the low end equals the smallest share in 图表22."""
    return _equal(_fact("high_ltv_share_2027", field="value_low"), min(_shares("2021-2023", "2027")), 1)


def high_ltv_2027_high(row=None) -> dict:
    """§三.1(1) 2027: the high end equals the largest share in 图表22."""
    return _equal(_fact("high_ltv_share_2027", field="value_high"), max(_shares("2021-2023", "2027")), 1)


def high_ltv_2027_middle(row=None) -> dict:
    """§三.1(1) 2027: "中间值为4.5%" is the median of 图表22's shares."""
    s = _shares("2021-2023", "2027")
    return _equal(_fact("high_ltv_share_2027"), statistics.median(s), 1, midpoint=(min(s) + max(s)) / 2)


def cohort_balance_2027_low(row=None) -> dict:
    """§三.1(1) 2027 3): "余额合计为0.89万亿~2.84万亿": low end = smallest 合计 of 图表22."""
    return _equal(
        _fact("cohort_balances_2027", field="value_low"),
        min(_balance_rows("2021-2023", "2027", "balance")),
        2,
    )


def cohort_balance_2027_high(row=None) -> dict:
    """§三.1(1) 2027 3): high end = largest 合计 of 图表22."""
    return _equal(
        _fact("cohort_balances_2027", field="value_high"),
        max(_balance_rows("2021-2023", "2027", "balance")),
        2,
    )


def _ltv(decline: float, prepayment: float) -> float:
    return lookup.value(
        "retail_mortgage_ltv",
        field="ltv",
        cohort=2021,
        horizon="current",
        price_decline=decline,
        prepayment=prepayment,
    )


def ltv_above_100_now(row=None) -> dict:
    """§三.1(1): LTVs "高于80%甚至超过100%" may already occur: 图表19's largest cell is above 100."""
    frame = data.load("retail_mortgage_ltv")
    top = float(frame.loc[(frame["cohort"] == 2021) & (frame["horizon"] == "current"), "ltv"].max())
    return _at_least(top, Interval.point(100.0))


def negative_equity_threshold(row=None) -> dict:
    """§三.1(1) 2027 2): beyond a price fall of "40%", a low-prepayment loan turns into negative
    equity (LTV > 100 %). In 图表19's zero-prepayment column the LTV crosses 100 between the
    40 % and 50 % rows; recomputed = the fall at which the line between them crosses 100."""
    at40, at50 = _ltv(40.0, 0.0), _ltv(50.0, 0.0)
    crossing = 40.0 + (100.0 - at40) / (at50 - at40) * 10.0
    return _cell(_fact("negative_equity_decline"), crossing, 40.0, 50.0, ltv_at_40=at40, ltv_at_50=at50)


def survey_equals_scenario(row=None) -> dict:
    """§三.1(3) / 图表26: the "负现金流" scenario's final NPL ratio is the survey's latest share."""
    return _equal(
        _scenario("negative_cash_flow", "final_npl_ratio"), _fact("survey_payment_exceeds_income_2025"), 1
    )


def high_ltv_scenario_equals_2027(row=None) -> dict:
    """§三.3 / 图表26: the high-LTV scenario's final ratio is the 2027 中间值 of §三.1(1)."""
    return _equal(_scenario("high_ltv", "final_npl_ratio"), _fact("high_ltv_share_2027"), 1)


def international_scenario_equals_ceiling(row=None) -> dict:
    """§三.2 / 图表26: the international scenario's final ratio is the comparators' 2 % ceiling."""
    return _equal(_scenario("international", "final_npl_ratio"), _fact("intl_mortgage_npl_ceiling"), 0)


def mortgage_25e_equals_scenario(row=None) -> dict:
    """§三.3 / 图表7: 图表7's mortgage 25E ratio is 图表26's international-scenario 2025E cell."""
    return _equal(_ratio("mortgage", "25E"), _scenario("international", "npl_ratio_2025e"), 2)


def mortgage_26e_equals_scenario(row=None) -> dict:
    """§三.3 / 图表7: 图表7's mortgage 26E ratio is 图表26's international-scenario 2026E cell."""
    return _equal(_ratio("mortgage", "26E"), _scenario("international", "npl_ratio_2026e"), 2)


def china_rise_mildest(row=None) -> dict:
    """§三.2: China's rise to the peak is "最为温和" (the mildest) of the compared countries."""
    others = [_fact(f"house_price_rise_to_peak_{c}") for c in ("us", "japan", "spain")]
    return _at_most(
        _fact("house_price_rise_to_peak_china"), Interval.printed(min(others), 0), mildest_other=min(others)
    )


def china_fall_relatively_mild(row=None) -> dict:
    """§三.2: China's fall after the peak is "相对温和" (relatively mild): not above the median of
    the five comparators (the note gives their range)."""
    others = [_fact(f"house_price_fall_3y_{c}") for c in ("us", "japan", "korea", "greece", "spain")]
    med = statistics.median(others)
    return _at_most(
        _fact("house_price_fall_3y_china"),
        Interval.printed(med, 0),
        smallest=min(others),
        largest=max(others),
    )


def excess_provisions_vs_npl_stock(row=None) -> dict:
    """§三.3: "拨备覆盖率207%, 150%以上的超额拨备部分2万亿元左右". Excess provisions =
    (coverage − 150 %) × NPL stock; with 001's commercial-bank NPL balance (2025Q3) the product
    is recomputed. (A cross-source check: 002 does not print the NPL stock or its date.)"""
    coverage = _fact("provision_coverage")
    threshold = _fact("excess_provision_threshold")
    stock = lookup.value("npl_banking_system", "CNY_trn", indicator="npl_balance", period="2025Q3")
    excess = (
        (Interval.printed(coverage, 0) - Interval.point(threshold))
        * Interval.printed(stock, 1)
        / Interval.point(100.0)
    )
    return _cell(
        _fact("excess_provisions"),
        (coverage - threshold) / 100.0 * stock,
        excess.low,
        excess.high,
        coverage=coverage,
        threshold=threshold,
        npl_stock=stock,
    )


def excess_provisions_cover_exposure(row=None) -> dict:
    """§三.3: the excess provisions "能够充分覆盖按揭额外暴露的部分" (fully cover the extra
    mortgage exposure): at least the largest extra NPL of 图表26 (high-LTV scenario)."""
    largest = max(_scenario(s, "extra_npl") for s in ("negative_cash_flow", "international", "high_ltv"))
    largest_trn = largest / 1e4
    return _at_least(_fact("excess_provisions"), Interval.printed(largest_trn, 4), largest_exposure=largest)


# ----------------------------------------------------------------------------- §四 business loans


def high_risk_business_over_floor(row=None) -> dict:
    """摘要 / §四.1: high-risk business loans "或超2万亿" (may exceed 2 trillion): the bracketed
    estimate is at least the stated floor."""
    return _at_least(_fact("business_high_risk_stock"), Interval.point(_fact("business_high_risk_floor")))


def business_ratio_rise_narrowed(row=None) -> dict:
    """§四.3: the business NPL ratio's rise "有所收窄" (narrowed): 1H25's rise below 2H24's."""
    return _at_most(
        _fact("business_ratio_change_1h25"), Interval.printed(_fact("business_ratio_change_2h24"), 0)
    )


def business_increase_narrowed(row=None) -> dict:
    """§四.3: the business NPL increase narrowed: 1H25's net increase below 2H24's."""
    return _at_most(
        _fact("business_npl_increase_1h25"), Interval.printed(_fact("business_npl_increase_2h24"), 0)
    )


def business_ratio_25e_equal(row=None) -> dict:
    """§四.4: the stressed 25E business NPL ratio in the prose equals 图表7's 25E cell."""
    return _equal(_fact("stress_business_ratio_25e"), _ratio("business", "25E"), 2)


def business_ratio_26e_equal(row=None) -> dict:
    """§四.4 / 摘要: the stressed 26E business NPL ratio equals 图表7's 26E cell."""
    return _equal(_fact("stress_business_ratio_26e"), _ratio("business", "26E"), 2)


# ----------------------------------------------------------------------------- §五 credit cards


def card_25e_flat(row=None) -> dict:
    """§五: the 25E card ratio is "与1H25持平" (level with 1H25): 图表7's 25E against its 1H25."""
    return _equal(_ratio("credit_card", "25E"), _ratio("credit_card", "1H25"), 2)


def card_ratio_25e_equal(row=None) -> dict:
    """§五: the prose's 25E card ratio equals 图表7's 25E cell."""
    return _equal(_fact("stress_card_ratio_25e"), _ratio("credit_card", "25E"), 2)


def card_ratio_26e_equal(row=None) -> dict:
    """§五 / 摘要: the prose's 26E card ratio equals 图表7's 26E cell."""
    return _equal(_fact("stress_card_ratio_26e"), _ratio("credit_card", "26E"), 2)


# ----------------------------------------------------------------------------- §二.1 consumption and loans


def _growth(series: str, period: str) -> float:
    return lookup.value("retail_consumption_growth", series=series, period=period)


def _printed_decimals(x: float) -> int:
    """Decimals of a figure printed to at most one decimal (the growth rates of §二.1)."""
    return 0 if float(x).is_integer() else 1


def _growth_below(series: str, period: str, than: str, other_series: str | None = None) -> dict:
    base = _growth(other_series or series, than)
    return _at_most(_growth(series, period), Interval.printed(base, _printed_decimals(base)), than=base)


def _growth_above(series: str, period: str, than: str, other_series: str | None = None) -> dict:
    base = _growth(other_series or series, than)
    return _at_least(_growth(series, period), Interval.printed(base, _printed_decimals(base)), than=base)


def consumption_2017_below_2016(row=None) -> dict:
    """§二.1: 2017 urban per-capita consumption growth "仅…低于2016年" (only, below 2016)."""
    return _growth_below("consumption_per_capita", "2017", "2016")


def loans_2017_far_above_2016(row=None) -> dict:
    """§二.1: narrow consumer loans grew in 2017 "远高于2016年" (far above 2016)."""
    return _growth_above("narrow_consumer_loans", "2017", "2016")


def housing_loans_2016_far_above_2015(row=None) -> dict:
    """§二.1: housing loans grew in 2016 "远超2015年" (far above 2015)."""
    return _growth_above("housing_loans", "2016", "2015")


def housing_loans_2017_plunged(row=None) -> dict:
    """§二.1: housing-loan growth "骤降" (plunged) in 2017 from 2016."""
    return _growth_below("housing_loans", "2017", "2016")


def loans_2018_fell_back(row=None) -> dict:
    """§二.1: consumer-loan growth "回落" (fell back) in 2018 from 2017."""
    return _growth_below("narrow_consumer_loans", "2018", "2017")


def loans_2019_fell_further(row=None) -> dict:
    """§二.1: consumer-loan growth "进一步下降" (fell further) in 2019."""
    return _growth_below("narrow_consumer_loans", "2019", "2018")


def consumption_2018_recovered(row=None) -> dict:
    """§二.1: consumption growth was steady "甚至回升" (even recovered) in 2018 on 2017."""
    return _growth_above("consumption_per_capita", "2018", "2017")


def consumption_2019_recovered(row=None) -> dict:
    """§二.1: … and rose again in 2019 on 2018."""
    return _growth_above("consumption_per_capita", "2019", "2018")


def loans_2020_lowest(row=None) -> dict:
    """§二.1 (2): 2020's consumer-loan growth was "2013年以来最低点" (the lowest since 2013):
    below every earlier year the report prints (2016-2019; 2013-2015 are not printed)."""
    frame = data.load("retail_consumption_growth")
    earlier = frame[(frame["series"] == "narrow_consumer_loans") & (frame["period"] < "2020")]
    lowest = float(earlier["value"].min())
    return _at_most(
        _growth("narrow_consumer_loans", "2020"),
        Interval.printed(lowest, 0),
        lowest_earlier=lowest,
        n_years=float(len(earlier)),
    )


def consumption_2020_first_negative(row=None) -> dict:
    """§二.1 (2): 2020's consumption growth was negative, "2013年以来首次为负" (the first time
    since 2013): below zero, while every earlier year the report prints is above it."""
    frame = data.load("retail_consumption_growth")
    earlier = frame[(frame["series"] == "consumption_per_capita") & (frame["period"] < "2020")]
    return _at_most(
        _growth("consumption_per_capita", "2020"),
        Interval.point(0.0),
        lowest_earlier=float(earlier["value"].min()),
    )


def loans_2021_recovered(row=None) -> dict:
    """§二.1 (2): consumer-loan growth "有所恢复" (recovered somewhat) in 2021 on 2020."""
    return _growth_above("narrow_consumer_loans", "2021", "2020")


def consumption_2021_recovered(row=None) -> dict:
    """§二.1 (2): consumption growth "恢复" (recovered) in 2021 on 2020."""
    return _growth_above("consumption_per_capita", "2021", "2020")


def loans_2022_fell_again(row=None) -> dict:
    """§二.1 (2): consumer-loan growth "再次下滑" (slid again) by September 2022 from 2021."""
    return _growth_below("narrow_consumer_loans", "2022-09", "2021")
