"""The cycle chapter: its pure models (hand-computed values, rejected input, monotonicity), the
stock-flow identity, and the promise that with the loop off it reproduces the retail chapter.

Each module of :mod:`helpers.chapters.cycle` is tested where its functions live (``scenario.run``,
``simulation.monte_carlo`` …); the package itself is tested for what the page calls through it and
for a data flow that runs one way through its modules."""

from __future__ import annotations

import ast
import json
import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers.book.checks import ParameterError
from helpers.chapters import cycle
from helpers.chapters import retail_risk as retail
from helpers.chapters.cycle import (
    book_assumptions,
    loss_frontier,
    parameters,
    retail_ltv_lookup,
    scenario,
    simulation,
    source_figures,
    stock_and_flow,
)
from helpers.chapters.cycle import tables as cycle_tables
from helpers.models import cycle as cm
from helpers.models import mortgage_ltv

# ----------------------------------------------------------------------------- pure models


def test_stock_flow_identity_by_hand():
    assert cm.new_npl_from_stocks(3.0, 3.5, 3.8) == pytest.approx(4.3)
    assert cm.next_stock(3.0, 4.3, 3.8) == pytest.approx(3.5)
    assert cm.identity_residual(3.0, 4.3, 3.8, 3.5) == pytest.approx(0.0)
    assert cm.identity_residual(3.0, 4.3, 3.8, 3.6) == pytest.approx(-0.1)


def test_roll_stock_keeps_the_identity_every_period():
    new = np.array([[1.0, 2.0, 0.5], [0.0, 0.0, 0.0]])
    disp = np.array([0.5, 0.5, 0.5])
    stocks = cm.roll_stock(np.array([2.0, 2.0]), new, disp)
    assert stocks[0].tolist() == pytest.approx([2.5, 4.0, 4.0])
    starts = np.c_[np.array([2.0, 2.0]), stocks[:, :-1]]
    assert np.allclose(cm.identity_residual(starts, new, disp, stocks), 0.0)
    with pytest.raises(ValueError, match="negative"):
        cm.roll_stock(0.1, np.array([0.0, 0.0]), np.array([0.2, 0.0]))
    with pytest.raises(ValueError, match="negative"):
        cm.next_stock(1.0, 0.0, 2.0)


def test_loss_absorption_by_hand():
    assert cm.hidden_gap(200.0, 0.015, 0.065) == pytest.approx(10.0)
    assert cm.hidden_gap(200.0, 0.015, 0.010) == 0.0  # below the official ratio: no gap
    assert cm.loss(10.0, 0.3) == pytest.approx(3.0)
    assert cm.provisions(3.5, 2.07) == pytest.approx(7.245)
    assert cm.excess_provisions(3.5, 2.07) == pytest.approx(1.995)
    assert cm.excess_provisions(3.5, 1.2) == 0.0
    assert cm.yearly_earnings(0.0063, 230.0, 0.5) == pytest.approx(2.898)
    assert cm.years_of_earnings(5.0, 2.0, 1.5) == pytest.approx(2.0)
    assert cm.years_of_earnings(1.0, 2.0, 1.5) == 0.0
    # a further 10 % price fall turns a 30 % loss on the secured part into 1 - 0.7 * 0.9 = 37 %
    assert cm.loss_with_collateral(1.0, 1.0, 0.3, 0.1) == pytest.approx(0.3 + 0.37)
    assert cm.loss_with_collateral(2.0, 3.0, 0.3) == pytest.approx(cm.loss(5.0, 0.3))


def test_break_even_ratio_by_hand_is_the_inverse_of_the_loss():
    # 0.015 + 2 / (0.25 x 200) = 0.055; at that hidden ratio the loss is the buffer
    assert cm.break_even_ratio(0.015, 2.0, 0.25, 200.0) == pytest.approx(0.055)
    h = cm.break_even_ratio(0.015, np.array([0.0, 1.0, 7.0]), 0.4, 230.0)
    assert h[0] == pytest.approx(0.015)
    assert cm.loss(cm.hidden_gap(230.0, 0.015, h), 0.4) == pytest.approx([0.0, 1.0, 7.0])


