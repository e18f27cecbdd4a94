"""Named ledger functions of the housing-market chapter (``fn:<name>`` in ``data/ledger/cells/housing.csv``).

Each takes the cell's spec row (its ``args`` say which figure) and returns ``{"published",
"recomputed", "low", "high", "values"}``; the values fill the row's note template. Sums and
differences of printed figures are generic relations of the cells file.
"""

from __future__ import annotations

from helpers.book import lookup
from helpers.book.intervals import Interval, monotone
from helpers.book.ledger import spec_args
from helpers.chapters.housing_market import load, tier_counts
from helpers.models.housing import aggregate_yoy, months_inclusive, weighted_mean

TIERS = ("tier1", "tier2", "tier3")


def city_weighted_mean(spec: dict) -> dict:
    """National 70-city y/y against the tier y/y weighted by listed city counts:
    ``Σ n_t × yoy_t / Σ n_t``; each tier figure printed to 0.01."""
    market = spec_args(spec)["market"]
    p = load("housing_70city_prices")
    w = tier_counts("nbs70")
    vals = [lookup.value(p, market=market, scope=t, measure="yoy") for t in TIERS]
    weights = [w[t] for t in TIERS]
    iv = monotone(lambda *xs: weighted_mean(list(xs), weights), *[Interval.printed(x, 2) for x in vals])
    return {
        "published": lookup.value(p, market=market, scope="national", measure="yoy"),
        "recomputed": weighted_mean(vals, weights),
        "low": iv.low,
        "high": iv.high,
        "values": {f"n_{t}": w[t] for t in TIERS},
    }


def sales_total_yoy(spec: dict) -> dict:
    """Total sales y/y from the parts' levels and y/y: ``100 × (Σ L_i / Σ L_i/(1+g_i/100) − 1)``."""
    ind = spec_args(spec)["indicator"]
    s = load("housing_sales")
    unit = "CNY" if ind == "sales_value" else "m2"
    levels = [
        lookup.value(s, unit, indicator=ind, scope=sc, measure="level") for sc in ("presale", "completed")
    ]
    yoys = [lookup.value(s, indicator=ind, scope=sc, measure="yoy") for sc in ("presale", "completed")]
    return {
        "published": lookup.value(s, indicator=ind, scope="total", measure="yoy", period="2024Q1"),
        "recomputed": aggregate_yoy(levels, yoys),
        "low": None,
        "high": None,
        "values": {},
    }


def months_in_low_band(spec: dict) -> dict:
    """The run of months of the climate index in its low band: months from start to end, inclusive."""
    run = lookup.row(load("housing_climate_index"), item="months_in_low_band")
    return {
        "published": run["value"],
        "recomputed": months_inclusive(run["period_start"], run["period_end"]),
        "low": None,
        "high": None,
        "values": {"start": run["period_start"], "end": run["period_end"]},
    }


def inventory_mean(spec: dict) -> dict:
    """14-city clearance period against the tier averages weighted by city counts; any mean of
    unstated weights lies between the lowest and highest tier (each ±0.05 twice at most)."""
    period = spec_args(spec)["period"]
    inv = load("housing_inventory")
    wi = tier_counts("inventory14")
    now = [lookup.value(inv, indicator="clearance_months", scope=t, measure="level") for t in TIERS]
    chg = [
        lookup.value(inv, indicator="clearance_months", scope=t, measure="change_vs_2023end") for t in TIERS
    ]
    vals = now if period == "2024-03" else [a - b for a, b in zip(now, chg)]
    return {
        "published": lookup.value(inv, indicator="clearance_months", scope="14city", period=period),
        "recomputed": weighted_mean(vals, [wi[t] for t in TIERS]),
        "low": min(vals) - 0.1,
        "high": max(vals) + 0.1,
        "values": {f"n_{t}": wi[t] for t in TIERS},
    }


def cities_listed(spec: dict) -> dict:
    """Cities the report lists for a sample against the sample size it states (a count)."""
    a = spec_args(spec)
    smp = load("housing_samples")
    r = smp[(smp["scheme"] == a["scheme"]) & (smp["period"].astype(str) == a["period"])].iloc[0]
    t = load("housing_city_tiers")
    lst = t[t["scheme"] == a["scheme"]]
    if a["scheme"] == "inventory14" and a["period"] == "2024":
        lst = lst[lst["tier"] != "dropped"]
    return {
        "published": r["n_cities_stated"],
        "recomputed": len(lst),
        "low": None,
        "high": None,
        "values": {},
    }


def ledger_checks() -> list:
    """This chapter's checks: its rows of ``data/ledger/cells/housing.csv`` evaluated by :func:`helpers.book.ledger.checks`."""
    from helpers.book import ledger

    return ledger.checks(["housing"])
