import numpy as np
import pytest

from lstm_utils import assert_close


def test_prints_the_largest_difference_and_returns_it(capsys):
    diff = assert_close(np.array([1.0, 2.0]), np.array([1.0, 2.0 + 3e-7]), atol=1e-6, label="h")
    assert diff == pytest.approx(3e-7, rel=1e-6)
    assert capsys.readouterr().out == "h: max |Δ| = 3.0e-07  (tolerance 1e-06)\n"


def test_fails_beyond_the_tolerance():
    with pytest.raises(AssertionError, match="h"):
        assert_close(np.zeros(3), np.array([0, 0, 2e-6]), atol=1e-6, label="h")


def test_does_not_broadcast():
    with pytest.raises(ValueError, match=r"shapes differ, hand \(1, 3\) vs Keras \(3,\)"):
        assert_close(np.zeros((1, 3)), np.zeros(3), atol=1)
