import pytest

from helpers.book.checks import ParameterError, check_choice, check_range, check_whole


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


def test_whole_number_parameter_accepts_whole_values():
    assert check_whole("term_years", 30, 1, 30) == 30
    assert check_whole("term_years", 3.0, 1, 30) == 3
    assert isinstance(check_whole("term_years", 3.0, 1, 30), int)


@pytest.mark.parametrize("value", [2.5, 29.999, float("nan"), float("inf")])
def test_whole_number_parameter_rejects_fractions(value):
    with pytest.raises(ParameterError, match=r"parameter 'term_years' = .* must be a whole number"):
        check_whole("term_years", value, 1, 30)


@pytest.mark.parametrize("value", [0, 31])
def test_whole_number_parameter_out_of_range(value):
    with pytest.raises(ParameterError, match=r"out of range: it must be a whole number in \[1, 30\]"):
        check_whole("term_years", value, 1, 30)


@pytest.mark.parametrize("value", ["3", None, True])
def test_whole_number_parameter_rejects_non_numbers(value):
    with pytest.raises(ParameterError, match="must be a whole number"):
        check_whole("term_years", value, 1, 30)