def test_housing_links_by_hand():
    assert cm.collateral_homes(2.0, 0.5, 0.25) == pytest.approx(1.0)
    assert cm.yearly_price_fall(100.0, 1000.0, 1.5) == pytest.approx(0.15)
    assert cm.yearly_price_fall(10_000.0, 1000.0, 1.5) == pytest.approx(0.5)  # capped
    assert cm.cumulative_fall(0.1, 2) == pytest.approx(0.19)
    assert cm.combine_falls(0.3, 0.2) == pytest.approx(mortgage_ltv.combined_decline(0.3, 0.2))
    assert cm.absorption_with_policy(100.0, 0.1, 2.0, 5.0) == pytest.approx(125.0)


def test_step_lookup_takes_the_point_at_or_below():
    grid, vals = np.array([0.0, 0.5, 0.7]), np.array([0.0, 1.0, 2.0])
    assert cm.step_lookup(grid, vals, np.array([0.0, 0.49, 0.5, 0.69, 0.7, 0.95])).tolist() == [
        0,
        0,
        1,
        1,
        2,
        2,
    ]
    with pytest.raises(ValueError, match="increasing"):
        cm.step_lookup(np.array([0.0, 0.0]), np.array([1.0, 2.0]), 0.1)
    with pytest.raises(ValueError, match="below the grid"):
        cm.step_lookup(grid, vals, -0.1)


def test_fixed_point_closes_the_loop_and_opens_without_response():
    def m(delta):  # a step: 1.0 of mortgage bad loans once the fall passes 9 %
        return np.where(np.asarray(delta) >= 0.09, 1.0, 0.0)

    delta, extra, rounds = cm.feedback_fixed_point(1.0, 1.0, 1.0, 10.0, 1.0, 1.0, 1.0, m)
    # round 0: fall = 1/10 = 10 % -> extra 1.0; then fall = 2/10 = 20 %, extra stays 1.0
    assert delta == pytest.approx(0.2) and extra == 1.0 and rounds >= 1
    delta, extra, _ = cm.feedback_fixed_point(1.0, 1.0, 1.0, 10.0, 0.0, 1.0, 1.0, m)
    assert delta == 0.0 and extra == 0.0


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: cm.hidden_gap(-1.0, 0.01, 0.02), "loans"),
        (lambda: cm.hidden_gap(1.0, 0.01, 1.5), "hidden_ratio"),
        (lambda: cm.loss(1.0, 1.2), "lgd"),
        (lambda: cm.loss(True, 0.2), "bad_loans"),
        (lambda: cm.yearly_earnings(0.006, 100.0, 0.0), "loan_share_of_assets"),
        (lambda: cm.years_of_earnings(1.0, 0.0, 0.0), "earnings"),
        (lambda: cm.yearly_price_fall(1.0, 0.0, 1.0), "absorption"),
        (lambda: cm.collateral_homes(1.0, 0.0, 0.5), "loan_per_home"),
        (lambda: cm.cumulative_fall(1.0, 2), "yearly_fall"),
        (lambda: cm.new_npl_from_stocks("3", 3.5, 3.8), "stock_start"),
        (lambda: cm.exposure_path(1.0, 0.0, [1, 2]), "exposure_years"),
        (lambda: cm.loss(float("nan"), 0.2), "bad_loans"),
        (lambda: cm.break_even_ratio(0.015, 2.0, 0.0, 200.0), "lgd"),
        (lambda: cm.break_even_ratio(0.015, -1.0, 0.3, 200.0), "buffer"),
        (lambda: cm.break_even_ratio(0.015, 2.0, 0.3, 0.0), "loans"),
    ],
)
def test_bad_input_names_the_argument(call, name):
    with pytest.raises(ValueError, match=name):
        call()


