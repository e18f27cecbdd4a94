"""Unit tests for the retail chapter's models (hand-computed values, edge cases, monotonicity)."""

import pytest

from helpers.book import data, ledger
from helpers.chapters import retail_risk as retail
from helpers.models import mortgage_ltv as rm
from helpers.models import stress as rs

# ---------------------------------------------------------------- model 1: cohort


def test_remaining_fraction_hand_computed():
    # p = 0: straight-line 4 % a year
    assert rm.remaining_fraction(4, 0.0, 0.04) == pytest.approx(0.84)
    # p = 10 %: 1 → .86 → .734 → .6206 (B_n = 0.9 B_{n-1} - 0.04)
    assert rm.remaining_fraction(3, 0.10, 0.04) == pytest.approx(0.6206)
    # closed form equals the recursion
    b = 1.0
    for _ in range(6):
        b = b * 0.95 - 0.04
    assert rm.remaining_fraction(6, 0.05, 0.04) == pytest.approx(b)


def test_remaining_fraction_floors_at_zero_and_validates():
    assert rm.remaining_fraction(30, 0.0, 0.04) == 0.0
    with pytest.raises(ValueError, match="prepayment"):
        rm.remaining_fraction(4, 1.0)
    with pytest.raises(ValueError, match="prepayment"):
        rm.remaining_fraction(4, -0.1)
    with pytest.raises(ValueError, match="years"):
        rm.remaining_fraction(-1, 0.05)
    with pytest.raises(ValueError, match="amortisation"):
        rm.remaining_fraction(4, 0.05, 1.5)


def test_cohort_ltv_reproduces_a_table19_cell():
    # 图表19: 2021 loans now, 10 % prepayment, prices down 30 % → 52 %
    assert round(rm.cohort_ltv(0.70, 4, 0.10, 0.30) * 100) == 52
    assert rm.cohort_ltv(0.70, 4, 0.0, 0.0) == pytest.approx(0.70 * 0.84)


@pytest.mark.parametrize("p", [0.0, 0.05, 0.15])
def test_ltv_rises_with_decline_and_falls_with_prepayment(p):
    ltvs = [rm.cohort_ltv(0.7, 4, p, d) for d in (0.0, 0.1, 0.3, 0.5, 0.7)]
    assert ltvs == sorted(ltvs) and len(set(ltvs)) == len(ltvs)
    assert rm.cohort_ltv(0.7, 4, p + 0.05, 0.3) < rm.cohort_ltv(0.7, 4, p, 0.3)


def test_cohort_ltv_rejects_bad_input():
    with pytest.raises(ValueError, match="price_decline"):
        rm.cohort_ltv(0.7, 4, 0.05, 1.0)
    with pytest.raises(ValueError, match="initial_ltv"):
        rm.cohort_ltv(0.0, 4, 0.05, 0.2)
    with pytest.raises(ValueError, match="initial"):
        rm.cohort_balance(-1.0, 4, 0.05)


def test_combined_decline_and_high_ltv_balance():
    assert rm.combined_decline(0.3, 0.2) == pytest.approx(0.44)
    assert rm.high_ltv_balance([1.0, 2.0, 3.0], [0.5, 0.81, 1.2], 0.8) == 5.0
    assert rm.high_ltv_balance([1.0], [0.8], 0.8) == 0.0  # strictly above
    with pytest.raises(ValueError, match="same length"):
        rm.high_ltv_balance([1.0], [0.5, 0.6])


def test_implied_issuance_inverts_cohort_balance():
    assert rm.cohort_balance(rm.implied_issuance(0.81, 5, 0.0), 5, 0.0) == pytest.approx(0.81)
    with pytest.raises(ValueError, match="repaid"):
        rm.implied_issuance(0.5, 30, 0.0)


# ---------------------------------------------------------------- model 2: scenarios


def test_scenario_arithmetic_hand_computed():
    m = rm.implied_balance(4680, 0.02, 0.0075)
    assert m == pytest.approx(374_400)
    e = rm.extra_npl(m, 0.012, 0.0075)
    assert e == pytest.approx(1684.8)
    assert rm.extra_provisions(e, 0.7) == pytest.approx(1179.36)
    assert rm.npl_per_year(e, 6) == pytest.approx(280.8)
    r25, r26 = rm.npl_ratio_path(0.0075, 0.02, 6)
    assert r25 == pytest.approx(0.0075 + 0.0125 / 12)
    assert r26 == pytest.approx(0.0075 + 0.0125 * 1.5 / 6)
    # never past the final ratio
    assert rm.npl_ratio_path(0.0075, 0.02, 1, steps=(0.5, 1.0))[-1] == pytest.approx(0.02)


def test_scenario_errors():
    with pytest.raises(ValueError, match="final_ratio"):
        rm.implied_balance(100, 0.005, 0.0075)
    with pytest.raises(ValueError, match="years"):
        rm.npl_per_year(100, 0)
    with pytest.raises(ValueError, match="provision_share"):
        rm.extra_provisions(100, 1.2)
    assert rm.extra_npl(1000, 0.005, 0.0075) == 0.0


def test_shorter_exposure_raises_2026_ratio():
    long = rm.npl_ratio_path(0.0075, 0.02, 6)[1]
    short = rm.npl_ratio_path(0.0075, 0.02, 3)[1]
    assert short > long


