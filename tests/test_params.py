import pytest

from helpers.book.checks import ParameterError, check_choice, check_range


def test_in_range_returns_float():
    assert check_range("decline", 0, 0, 1) == 0.0
    assert check_range("decline", 0.25, 0, 1) == 0.25


@pytest.mark.parametrize("value", [-0.1, 1.01, float("nan")])
def test_out_of_range_names_parameter_and_bounds(value):
    with pytest.raises(ParameterError, match=r"parameter 'decline' = .* must lie in \[0, 1\]"):
        check_range("decline", value, 0, 1)


@pytest.mark.parametrize("value", ["0.2", None, True])
def test_non_numbers_rejected(value):
    with pytest.raises(ParameterError, match="must be a number"):
        check_range("decline", value, 0, 1)


def test_choice():
    assert check_choice("tier", "tier1", ["tier1", "tier2"]) == "tier1"
    with pytest.raises(ParameterError, match="'tier9' is not one of"):
        check_choice("tier", "tier9", ["tier1", "tier2"])
