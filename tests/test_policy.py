"""Tests for the housing-finance policy chapter's models (helpers.policy*)."""

import math

import pytest

from helpers.book import ledger
from helpers.chapters import housing_policy as policy
from helpers.chapters.housing_policy import ledger as policy_ledger
from helpers.models import growth as growth_model
from helpers.models import tradein as tradein_model
from helpers.models.loan_switch import (
    gap_share,
    implied_renewing_balance,
    renewal_gap,
    solve_two_point,
    switch_breakeven_years,
    switch_first_year,
)
from helpers.models.payments import (
    annuity_balance,
    annuity_payment,
    annuity_total_interest,
    equal_principal_payments,
    subsidised_payment,
    subsidy_budget_cost,
)


# ------------------------------------------------------------------ mortgage payments
def test_annuity_textbook_value():
    # 100,000 at 6 % over 30 years: the standard table value is 599.55 a month
    assert annuity_payment(100_000, 6.0, 30) == pytest.approx(599.55, abs=0.005)


def test_annuity_one_month_is_principal_plus_interest():
    # one payment: L * (1 + i)
    assert annuity_payment(1200, 12.0, 1 / 12) == pytest.approx(1212.0)


def test_annuity_zero_rate():
    assert annuity_payment(120_000, 0.0, 10) == pytest.approx(1000.0)
    assert annuity_total_interest(120_000, 0.0, 10) == pytest.approx(0.0)


def test_annuity_rises_with_rate_and_falls_with_term():
    assert annuity_payment(1e6, 4.17, 30) > annuity_payment(1e6, 3.59, 30)
    assert annuity_payment(1e6, 3.59, 20) > annuity_payment(1e6, 3.59, 30)


def test_annuity_balance_ends_at_zero_and_starts_at_principal():
    assert annuity_balance(1e6, 3.59, 30, 0) == pytest.approx(1e6)
    assert annuity_balance(1e6, 3.59, 30, 360) == pytest.approx(0.0, abs=1e-6)
    assert annuity_balance(1200, 0.0, 1, 6) == pytest.approx(600.0)


def test_equal_principal_hand_values():
    ep = equal_principal_payments(120_000, 12.0, 1)
    assert ep["first"] == pytest.approx(11_200.0)  # 10,000 + 1 % of 120,000
    assert ep["last"] == pytest.approx(10_100.0)  # 10,000 * 1.01
    assert ep["total_interest"] == pytest.approx(7_800.0)  # 1,200 * 13 / 2


def test_equal_principal_costs_less_interest_than_annuity():
    assert equal_principal_payments(1e6, 3.59, 30)["total_interest"] < annuity_total_interest(1e6, 3.59, 30)


@pytest.mark.parametrize(
    "kwargs, word",
    [
        (dict(principal=-1, rate_pct=3, years=30), "principal"),
        (dict(principal=0, rate_pct=3, years=30), "principal"),
        (dict(principal=1e6, rate_pct=-0.1, years=30), "rate_pct"),
        (dict(principal=1e6, rate_pct=3, years=0), "years"),
        (dict(principal=1e6, rate_pct=3, years=10.05), "years"),
        (dict(principal=float("nan"), rate_pct=3, years=30), "principal"),
    ],
)
def test_annuity_rejects_bad_input(kwargs, word):
    with pytest.raises(ValueError, match=word):
        annuity_payment(**kwargs)


# ------------------------------------------------------------------ subsidy
def test_subsidy_zero_is_no_change_and_full_share_is_lower_rate():
    assert subsidised_payment(1e6, 3.59, 30, 0.0, 1.0) == pytest.approx(annuity_payment(1e6, 3.59, 30))
    assert subsidised_payment(1e6, 3.59, 30, 1.0, 1.0) == pytest.approx(annuity_payment(1e6, 2.59, 30))
    assert subsidised_payment(1e6, 3.59, 30, 1.0, 0.0) == pytest.approx(annuity_payment(1e6, 3.59, 30))


