"""The one way numbers reach the prose: a chapter's ``numbers(...)`` returns a dict, and the page
calls :func:`glue_numbers` on it; the prose then shows each with ``{glue:text}`name:.1f```.

NumPy scalars become Python numbers (ints stay ints, other reals become floats), so MyST can
format them; strings
(dates written out) are glued as they are. ``with_abs=True`` also glues ``<name>_abs`` = |value|
for sentences that carry the sign in words ("fell 0.5 %").
"""

from __future__ import annotations

import numbers as _numbers
from collections.abc import Mapping


def as_glue_value(name: str, value):
    """``value`` as MyST can format it: ``float`` for numbers, ``str`` kept; else ``TypeError``."""
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or not isinstance(value, _numbers.Real):
        raise TypeError(f"glue value {name!r} must be a number or text, got {value!r}")
    return value if isinstance(value, int) else float(value)


def glue_numbers(values: Mapping[str, object], *, with_abs: bool = False) -> None:
    """Glue every ``name: value`` of ``values`` for the prose (not displayed where it is glued)."""
    from myst_nb import glue

    for name, value in values.items():
        value = as_glue_value(name, value)
        glue(name, value, display=False)
        if with_abs and not isinstance(value, str):
            glue(f"{name}_abs", abs(value), display=False)