def test_vectorised_forms_agree_with_scalars():
    h = np.array([0.02, 0.05, 0.078])
    gaps = cm.hidden_gap(230.0, 0.0152, h)
    assert gaps.shape == (3,)
    assert gaps[1] == pytest.approx(cm.hidden_gap(230.0, 0.0152, 0.05))
    path = cm.exposure_path(np.array([6.0, 3.0]), np.array([6.0, 3.0]), np.arange(0, 5))
    assert path.shape == (2, 5) and path[0, 3] == pytest.approx(3.0) and path[1, 4] == pytest.approx(3.0)


# ----------------------------------------------------------------------------- the chapter on data


@pytest.fixture(scope="module")
def base():
    return scenario.run()


def test_stock_flow_identity_holds_on_the_data():
    sf = stock_and_flow.stock_flow()
    assert (sf["residual"].abs() < 1e-12).all()
    i = source_figures.inputs()
    # newly bad = disposals when the stock is unchanged; more when it grew
    assert sf["new_npl"].min() == pytest.approx(i["disposals_2024_trn"])
    assert sf["new_npl"].max() > i["disposals_2024_trn"]


def test_projection_identity_holds_every_year(base):
    p = base["projection"]
    assert (p["residual"].abs() < 1e-9).all()
    starts = np.r_[source_figures.inputs()["stock_trn"], p["stock_end"].to_numpy()[:-1]]
    assert np.allclose(p["stock_start"], starts)
    # once the gap is recognised in full, the ratio is the hidden ratio
    assert p["ratio_pct"].iloc[-1] == pytest.approx(100 * base["params"]["hidden_ratio"] + 0.0, rel=0.02)


def test_loan_book_is_the_stock_over_the_ratio():
    i = source_figures.inputs()
    assert source_figures.loans_trn() * i["official_ratio"] == pytest.approx(i["stock_trn"], rel=1e-12)


def test_excess_provisions_agree_with_coverage_times_stock(base):
    # 002's coverage and excess, on 001's stock: (2.07 - 1.5) x 3.5 = 1.995, printed "about 2"
    assert base["excess_recomputed_trn"] == pytest.approx(base["excess_provisions_trn"], abs=0.05)


def test_feedback_off_reproduces_the_retail_chapter_exactly():
    off = scenario.run(feedback=False)["retail"]
    own = retail.run(retail.check_parameters())
    pd.testing.assert_frame_equal(off["stress"], own["stress"], check_exact=True)
    pd.testing.assert_frame_equal(off["cohorts"], own["cohorts"], check_exact=True)
    pd.testing.assert_frame_equal(
        retail.scenario_summary(off), retail.scenario_summary(own), check_exact=True
    )


def test_feedback_off_reproduces_the_retail_chapter_on_another_price_path():
    params = parameters.check_parameters(extra_decline_2027_pct=30, feedback=False)
    off = scenario.run(params["params"], feedback=False)["retail"]
    own = retail.run(retail.check_parameters(extra_decline_2027_pct=30))
    pd.testing.assert_frame_equal(
        retail.scenario_summary(off), retail.scenario_summary(own), check_exact=True
    )


def test_zero_price_response_equals_the_loop_off():
    on = scenario.run({"response": 0.0})
    off = scenario.run(feedback=False)
    assert on["loss_trn"] == off["loss_trn"]
    pd.testing.assert_frame_equal(on["retail"]["stress"], off["retail"]["stress"], check_exact=True)


def test_retail_comparison_first_two_columns_equal(base):
    table = cycle_tables.retail_comparison(base)
    assert (table["Retail chapter"] == table["This chapter, loop off"]).all()


# ----------------------------------------------------------------------------- monotonicity


def _losses(**params):
    return scenario.run(params, with_retail=False)["loss_trn"]