def test_subsidy_half_share_is_between():
    full = subsidised_payment(1e6, 3.59, 30, 1.0, 1.0)
    none = annuity_payment(1e6, 3.59, 30)
    half = subsidised_payment(1e6, 3.59, 30, 1.0, 0.5)
    assert full < half < none
    assert half == pytest.approx((full + none) / 2)


def test_subsidy_can_bring_rate_to_zero_but_not_below():
    assert subsidised_payment(1200, 3.0, 10, 3.0, 1.0) == pytest.approx(10.0)
    with pytest.raises(ValueError, match="subsidy_pp"):
        subsidised_payment(1e6, 3.0, 30, 3.5, 1.0)
    with pytest.raises(ValueError, match="share"):
        subsidised_payment(1e6, 3.0, 30, 1.0, 1.5)
    with pytest.raises(ValueError, match="subsidy_pp"):
        subsidised_payment(1e6, 3.0, 30, -1.0, 1.0)


def test_budget_cost_hand_value_zero_net_rate():
    # rate = subsidy -> the borrower pays no interest; balances 1200, 1100, ..., 100 (sum 7800);
    # the state pays 1 % a month on them: 78
    assert subsidy_budget_cost(1200, 12.0, 1, 12.0, 1.0, 1) == pytest.approx(78.0)


def test_budget_cost_one_point_one_year_just_under_one_percent():
    cost = subsidy_budget_cost(1.0, 3.59, 30, 1.0, 1.0, 1)
    assert 0.0095 < cost < 0.01
    assert subsidy_budget_cost(1.0, 3.59, 30, 1.0, 0.5, 1) == pytest.approx(cost / 2)
    assert subsidy_budget_cost(1.0, 3.59, 30, 1.0, 1.0, 5) > 4 * cost
    assert subsidy_budget_cost(1.0, 3.59, 30, 0.0, 1.0, 5) == 0.0
    # a subsidy longer than the loan stops at the end of the loan
    assert subsidy_budget_cost(1.0, 3.59, 10, 1.0, 1.0, 40) == pytest.approx(
        subsidy_budget_cost(1.0, 3.59, 10, 1.0, 1.0, 10)
    )


# ------------------------------------------------------------------ business-loan switch
def test_breakeven():
    assert switch_breakeven_years(2.0, 200) == pytest.approx(1.0)
    assert switch_breakeven_years(1.0, 50) == pytest.approx(2.0)
    assert switch_breakeven_years(1.0, 0) == math.inf
    assert switch_breakeven_years(1.0, -20) == math.inf
    with pytest.raises(ValueError, match="cost_pct"):
        switch_breakeven_years(-1.0, 100)


def test_switch_first_year():
    r = switch_first_year(1e6, 4.0, 3.0, 20, 1.5)
    assert r["interest_saved"] == pytest.approx(10_000)
    assert r["switch_cost"] == pytest.approx(15_000)
    assert r["cash_relief"] == pytest.approx(12 * annuity_payment(1e6, 4.0, 20) - 30_000)


def test_renewal_gap_hand_values():
    assert renewal_gap(70, 100, 0.20, 0.70) == pytest.approx(14.0)  # 70 - 0.7*80
    assert renewal_gap(70, 100, 0.20, 0.70, 0.10) == pytest.approx(70 - 0.7 * 80 * 0.9)
    assert renewal_gap(100, 100, 0.0, 1.0) == 0.0  # 100 % LTV, no fall
    assert renewal_gap(100, 100, 0.3, 1.0) == pytest.approx(30.0)
    assert renewal_gap(50, 100, 0.2, 0.7) == 0.0  # room absorbs the fall


def test_renewal_gap_monotone_in_fall_and_haircut():
    gaps = [renewal_gap(70, 100, f / 100, 0.7) for f in range(0, 60, 5)]
    assert gaps == sorted(gaps)
    assert renewal_gap(70, 100, 0.2, 0.7, 0.2) > renewal_gap(70, 100, 0.2, 0.7, 0.1)


