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


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("side", ["hand", "Keras"])
def test_a_nan_or_infinity_never_passes(bad, side):
    # not even where both sides hold the same NaN: numpy's assert_allclose would call that equal
    a, b = np.array([0.0, bad]), np.array([0.0, bad])
    if side == "hand":
        b = np.zeros(2)
    else:
        a = np.zeros(2)
    with pytest.raises(AssertionError, match=f"the {side} value holds 1 NaN or infinite"):
        assert_close(a, b, atol=1e-6, label="h")


def test_complex_is_refused_not_rounded_to_its_real_part():
    with pytest.raises(TypeError, match="the hand value is complex"):
        assert_close(np.array([1 + 1j]), np.array([1.0]), atol=1e-6)


@pytest.mark.parametrize("atol, error", [(-1, ValueError), (np.nan, ValueError), ("1e-6", TypeError),
                                         (True, TypeError), (None, TypeError)])
def test_a_bad_tolerance_is_refused(atol, error):
    with pytest.raises(error, match="atol must be"):
        assert_close(np.zeros(2), np.zeros(2), atol=atol)


def test_lists_and_numpy_scalars_are_fine(capsys):
    assert assert_close([0.5, 0.25], np.array([0.5, 0.25], np.float32), atol=0) == 0.0
    assert assert_close(np.float64(1.0), 1.0, atol=0) == 0.0


def test_text_is_not_a_number():
    with pytest.raises(TypeError, match="must be numbers, got dtype <U1"):
        assert_close(np.array(["a"]), np.array([1.0]), atol=1)
