"""The four source documents: seed file name → citation key and short label.

Used to turn a row's ``source``/``locator`` into a readable source line under charts and in
tables. The bibliography itself is ``seeds/references.bib``.
"""

from __future__ import annotations

from collections.abc import Iterable

SEEDS = {
    "000_53446e2d23b336c6.txt": ("digest2025", "News digest on NPL collateral sales (Nov 2025)"),
    "001_3d7b5ccb12dc6b79.txt": (
        "npltransfers2025",
        "News article on the Q4 2025 NPL-transfer wave (Nov 2025)",
    ),
    "002_618ba3871ebc0b54.txt": (
        "zhongtai2026",
        "Zhongtai Securities, retail-asset risk framework (Jan 2026)",
    ),
    "003_dc4f0dbeb2c2a3ea.txt": ("nifd2024q1", "NIFD, Real-estate finance report 2024Q1 (May 2024)"),
}


def label(seed: str) -> str:
    """Short label of a seed file; ``KeyError`` naming it if unknown."""
    try:
        return SEEDS[seed][1]
    except KeyError:
        raise KeyError(f"unknown seed file {seed!r}; known: {', '.join(SEEDS)}") from None


def key(seed: str) -> str:
    """BibTeX key of a seed file."""
    label(seed)
    return SEEDS[seed][0]


def line(pairs: Iterable[tuple[str, str]], suffix: str = "") -> str:
    """A source line from (seed, locator) pairs, grouped by seed in first-seen order.

    ``line([("000_…", "zh para 1"), ("000_…", "zh para 2")])`` →
    ``"News digest on NPL collateral sales (Nov 2025), zh para 1; zh para 2"``
    """
    grouped: dict[str, list[str]] = {}
    for seed, locator in pairs:
        locs = grouped.setdefault(seed, [])
        if locator not in locs:
            locs.append(str(locator))
    parts = [f"{label(seed)}, {'; '.join(locs)}" for seed, locs in grouped.items()]
    text = " · ".join(parts)
    return f"{text}{'. ' + suffix if suffix else ''}"


def for_frame(frame) -> str:
    """Source line for every row of a table with ``source`` and ``locator`` columns."""
    return line(zip(frame["source"], frame["locator"]))