@pytest.mark.parametrize(
    "kwargs, word",
    [
        (dict(loan=70, original_value=100, price_fall=1.2, renewal_ltv=0.7), "price_fall"),
        (dict(loan=70, original_value=100, price_fall=0.2, renewal_ltv=1.01), "renewal_ltv"),
        (dict(loan=-1, original_value=100, price_fall=0.2, renewal_ltv=0.7), "loan"),
        (dict(loan=70, original_value=0, price_fall=0.2, renewal_ltv=0.7), "original_value"),
        (dict(loan=70, original_value=100, price_fall=0.2, renewal_ltv=0.7, haircut=-0.1), "haircut"),
    ],
)
def test_renewal_gap_rejects_bad_input(kwargs, word):
    with pytest.raises(ValueError, match=word):
        renewal_gap(**kwargs)


def test_gap_share_and_implied_balance():
    assert gap_share(0.2) == pytest.approx(0.2)
    assert gap_share(0.2, 0.1) == pytest.approx(1 - 0.8 * 0.9)
    assert gap_share(0.04, 0.0, 1.05) == 0.0
    assert implied_renewing_balance(500, 0.15) == pytest.approx(500 / 0.15)
    assert implied_renewing_balance(500, 0.0) == math.inf


def test_two_point_recovers_known_parameters():
    b, m = 4000.0, 1.1
    g1 = b * (1 - m * 0.8)
    g2 = b * (1 - m * 0.7)
    sol = solve_two_point(g1, 0.2, g2, 0.3)
    assert sol["headroom"] == pytest.approx(m)
    assert sol["renewing_balance"] == pytest.approx(b)
    with pytest.raises(ValueError, match="fall_high"):
        solve_two_point(500, 0.25, 1000, 0.15)


def test_published_gap_range_needs_headroom():
    sol = solve_two_point(500, 0.15, 1000, 0.25)
    assert sol["headroom"] == pytest.approx(1 / 0.95)
    assert sol["renewing_balance"] == pytest.approx(4750)


# ------------------------------------------------------------------ growth and trade-in
def test_growth_helpers():
    assert growth_model.growth_pct(100, 150) == pytest.approx(50)
    assert growth_model.cagr_pct(100, 121, 2) == pytest.approx(10)
    assert growth_model.cagr_from_total_pct(21, 2) == pytest.approx(10)
    assert growth_model.growth_from_increase_pct(110, 10) == pytest.approx(10)
    lo, hi = growth_model.growth_interval_pct(11.8, 23.5, 0.05, 0.05)
    assert lo < 98.1 < hi
    with pytest.raises(ValueError, match="start"):
        growth_model.growth_pct(0, 1)
    with pytest.raises(ValueError, match="increase"):
        growth_model.growth_from_increase_pct(10, 10)


def test_tradein_rent_model():
    assert tradein_model.lease_share_of_price(20, 2.0) == pytest.approx(0.40)
    assert tradein_model.years_to_fund(0.40, 2.0) == pytest.approx(20)
    assert tradein_model.yield_from_capitalisation(50) == pytest.approx(2.0)
    # discounting makes a prepaid lease worth less, and the round trip holds
    disc = tradein_model.lease_share_of_price(20, 2.0, 3.0)
    assert disc < 0.40
    assert tradein_model.years_to_fund(disc, 2.0, 3.0) == pytest.approx(20)
    # no lease is long enough when the target exceeds the whole discounted rent stream
    assert tradein_model.years_to_fund(1.0, 2.0, 5.0) == math.inf
    assert tradein_model.down_payment_from_ltv(70) == pytest.approx(30)
    with pytest.raises(ValueError, match="ltv_pct"):
        tradein_model.down_payment_from_ltv(101)
    with pytest.raises(ValueError, match="yield_pct"):
        tradein_model.years_to_fund(0.3, 0.0)


