"""Ledger checks of the housing-market chapter: section 一 of the NIFD report against its own inputs."""

from __future__ import annotations

from helpers.book import lookup
from helpers.book.intervals import Interval, monotone
from helpers.book.intervals import total as sum_of
from helpers.book.ledger import Check, checker
from helpers.chapters.housing_market import CHAPTER, S3, load, tier_counts
from helpers.models.housing import aggregate_yoy, fall_widening_pp, months_inclusive, weighted_mean

# --------------------------------------------------------------------------- ledger
_check = checker(CHAPTER, S3)


def _printed_decimals(value) -> int:
    """Decimals of a number as the data records it (trailing zeros of a float are not kept)."""
    text = repr(float(value))
    if "e" in text:
        return 0
    frac = text.split(".")[1].rstrip("0")
    return len(frac)


def ledger_checks() -> list[Check]:
    """Consistency checks of section 一 against its own inputs (published assumptions only)."""
    checks: list[Check] = []

    # 1. 70-city: national y/y = mean of the 70 cities = tier means weighted by listed city counts
    p = load("housing_70city_prices")
    w = tier_counts("nbs70")
    for market, label in (("new", "new homes"), ("second_hand", "second-hand homes")):
        pub = lookup.value(p, market=market, scope="national", measure="yoy")
        tiers = ("tier1", "tier2", "tier3")
        vals = [lookup.value(p, market=market, scope=t, measure="yoy") for t in tiers]
        weights = [w[t] for t in tiers]
        ours = weighted_mean(vals, weights)
        iv = monotone(
            lambda *xs, ws=weights: weighted_mean(list(xs), ws), *[Interval.printed(x, 2) for x in vals]
        )
        note = (
            "city-count-weighted mean of the printed tier figures ("
            + "/".join(f"{n:.0f}" for n in weights)
            + " cities); each tier figure is rounded to 0.01"
        )
        checks.append(
            _check(
                "§一(一) 70-city prices",
                f"national, {label}",
                "2024Q1 y/y (%)",
                pub,
                ours,
                "pct",
                2,
                note,
                interval=iv,
            )
        )

    # 2. sales: parts against totals (area, value), the stated widening, and the y/y of the total
    s = load("housing_sales")
    for ind, unit, dec, lab in (
        ("sales_area", "m2_100m", 2, "floor area"),
        ("sales_value", "CNY_trn", 2, "sales value"),
    ):
        pub = lookup.value(s, indicator=ind, scope="total", measure="level")
        rows = [lookup.row(s, indicator=ind, scope=sc, measure="level") for sc in ("presale", "completed")]
        parts = [
            lookup.value(s, unit, indicator=ind, scope=sc, measure="level") for sc in ("presale", "completed")
        ]
        ours = sum(parts)
        # each part stands for its printed value ± half a unit of its last printed digit, in its own unit
        iv = sum_of(
            *[
                Interval.printed(float(r["value"]), _printed_decimals(r["value"]))
                * (part / float(r["value"]))
                for r, part in zip(rows, parts)
            ]
        )
        note = (
            "sum of the printed parts, each as printed ("
            + " and ".join(f"{float(r['value']):g} {r['unit']}" for r in rows)
            + f"), which can be anywhere from {iv.low:.4f} to {iv.high:.4f} before rounding"
        )
        checks.append(
            _check(
                "§一(二) new-home sales",
                f"pre-sale + completed, {lab}",
                "2024Q1 level",
                pub,
                ours,
                unit,
                dec,
                note,
                interval=iv,
            )
        )

        yoy_pub = lookup.value(s, indicator=ind, scope="total", measure="yoy", period="2024Q1")
        levels = [
            lookup.value(s, "CNY" if ind == "sales_value" else "m2", indicator=ind, scope=sc, measure="level")
            for sc in ("presale", "completed")
        ]
        yoys = [lookup.value(s, indicator=ind, scope=sc, measure="yoy") for sc in ("presale", "completed")]
        checks.append(
            _check(
                "§一(二) new-home sales",
                f"total {lab} y/y from the parts' levels and y/y",
                "2024Q1 y/y (%)",
                yoy_pub,
                aggregate_yoy(levels, yoys),
                "pct",
                1,
            )
        )

        wid_pub = lookup.value(s, indicator=ind, scope="total", measure="yoy_fall_widening_vs_2023")
        prev = lookup.value(s, indicator=ind, scope="total", measure="yoy", period="2023")
        checks.append(
            _check(
                "§一(二) new-home sales",
                f"{lab}: widening of the fall on 2023",
                "pp",
                wid_pub,
                fall_widening_pp(yoy_pub, prev),
                "pp",
                1,
            )
        )

    # 3. climate index: the run of months in the low band
    ci = load("housing_climate_index")
    run = lookup.row(ci, item="months_in_low_band")
    checks.append(
        _check(
            "§一(四) climate index",
            f"months in the low band since {run['period_start']}",
            "run length (months)",
            run["value"],
            months_inclusive(run["period_start"], run["period_end"]),
            "months",
            0,
        )
    )

    # 4. inventory: 14-city average against the tier averages (4/7/3 cities)
    inv = load("housing_inventory")
    wi = tier_counts("inventory14")
    tiers = ("tier1", "tier2", "tier3")
    now = [lookup.value(inv, indicator="clearance_months", scope=t, measure="level") for t in tiers]
    chg = [
        lookup.value(inv, indicator="clearance_months", scope=t, measure="change_vs_2023end") for t in tiers
    ]
    note_inv = (
        "ours is the city-count-weighted mean of the tier averages ("
        + "/".join(f"{wi[t]:.0f}" for t in tiers)
        + " cities); the report does not say how it weights them (a pooled figure, total stock over total sales, "
        "weights big markets), so any mean between the lowest and the highest tier average is consistent"
    )
    for period, vals in (("2024-03", now), ("2023-12", [a - b for a, b in zip(now, chg)])):
        pub = lookup.value(inv, indicator="clearance_months", scope="14city", period=period)
        ours = weighted_mean(vals, [wi[t] for t in tiers])
        iv = Interval(
            min(vals) - 0.1, max(vals) + 0.1
        )  # each level (or level minus rise) carries ±0.05 twice at most
        note = note_inv
        if period == "2023-12":
            note += "; end-2023 tier levels backed out as end-2024Q1 level minus the stated rise"
        checks.append(
            _check(
                "§一(六) inventory",
                "14-city average vs tier averages",
                f"{period} months",
                pub,
                ours,
                "months",
                1,
                note,
                interval=iv,
            )
        )

    # 5. city samples: listed cities against the stated sample sizes
    smp = load("housing_samples")
    t = load("housing_city_tiers")
    for _, r in smp.iterrows():
        lst = t[t["scheme"] == r["scheme"]]
        if r["scheme"] == "inventory14" and r["period"] == "2024":
            lst = lst[lst["tier"] != "dropped"]
        checks.append(
            _check(
                f"{r['locator']} city list",
                f"{r['scheme']} ({r['period']})",
                "cities listed vs stated",
                r["n_cities_stated"],
                len(lst),
                "count",
                0,
            )
        )
    return checks