@pytest.mark.parametrize("hidden", [[0.0152, 0.03, 0.05, 0.078, 0.10, 0.15]])
def test_higher_hidden_ratio_never_lowers_losses(hidden):
    for response in (0.0, 1.0, 3.0):
        losses = [_losses(hidden_ratio=h, response=response) for h in hidden]
        assert all(b >= a for a, b in zip(losses, losses[1:])), (response, losses)
    assert _losses(hidden_ratio=0.0152) == 0.0


def test_larger_price_fall_never_lowers_losses():
    for name, values in (
        ("extra_decline_2027", [0.0, 0.1, 0.2, 0.3, 0.4, 0.5]),
        ("price_decline", [0.1, 0.2, 0.3, 0.4, 0.5]),
        ("response", [0.0, 0.5, 1.0, 2.0, 3.0, 5.0]),
    ):
        for hidden in (0.05, 0.10):
            losses = [_losses(**{name: v, "hidden_ratio": hidden}) for v in values]
            assert all(b >= a for a, b in zip(losses, losses[1:])), (name, hidden, losses)


@pytest.mark.parametrize(
    "name, amount",
    [
        ("hidden_ratio", 0.01),
        ("extra_decline_2027", 0.1),
        ("price_decline", 0.1),
        ("response", 1.0),
        ("lgd", 0.05),
    ],
)
def test_monotone_for_every_draw_of_the_vectorised_loop(name, amount):
    """The same 2,000 draws with one assumption moved the harsh way: no draw loses less."""
    lo = simulation.monte_carlo(2_000, seed=1)
    hi = simulation.monte_carlo(2_000, seed=1, shifts={name: amount})
    assert np.all(hi["loss"] >= lo["loss"] - 1e-12)
    assert np.any(hi["loss"] > lo["loss"])


def test_policy_levers_never_raise_losses():
    harsh = book_assumptions.HARSHER
    none = scenario.run(harsh)
    for lever in scenario.POLICY_LEVERS:
        with_lever = scenario.run(harsh, {lever: True})
        assert with_lever["loss_trn"] <= none["loss_trn"] + 1e-12, lever
        assert with_lever["extra_fall"] <= none["extra_fall"] + 1e-12, lever
    every = scenario.run(harsh, {k: True for k in scenario.POLICY_LEVERS})
    assert every["extra_fall"] < none["extra_fall"]


def test_policy_table_has_each_lever_in_both_cases():
    table = scenario.policy_table()
    assert list(table["case"].drop_duplicates()) == ["Default assumptions", "Harsher prices"]
    assert len(table) == 2 * table["levers"].nunique()
    none = table[table["levers"] == "No policy"].set_index("case")["extra_fall_pct"]
    every = table[table["levers"] == "All three"].set_index("case")["extra_fall_pct"]
    assert (every <= none).all()


def test_the_loop_bites_in_the_harsher_case():
    harsh = scenario.run({**book_assumptions.HARSHER})
    assert harsh["extra_mortgage_npl_trn"] > 0
    assert harsh["loss_trn"] > scenario.run(book_assumptions.HARSHER, feedback=False)["loss_trn"]


# ----------------------------------------------------------------------------- Monte Carlo


def test_monte_carlo_is_seeded_vectorised_and_draws_within_ranges():
    a = simulation.monte_carlo(10_000, seed=7)
    b = simulation.monte_carlo(10_000, seed=7)
    c = simulation.monte_carlo(10_000, seed=8)
    assert np.array_equal(a["loss"], b["loss"])
    assert not np.array_equal(a["loss"], c["loss"])
    assert a["loss"].shape == (10_000,)
    ranges = {x.name: x for x in book_assumptions.assumptions()}
    for name, draws in a["draws"].items():
        assert draws.min() >= ranges[name].low - 1e-12 and draws.max() <= ranges[name].high + 1e-12, name
    ex = simulation.exceedance(a)["Probability (%)"]
    assert ex.between(0, 100).all()
    # a larger buffer is exceeded no more often
    assert ex.iloc[0] >= ex.iloc[1] >= ex.iloc[2]
    f = simulation.fan(a)
    assert (f["q05"] <= f["q25"]).all() and (f["q25"] <= f["q50"]).all() and (f["q75"] <= f["q95"]).all()
    assert (f["q50"].diff().dropna() >= -1e-12).all()


