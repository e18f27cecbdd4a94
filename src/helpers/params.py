"""Checks for papermill parameters: a bad value stops the chapter with a message naming it."""

from __future__ import annotations

import math
from collections.abc import Iterable


class ParameterError(ValueError):
    """A chapter parameter is missing, of the wrong type, or outside its allowed range."""


def check_range(name: str, value, low: float, high: float) -> float:
    """Return ``value`` as a float if ``low <= value <= high``; else raise :class:`ParameterError`.

    The message names the parameter, the value given and the allowed interval.
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ParameterError(f"parameter {name!r} must be a number, got {value!r}")
    if math.isnan(value) or not (low <= value <= high):
        raise ParameterError(
            f"parameter {name!r} = {value!r} is out of range: it must lie in [{low}, {high}]"
        )
    return float(value)


def check_choice(name: str, value, options: Iterable):
    """Return ``value`` if it is one of ``options``; else raise :class:`ParameterError`."""
    options = list(options)
    if value not in options:
        raise ParameterError(f"parameter {name!r} = {value!r} is not one of {options!r}")
    return value
