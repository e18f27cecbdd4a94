"""The cycle chapter's papermill parameters, checked: ranges, switches and whole numbers."""

from __future__ import annotations

from helpers.book import checks, units

from .policy_levers import POLICY_LEVERS
from .source_figures import inputs

PARAMETER_RANGES = {
    "hidden_ratio_pct": (0.0, 20.0),
    "lgd_pct": (0.0, 100.0),
    "price_response": (0.0, 5.0),
    "extra_decline_2027_pct": (0.0, 80.0),
    "conversion_pct": (0.0, 100.0),
    "draws": (10_000, 200_000),
    "seed": (0, 2**32 - 1),
}
SWITCHES = ("feedback", "rate_cut", "tradein", "payment_subsidy")


def check_parameters(**values) -> dict:
    """Check the chapter's papermill parameters; return ``{"params", "levers", "feedback", "draws", "seed"}``.

    Numbers must lie in :data:`PARAMETER_RANGES` (``None`` = the book's default), switches must
    be ``True`` or ``False``. Raises :class:`helpers.book.checks.ParameterError` naming the parameter.
    """
    known = set(PARAMETER_RANGES) | set(SWITCHES)
    unknown = set(values) - known
    if unknown:
        raise checks.ParameterError(f"unknown parameter(s) {sorted(unknown)}; known: {sorted(known)}")
    for name in SWITCHES:
        if name in values and not isinstance(values[name], bool):
            raise checks.ParameterError(f"parameter {name!r} must be True or False, got {values[name]!r}")
    got = {}
    for name, (lo, hi) in PARAMETER_RANGES.items():
        v = values.get(name)
        if v is not None:
            got[name] = checks.check_range(name, v, lo, hi)
    for name in ("draws", "seed"):
        if name in got and got[name] != int(got[name]):
            raise checks.ParameterError(f"parameter {name!r} must be a whole number, got {values[name]!r}")
    i = inputs()
    if "hidden_ratio_pct" in got and got["hidden_ratio_pct"] / 100 < i["official_ratio"]:
        raise checks.ParameterError(
            f"parameter 'hidden_ratio_pct' = {got['hidden_ratio_pct']} is below the official ratio "
            f"({100 * i['official_ratio']:.2f} %): a hidden ratio cannot be lower than the reported one"
        )
    params = {}
    for src, dst in (
        ("hidden_ratio_pct", "hidden_ratio"),
        ("lgd_pct", "lgd"),
        ("conversion_pct", "conversion"),
        ("extra_decline_2027_pct", "extra_decline_2027"),
    ):
        if src in got:
            params[dst] = float(units.convert(got[src], "pct", "ratio"))
    if "price_response" in got:
        params["response"] = got["price_response"]
    return {
        "params": params,
        "levers": {k: bool(values.get(k, False)) for k in POLICY_LEVERS},
        "feedback": bool(values.get("feedback", True)),
        "draws": int(got.get("draws", 10_000)),
        "seed": int(got.get("seed", 20251129)),
    }