def test_monte_carlo_rejects_bad_draws():
    with pytest.raises(ValueError, match="draws"):
        simulation.monte_carlo(0)
    with pytest.raises(ValueError, match="shifts.*'roe'"):
        simulation.monte_carlo(10, shifts={"roe": 0.1})


# ----------------------------------------------------------------------------- parameters and the page's data


def test_parameter_checks_name_the_parameter():
    check = parameters.check_parameters
    with pytest.raises(ParameterError, match="hidden_ratio_pct"):
        check(hidden_ratio_pct=25)
    with pytest.raises(ParameterError, match="hidden_ratio_pct.*below the official"):
        check(hidden_ratio_pct=1.0)
    with pytest.raises(ParameterError, match="lgd_pct"):
        check(lgd_pct="half")
    with pytest.raises(ParameterError, match="feedback"):
        check(feedback="yes")
    with pytest.raises(ParameterError, match="draws"):
        check(draws=500)
    with pytest.raises(ParameterError, match="draws"):
        check(draws=10_000.5)
    with pytest.raises(ParameterError, match="unknown"):
        check(house_prices=3)
    got = check()
    assert got["params"] == {} and got["feedback"] is True and got["draws"] == 10_000
    got = check(lgd_pct=50, price_response=2, rate_cut=True)
    assert got["params"] == {"lgd": 0.5, "response": 2}
    assert got["levers"] == {"rate_cut": True, "tradein": False, "payment_subsidy": False}


def test_assumption_table_has_range_and_reason_for_each():
    table = cycle_tables.assumption_table()
    assert len(table) == len(book_assumptions.assumptions())
    for a in book_assumptions.assumptions():
        assert a.low <= a.default <= a.high, a.name
        assert len(a.reason) > 30, a.name
    assert set(book_assumptions.defaults()) == {a.name for a in book_assumptions.assumptions()}


def test_slider_grid_is_small_and_complete(base):
    g = loss_frontier.slider_grid()
    assert len(g) == len(loss_frontier.hidden_ratio_grid()) * len(loss_frontier.RESPONSES) * 2
    assert g["hidden_pct"].min() == pytest.approx(1.5) and g["hidden_pct"].max() == pytest.approx(10.0)
    # at the defaults, the grid row reproduces the point run
    row = g[
        (g["hidden_pct"].round(2) == round(100 * base["params"]["hidden_ratio"], 2))
        & (g["response"] == base["params"]["response"])
        & (~g["policy"])
    ].iloc[0]
    loss = cm.loss_with_collateral(
        row["unsecured_trn"], row["secured_trn"], base["params"]["lgd"], row["extra_fall"]
    )
    assert loss == pytest.approx(base["loss_trn"], rel=1e-9)


def test_break_even_ratios_use_up_each_buffer_without_the_loop(base):
    """At each break-even ratio, the loop-off losses equal the buffer; the table shows those ratios."""
    excess = base["excess_provisions_trn"]
    lgd = base["params"]["lgd"]
    h = loss_frontier.break_even_ratio(excess, lgd)
    off = scenario.run({"hidden_ratio": h}, feedback=False, with_retail=False)
    assert off["loss_trn"] == pytest.approx(excess, rel=1e-12)
    table = cycle_tables.break_even_table(base)
    assert table.shape == (4, 3)
    # excess, plus one and plus three years of profit: a larger buffer takes a higher ratio
    assert (table.iloc[:3].diff().iloc[1:] > 0).all().all()
    # a larger loss given default (columns, left to right) uses each buffer up sooner
    assert (table.diff(axis=1).iloc[:, 1:] < 0).all().all()


