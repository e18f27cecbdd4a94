"""helpers.book.glue: the one way numbers reach the prose."""

import numpy as np
import pytest

from helpers.book.glue import as_glue_value


def test_numpy_scalars_become_python_numbers():
    assert type(as_glue_value("x", np.float64(1.5))) is float
    assert type(as_glue_value("n", np.int64(3))) is int
    assert as_glue_value("d", "30 September 2025") == "30 September 2025"


def test_non_numbers_are_refused_by_name():
    with pytest.raises(TypeError, match="'flag'"):
        as_glue_value("flag", True)
    with pytest.raises(TypeError, match="'rows'"):
        as_glue_value("rows", [1, 2])
