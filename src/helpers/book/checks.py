"""Argument and parameter checks: the one place a bad value is turned into a clear error.

Model arguments: :func:`number`, :func:`positive`, :func:`non_negative` (``ValueError`` naming
the argument). Chapter (papermill) parameters: :func:`check_range`, :func:`check_choice`
(:class:`ParameterError` naming the parameter and the allowed values).


Each returns the value as a float or raises ``ValueError`` naming the argument. NumPy scalars
count as numbers (values often come out of a DataFrame); ``bool`` does not.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable


def number(name: str, value) -> float:
    """``value`` as a finite float; ``ValueError`` naming ``name`` otherwise."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a number, got {value!r}")
    value = float(value)
    if math.isnan(value) or math.isinf(value):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return value


def positive(name: str, value) -> float:
    """``value`` as a float > 0."""
    value = number(name, value)
    if value <= 0:
        raise ValueError(f"{name} must be positive, got {value!r}")
    return value


def non_negative(name: str, value) -> float:
    """``value`` as a float ≥ 0."""
    value = number(name, value)
    if value < 0:
        raise ValueError(f"{name} must not be negative, got {value!r}")
    return value


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


def check_whole(name: str, value, low: int, high: int) -> int:
    """Return ``value`` as an int if it is a whole number with ``low <= value <= high``.

    A fraction is an error, not cut to an integer: ``term_years = 2.5`` raises
    :class:`ParameterError` naming the parameter (``3`` and ``3.0`` are both accepted as 3).
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ParameterError(f"parameter {name!r} must be a whole number, got {value!r}")
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value) or not value.is_integer()):
        raise ParameterError(f"parameter {name!r} = {value!r} must be a whole number (no fraction)")
    if not (low <= value <= high):
        raise ParameterError(
            f"parameter {name!r} = {value!r} is out of range: it must be a whole number in [{low}, {high}]"
        )
    return int(value)