def test_numbers_are_numbers(base):
    figs = cycle.numbers(base, simulation.monte_carlo(10_000))
    assert all(isinstance(v, float) for v in figs.values())
    assert figs["loss_trn"] == pytest.approx(base["loss_trn"])
    assert set(cycle.verdicts(base)) == {"v_excess", "v_all", "v_loop"}


def test_high_ltv_lookup_equals_the_retail_chapter_run():
    """The step function the loop reads equals the retail chapter's own run, at and around every step."""
    from dataclasses import replace

    xs, _ = retail_ltv_lookup.high_ltv_steps(retail.published_scenario().prepayment)
    falls = list(np.arange(0.0, 0.9, 0.03)) + [x + e for x in xs[1:] for e in (-1e-6, 1e-7, 1e-6)]
    for fall in falls:
        sc = replace(retail.published_scenario(), price_decline=0.0, extra_decline_2027=float(fall))
        assert retail_ltv_lookup.high_ltv_share_2027(float(fall)) == retail.run(sc)["high_ltv_share_2027"], (
            fall
        )


@pytest.fixture(scope="module")
def frontier(base):
    """The slider chart's settings at the book's defaults (copy before changing)."""
    return loss_frontier.frontier_settings(base)


def test_slider_chart_formula_equals_the_model_and_the_spec_stays_small(frontier):
    """The browser's loss formula gives what the Python loop gives, on every slider setting."""
    from helpers.chapters.cycle import figures

    settings = dict(frontier)
    grid = loss_frontier.slider_grid()
    for lgd in (0.25, 0.313, 0.5):
        ours = cm.loss_with_collateral(
            grid["unsecured_trn"].to_numpy(),
            grid["secured_trn"].to_numpy(),
            lgd,
            grid["extra_fall"].to_numpy(),
        )
        chart = np.array(
            [
                loss_frontier.frontier_loss(settings, g, lgd, r, p)
                for g, r, p in zip(grid["gap_trn"], grid["response"], grid["policy"])
            ]
        )
        assert np.allclose(chart, ours, rtol=1e-12, atol=1e-12)
    rows = settings.pop("rows")
    spec = figures.frontier_chart(rows, **settings).to_dict()
    assert len(json.dumps(spec)) < 15_000  # the site's caption check reads 20,000 characters past a chart
    names = {p["name"] for p in spec["params"]}
    assert names == {"hsel", "lgd", "eps", "pol"}


def test_the_coverage_floor_in_labels_and_verdicts_comes_from_the_data(base, frontier, monkeypatch):
    """The buffer "above the 150 % coverage floor" names the floor that retail_facts records: with
    the data row changed, every label, tooltip and verdict sentence about it changes, and no
    string still says 150 (the old code typed it in seven places)."""
    from helpers.book import lookup
    from helpers.chapters.cycle import figures

    assert source_figures.coverage_floor() == "150 %"
    real = lookup.row

    def moved(table, **where):
        found = real(table, **where)
        if where.get("indicator") == "excess_provision_threshold":
            found = found.copy()
            found["value"] = 137.5
        return found

    monkeypatch.setattr(lookup, "row", moved)
    assert source_figures.coverage_floor() == "137.5 %"
    verdict = cycle.verdicts(base)["v_excess"]
    assert "137.5 % coverage floor" in verdict and "150" not in verdict
    assert "Provisions above 137.5 % cover" in cycle_tables.break_even_table(base).index
    one = np.array([1.0])
    mc = {"loss": one, "earnings": one, "excess": one, "provisions": one, "draws": {"exposure_years": one}}
    assert "Provisions above 137.5 % cover" in simulation.exceedance(mc).index
    fan = pd.DataFrame({"year": [2026, 2027], **{q: [0.5, 1.0] for q in ("q05", "q25", "q50", "q75", "q95")}})
    settings = dict(frontier)
    rows = settings.pop("rows")
    for chart in (figures.fan_chart(fan, 1.0, 0.5, 1000), figures.frontier_chart(rows, **settings)):
        text = json.dumps(chart.to_dict(), ensure_ascii=False)
        assert "137.5 % cover" in text and "150 % cover" not in text