# ------------------------------------------------------------------ ledger
def test_ledger_checks_are_policy_checks_with_known_mismatches():
    checks = policy_ledger.ledger_checks()
    assert len(checks) == sum(r["chapter"] == "policy" for r in ledger.spec())
    assert all(c.chapter == "policy" for c in checks)
    table = ledger.frame(checks)
    found = table[ledger.is_finding(table)]
    assert set(zip(found["table"], found["column"], found["status"])) == {
        ("§二(二)", "q/q growth 2024Q1 (%)", "source error"),
        ("§五(二)", "from the low end: same loans, same LTV (亿元)", "unexplained"),
    }
    near = table[table.status == "within rounding"]
    assert set(zip(near["table"], near["column"])) == {
        ("§二(二)", "y/y change (%)"),
        ("§三(二)", "at the rate implied by the outstanding stock (亿元)"),
        ("§五(二)", "growth over 4 years (%)"),
        ("§五(二)", "CAGR from the two balances (%)"),
    }
    # every non-match carries an explanation
    assert all(table.loc[table.status != "match", "note"].str.len() > 20)


# ------------------------------------------------------------------ chapter helpers and charts
def test_subsidy_summary_units():
    s = policy.subsidy_summary(3.59, 1e6, 30, 1.0, 1.0, 1)
    # one point on 1 trn for a year is a little under 1 % of 1 trn = 100 亿元
    assert 95 < s["cost_first_year"] < 100
    assert s["cost_total"] == pytest.approx(s["cost_first_year"])
    assert s["payment_after"] < s["payment_before"]
    with pytest.raises(ValueError, match="subsidy_pp"):
        policy.subsidy_summary(3.59, 1e6, 30, 4.0, 1.0, 1)


def test_renewal_gap_scenarios_table():
    t = policy.renewal_gap_scenarios(500, 1000, 0.15, 0.25, haircuts=(0.0,))
    assert list(t["renewing_balance"].round(0))[:2] == [3333, 4000]
    assert t["headroom"].iloc[-1] == pytest.approx(1 / 0.95)


def test_named_rates_from_data():
    rates = policy.named_rates(policy.indicators())
    assert rates["first home, average end-2023"] == pytest.approx(3.88)
    assert rates["second home, average end-2023"] == pytest.approx(4.42)


def test_payment_calculator_is_interactive_without_a_kernel():
    import vl_convert

    from helpers.chapters.housing_policy import figures as policy_charts

    chart = policy_charts.payment_calculator({"a": 3.59, "b": 4.17}, 1e6, 1.0, 1.0, "Source: test")
    vega = vl_convert.vegalite_to_vega(chart.to_dict())
    bound = {s["name"]: s["bind"]["input"] for s in vega["signals"] if "bind" in s}
    assert bound == {"rate": "select", "subsidy": "range", "share": "range"}


def test_payment_cut_pct_is_the_share_of_the_old_payment():
    from helpers.models.payments import payment_cut_pct

    assert payment_cut_pct(200.0, 190.0) == pytest.approx(5.0)
    assert payment_cut_pct(100.0, 100.0) == 0.0
    with pytest.raises(ValueError, match="before"):
        payment_cut_pct(0.0, 1.0)


def test_numbers_hold_the_scenario_and_the_chapter_figures():
    scenario = dict(
        loan_yuan=1_000_000.0,
        term_years=30,
        subsidy_pp=1.0,
        subsidy_share_pct=100.0,
        subsidy_years=5.0,
        price_fall_pct=20.0,
        renewal_haircut_pct=0.0,
        switch_ltv_pct=70.0,
        discount_pct=3.0,
    )
    base = policy.numbers(**scenario)
    harsher = policy.numbers(**{**scenario, "price_fall_pct": 40.0})
    assert base["price_fall_pct"] == 20.0 and harsher["price_fall_pct"] == 40.0
    assert harsher["gap_one"] > base["gap_one"]  # a larger fall never narrows the renewal gap
    assert base["pay_cut_saving"] == pytest.approx(base["pay_first_before"] - base["pay_first_now"])
    assert base["pay_cut_saving_pct"] == pytest.approx(
        100 * base["pay_cut_saving"] / base["pay_first_before"]
    )
