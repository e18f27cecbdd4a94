"""Scenario test: execute the retail chapter with the defaults and with a harsher scenario.

The chapter runs twice with papermill (through the build's own ``execute_page``) into a temporary
folder; the results are read back from the values each run glued for its prose, and must move
the way the models say they must: a larger price fall gives a higher LTV and never less
high-LTV balance; a higher final NPL ratio over fewer years gives a higher 2026E mortgage ratio.
A third run with an out-of-range parameter must fail naming that parameter.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from _papermill import executed, glued, run_scenarios

from helpers.build import pipeline as build
from helpers.chapters import retail_risk as retail

ROOT = Path(__file__).resolve().parents[1]
CHAPTER = ROOT / "chapters" / "retail_risk.md"

HARSH = {
    "price_decline_pct": 50,
    "extra_decline_2027_pct": 30,
    "prepayment_pct": 5,
    "final_mortgage_npl_pct": 3.0,
    "exposure_years": 4,
    "card_uplift_pct": 50,
    "business_multiplier": 1.5,
    "consumer_multiplier": 1.5,
}


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory):
    """The page run with the defaults, with the harsher scenario and with an out-of-range parameter."""
    scenarios = {"default": {}, "harsh": HARSH, "bad": {"price_decline_pct": 95}}
    return run_scenarios(CHAPTER, scenarios, tmp_path_factory.mktemp("retail_runs"))


@pytest.fixture(scope="module")
def runs(outcomes):
    return {label: glued(executed(outcomes[label])) for label in ("default", "harsh")}


@pytest.mark.notebook
def test_both_scenarios_executed_and_glued(runs):
    for label, values in runs.items():
        assert values["ledger_n"] > 200, label
        assert "sc_ltv_now" in values and "sc_high_2027" in values, label
    assert runs["harsh"]["sc_price_decline"] == pytest.approx(50)
    assert runs["default"]["sc_price_decline"] != runs["harsh"]["sc_price_decline"]


@pytest.mark.notebook
def test_results_move_the_right_way(runs):
    d, h = runs["default"], runs["harsh"]
    assert h["sc_ltv_now"] > d["sc_ltv_now"]
    assert h["sc_ltv_2027"] > d["sc_ltv_2027"]
    assert h["sc_high_now"] >= d["sc_high_now"]
    assert h["sc_high_2027"] >= d["sc_high_2027"]
    assert h["sc_high_2027"] > 0
    assert h["sc_mort_26e"] > d["sc_mort_26e"]
    # the ledger uses the report's assumptions, whatever the reader's scenario
    for key in ("ledger_n", "ledger_match", "ledger_mismatch"):
        assert h[key] == d[key]


@pytest.mark.notebook
def test_notebook_values_equal_the_helpers(runs):
    """The executed chapter shows what the helper functions compute for the same parameters."""
    for label, params in (("default", {}), ("harsh", HARSH)):
        expected = retail.numbers(retail.run(retail.check_parameters(**params)))
        for key in ("sc_ltv_now", "sc_high_now", "sc_high_2027", "sc_mort_26e"):
            assert runs[label][key] == pytest.approx(expected[key], rel=1e-9), (label, key)


@pytest.mark.notebook
def test_out_of_range_parameter_fails_naming_it(outcomes):
    bad = outcomes["bad"]
    assert isinstance(bad, build.BuildError), "a run with price_decline_pct out of range passed"
    assert "price_decline_pct" in str(bad), str(bad)
    # the partial notebook stays in the test's own folder, not in the project's build folder
    assert (executed(outcomes["default"]).parent / "failed" / "bad.ipynb").exists()
    assert not (build.FAILED / "bad.ipynb").exists()


def test_parameter_checks_without_a_kernel():
    from helpers.book.checks import ParameterError

    with pytest.raises(ParameterError, match="exposure_years"):
        retail.check_parameters(exposure_years=0)
    with pytest.raises(ParameterError, match="prepayment_pct"):
        retail.check_parameters(prepayment_pct="fast")
    with pytest.raises(ParameterError, match="unknown"):
        retail.check_parameters(house_prices=3)
    assert retail.check_parameters() == retail.published_scenario()