# ---------------------------------------------------------------- stress arithmetic


def test_stress_helpers():
    assert rs.repeated_increase(245_184, 41_498, 1) == 286_682  # 图表7 business 25E
    assert rs.repeated_increase(245_184, 41_498, 3) == 369_678  # 图表7 business 26E
    assert rs.repeated_increase(100, 10, 2, 1.2) == pytest.approx(124)
    assert rs.npl_ratio(1, 50) == 0.02
    assert rs.implied_balance(290_020, 0.0085) == pytest.approx(34_120_000)
    assert rs.shares([1, 3]) == [0.25, 0.75]
    assert rs.funded(25_508, 0.5) == 12_754
    assert rs.stressed_increase(9_555, 0.03, 0.04) == pytest.approx(95.55)
    with pytest.raises(ValueError, match="half_years"):
        rs.repeated_increase(1, 1, -1)
    with pytest.raises(ValueError, match="balance"):
        rs.npl_ratio(1, 0)
    with pytest.raises(ValueError, match="ratio"):
        rs.implied_balance(1, 0)
    with pytest.raises(ValueError, match="funding_share"):
        rs.funded(1, 1.5)
    with pytest.raises(ValueError, match="values"):
        rs.shares([0, 0])


# ---------------------------------------------------------------- on the data


def test_inferred_assumptions_hold_on_the_data():
    implied = retail.implied_initial_ltv()
    assert implied.between(0.69, 0.71).all()
    assert retail.industry_mortgage_balance_100m() == pytest.approx(374_400)


def test_published_scenario_reads_the_report():
    sc = retail.published_scenario()
    assert sc.final_mortgage_npl == pytest.approx(0.02)
    assert sc.exposure_years == 6
    assert sc.card_uplift == pytest.approx(0.2)
    assert sc.prepayment == pytest.approx(0.075)


def test_scenario_overrides_and_defaults():
    sc = retail.scenario(price_decline_pct=45, exposure_years=4)
    assert sc.price_decline == pytest.approx(0.45) and sc.exposure_years == 4
    assert sc.final_mortgage_npl == retail.published_scenario().final_mortgage_npl


def test_run_reproduces_exact_stress_cells():
    st = retail.run()["stress"].set_index(["product", "period"])
    assert st.loc[("business", "26E"), "npl_mn"] == pytest.approx(369_678)
    # with the report's implied balances the printed ratio comes back for business loans
    assert st.loc[("business", "26E"), "ratio_report_balance_pct"] == pytest.approx(1.96)


def test_harsher_scenario_moves_results_the_right_way():
    base = retail.run(retail.scenario())
    harsh = retail.run(
        retail.scenario(
            price_decline_pct=50,
            extra_decline_2027_pct=30,
            final_mortgage_npl_pct=3,
            exposure_years=4,
            card_uplift_pct=50,
            business_multiplier=1.5,
            consumer_multiplier=1.5,
        )
    )
    assert (harsh["cohorts"]["ltv"] > base["cohorts"]["ltv"]).all()
    assert harsh["high_ltv_share_now"] >= base["high_ltv_share_now"]
    assert harsh["high_ltv_share_2027"] >= base["high_ltv_share_2027"]
    assert harsh["high_ltv_share_now"] > 0  # a 50 % fall pushes the 2021 cohort above 80 % LTV
    hs, bs = harsh["stress"], base["stress"]
    assert (hs["npl_mn"].to_numpy() >= bs["npl_mn"].to_numpy()).all()
    assert harsh["mortgage_ratio_26e"] > base["mortgage_ratio_26e"]


def test_ledger_rows_are_well_formed_and_findings_explained():
    table = ledger.collect(["retail"])
    assert len(table) == sum(r["chapter"] == "retail" for r in ledger.spec())
    # every printed LTV cell of 图表19/21 is a cell of the spec
    ltv = data.load("retail_mortgage_ltv").dropna(subset=["ltv"])
    assert table["table"].isin(["图表19", "图表21"]).sum() == len(ltv)
    assert set(table["chapter"]) == {"retail"}
    mismatches = table[ledger.is_finding(table)]
    # every finding carries an explanation
    assert (mismatches["note"].str.len() > 0).all()
    # known findings are reported, not tuned away
    rows = set(zip(mismatches["table"], mismatches["column"]))
    assert ("图表26", "2026E按揭不良率") in rows
    assert table[(table["table"] == "图表19")]["status"].eq("match").all()


def test_numbers_work_after_the_chapter_ledger_module_is_imported():
    # importing helpers.chapters.retail_risk.ledger binds the name `ledger` on the package; the
    # package must not rely on a module-level `ledger` that this shadows
    import importlib

    importlib.import_module("helpers.chapters.retail_risk.ledger")
    figures = retail.numbers(retail.run(retail.published_scenario()))
    assert figures


def test_the_ltv_charts_year_choices_come_from_the_horizon_years():
    """The chart's choice of repayment years is HORIZON_YEARS's values, each labelled with the
    printed panels it stands for (no year typed into the chart)."""
    from helpers.chapters.retail_risk import figures

    options, labels = figures.years_since_origination_choices()
    assert options == sorted(set(retail.HORIZON_YEARS.values()))
    assert labels == [
        "4 years: 2021 loans now / 2023 loans in 2027",
        "5 years: 2022 loans in 2027",
        "6 years: 2021 loans in 2027",
    ]