def test_assumption_reasons_quote_the_figures_and_ranges_they_describe():
    """A reason names the report's figure and the book's range from the same values the table shows
    (the exposure years come from retail_facts; "six" was typed before)."""
    assert [book_assumptions._spelled(n) for n in (0.0, 6.0, 10.0, 12.0, 2.5)] == [
        "none",
        "six",
        "ten",
        "12",
        "2.5",
    ]
    assert book_assumptions._around(0.3, 0.2, 0.4) == "±10 points"
    assert book_assumptions._around(0.25, 0.2, 0.4) == "20 to 40 %"
    by_name = {a.name: a for a in book_assumptions.assumptions()}
    years = by_name["exposure_years"]
    assert years.default == retail.fact("mortgage_exposure_years")
    assert f"over {book_assumptions._spelled(years.default)} years" in years.reason
    assert (
        f"allow {book_assumptions._spelled(years.low)} to {book_assumptions._spelled(years.high)}"
        in years.reason
    )


# ----------------------------------------------------------------------------- the package's layout

PACKAGE = Path(cycle.__file__).parent
FLOW = [
    "source_figures",
    "book_assumptions",
    "stock_and_flow",
    "retail_ltv_lookup",
    "policy_levers",
    "housing_feedback",
    "scenario",
    "loss_frontier",
    "simulation",
    "parameters",
    "tables",
    "figures",
]
"""The package's modules in the order data flows through them (README of the package: its docstring)."""


def _local_imports(module: str) -> set[str]:
    tree = ast.parse((PACKAGE / f"{module}.py").read_text(encoding="utf-8"))
    return {
        node.module
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module
    }


def test_every_module_is_in_the_flow_and_the_flow_runs_one_way():
    """Each module imports only modules before it in :data:`FLOW`: no cycles, one direction."""
    on_disk = {p.stem for p in PACKAGE.glob("*.py")} - {"__init__"}
    assert on_disk == set(FLOW), "a module was added or renamed: place it in FLOW (and the package docstring)"
    for k, module in enumerate(FLOW):
        later = _local_imports(module) - set(FLOW[:k])
        assert not later, f"{module} imports {sorted(later)}, which come after it in the flow"
    doc = cycle.__doc__
    assert all(f":mod:`.{m}`" in doc for m in FLOW), "the package docstring lists every module"


def test_the_names_the_pages_call_are_the_modules_own():
    """What ``chapters/cycle.md`` and the overview call as ``cycle.<name>`` exists, and is the
    module's own object (the package re-exports; it computes only the prose numbers)."""
    root = PACKAGE.parents[3]
    called = set()
    for page in ("chapters/cycle.md", "chapters/overview.md"):
        called |= set(re.findall(r"\bcycle\.([A-Za-z_]\w*)\(", (root / page).read_text(encoding="utf-8")))
    assert {"run", "monte_carlo", "numbers", "landing_numbers"} <= called
    own = {"numbers", "verdicts", "landing_numbers"}
    for name in called:
        assert hasattr(cycle, name), f"the page calls cycle.{name}, which the package does not export"
        obj = getattr(cycle, name)
        if name in own:
            assert obj.__module__ == "helpers.chapters.cycle", name
        else:
            module = sys.modules[obj.__module__]
            assert obj.__module__.rsplit(".", 1)[-1] in FLOW and getattr(module, name) is obj, name
    assert set(cycle.__all__) == called, "the package exports exactly what the pages call"
