"""Scenario test: execute the cycle chapter with the defaults and with a harsher scenario.

The chapter runs twice with papermill (through the build's own ``execute_page``) into a temporary
folder; the results are read back from the values each run glued for its prose. A higher hidden
ratio, a heavier loss-given-default and a larger price fall must never lower the losses, and the
page must show what the helpers compute for the same parameters. A third run with an
out-of-range parameter must fail naming it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from _papermill import executed, glued, run_scenarios

from helpers.build import pipeline as build
from helpers.chapters import cycle

ROOT = Path(__file__).resolve().parents[1]
CHAPTER = ROOT / "chapters" / "cycle.md"

HARSH = {
    "hidden_ratio_pct": 10.0,
    "lgd_pct": 50.0,
    "price_response": 3.0,
    "extra_decline_2027_pct": 30.0,
    "conversion_pct": 100.0,
}


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory):
    """The page run with the defaults, with the harsher scenario and with an out-of-range parameter."""
    scenarios = {"default": {}, "harsh": HARSH, "bad": {"lgd_pct": 120}}
    return run_scenarios(CHAPTER, scenarios, tmp_path_factory.mktemp("cycle_runs"))


@pytest.fixture(scope="module")
def runs(outcomes):
    return {label: glued(executed(outcomes[label])) for label in ("default", "harsh")}


@pytest.mark.notebook
def test_both_scenarios_executed_and_glued(runs):
    for label, values in runs.items():
        assert values["draws"] >= 10_000, label
        assert "loss_trn" in values and "p_excess" in values, label
    assert runs["harsh"]["sc_hidden_pct"] == pytest.approx(10.0)
    assert runs["default"]["sc_hidden_pct"] == pytest.approx(runs["default"]["jri_pct"])


@pytest.mark.notebook
def test_results_move_the_right_way(runs):
    d, h = runs["default"], runs["harsh"]
    assert h["gap_trn"] > d["gap_trn"]
    assert h["loss_trn"] > d["loss_trn"]
    assert h["years_after_excess"] >= d["years_after_excess"]
    assert h["extra_fall_pct"] > d["extra_fall_pct"]
    assert h["total_fall_2027_pct"] > d["total_fall_2027_pct"]
    assert h["extra_mortgage_trn"] >= d["extra_mortgage_trn"]
    # the identity and the source figures do not depend on the reader's scenario
    for key in ("identity_max_residual", "new_low_pct", "new_high_pct", "excess_recomputed", "jri_gap_trn"):
        assert h[key] == d[key], key


@pytest.mark.notebook
def test_notebook_values_equal_the_helpers(runs):
    """The executed chapter shows what the helper functions compute for the same parameters."""
    for label, params in (("default", {}), ("harsh", HARSH)):
        args = cycle.check_parameters(**params)
        result = cycle.run(args["params"], args["levers"], feedback=args["feedback"])
        expected = cycle.numbers(result, cycle.monte_carlo(args["draws"], args["seed"], args["levers"]))
        for key in ("loss_trn", "years_after_excess", "extra_fall_pct", "p_excess", "mc_median"):
            assert runs[label][key] == pytest.approx(expected[key], rel=1e-9), (label, key)


@pytest.mark.notebook
def test_out_of_range_parameter_fails_naming_it(outcomes):
    bad = outcomes["bad"]
    assert isinstance(bad, build.BuildError), "a run with lgd_pct out of range passed"
    assert "lgd_pct" in str(bad), str(bad)
    # the partial notebook stays in the test's own folder, not in the project's build folder
    assert (executed(outcomes["default"]).parent / "failed" / "bad.ipynb").exists()
    assert not (build.FAILED / "bad.ipynb").exists()
