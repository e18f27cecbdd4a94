"""Scenario test: execute the cycle chapter with the defaults and with a harsher scenario.

The chapter runs twice with papermill (through the build's own ``execute_page``) into a temporary
folder; the results are read back from the values each run glued for its prose. A higher hidden
ratio, a heavier loss-given-default and a larger price fall must never lower the losses, and the
page must show what the helpers compute for the same parameters. A third run with an
out-of-range parameter must fail naming it.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

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


def glued(path: Path) -> dict[str, float]:
    """Numbers an executed notebook glued (``myst_nb.glue``), by name; text is skipped."""
    nb = nbformat.read(path, as_version=4)
    out = {}
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            name = o.get("metadata", {}).get("scrapbook", {}).get("name")
            text = o.get("data", {}).get("application/papermill.record/text/plain")
            if name and text is not None:
                try:
                    out[name] = float(text)
                except ValueError:
                    pass
    return out


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cycle_runs")
    paths = {}
    for label, params in (("default", {}), ("harsh", HARSH)):
        paths[label] = folder / f"cycle_{label}.ipynb"
        build.execute_page(CHAPTER, paths[label], params)
    return {label: glued(p) for label, p in paths.items()}


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
def test_out_of_range_parameter_fails_naming_it(tmp_path, monkeypatch):
    monkeypatch.setattr(build, "FAILED", tmp_path / "failed")
    with pytest.raises(build.BuildError, match="lgd_pct"):
        build.execute_page(CHAPTER, tmp_path / "bad.ipynb", {"lgd_pct": 120})
