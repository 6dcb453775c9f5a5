"""Bad input gets a ValueError or TypeError that says what was expected and what arrived."""

import numpy as np
import pytest

from lstm_utils import lstm_forward, lstm_step

B, T, F, U = 4, 3, 2, 3
rng = np.random.default_rng(0)
X = rng.normal(size=(B, T, F))
K = rng.normal(size=(F, 4 * U))
R = rng.normal(size=(U, 4 * U))
BIAS = rng.normal(size=4 * U)


def forward(**changes):
    args = {"x": X, "kernel": K, "recurrent_kernel": R, "bias": BIAS, **changes}
    return lstm_forward(args.pop("x"), args.pop("kernel"), args.pop("recurrent_kernel"), args.pop("bias"), **args)


@pytest.mark.parametrize(
    "changes, error, message",
    [
        ({"x": X[0, :, :]}, ValueError, r"x must be 3-D \(batch, timesteps, features\), got shape \(3, 2\); .* x\[None\]"),
        ({"x": X[..., 0, 0]}, ValueError, r"x must be 3-D .* got shape \(4,\)"),
        ({"x": X[:, :0]}, ValueError, r"at least one sample and one timestep, got shape \(4, 0, 2\)"),
        ({"x": X[..., :1]}, ValueError, r"x has 1 features \(shape \(4, 3, 1\)\) but kernel \(2, 12\) expects 2"),
        ({"x": np.array([[["a"]]])}, TypeError, r"x must be an array of real numbers, got dtype <U1"),
        ({"x": None}, TypeError, "x must be an array, got None"),
        ({"kernel": K.T}, ValueError, r"kernel must be \(features, 4\*units\).*got shape \(12, 2\).*PyTorch.*kernel\.T"),
        ({"kernel": K[:, :8]}, ValueError, r"kernel must be \(features, 4\*units\) = \(features, 12\) .* got shape \(2, 8\)"),
        ({"kernel": K[0]}, ValueError, r"kernel must be 2-D \(features, 4\*units\), got shape \(12,\)"),
        ({"recurrent_kernel": R.T}, ValueError, r"recurrent_kernel must be \(units, 4\*units\).*\(12, 3\).*PyTorch"),
        ({"recurrent_kernel": R[:, :9]}, ValueError, r"recurrent_kernel must be \(units, 4\*units\), got shape \(3, 9\)"),
        ({"bias": BIAS[:9]}, ValueError, r"bias must have shape \(4\*units,\) = \(12,\), got shape \(9,\)"),
        ({"bias": np.stack([BIAS, BIAS])}, ValueError, r"got shape \(2, 12\) \(PyTorch keeps two biases"),
        ({"initial_state": [np.zeros((B, U)), np.zeros((B, U + 1))]}, ValueError,
         r"initial_state\[1\] \(c0\) must have shape \(4, 3\), got shape \(4, 4\)"),
        ({"initial_state": [np.zeros(U), np.zeros(U)]}, ValueError,
         r"initial_state\[0\] \(h0\) must have shape \(4, 3\), got shape \(3,\)"),
        ({"initial_state": [np.zeros((B, U))]}, ValueError, r"initial_state must be \[h0, c0\] \(two arrays\), got 1"),
        ({"initial_state": np.zeros((2, B, U))}, TypeError, "initial_state must be a list .* got ndarray"),
        ({"mask": np.ones((B, T + 1), bool)}, ValueError, r"mask must have shape \(batch, timesteps\) = \(4, 3\), got shape \(4, 4\)"),
        ({"mask": np.full((B, T), 0.5)}, TypeError, "mask must hold booleans .* got dtype float64"),
        ({"return_sequences": "yes"}, TypeError, "return_sequences must be True or False, got 'yes'"),
        ({"go_backwards": 1}, TypeError, "go_backwards must be True or False, got 1"),
    ],
    ids=lambda v: None if isinstance(v, (dict, type)) else "",
)
def test_forward_refuses(changes, error, message):
    with pytest.raises(error, match=message):
        forward(**changes)


def test_a_mask_of_ones_and_zeros_is_accepted():
    np.testing.assert_array_equal(forward(mask=np.ones((B, T), int)), forward())


@pytest.mark.parametrize(
    "args, message",
    [
        ((X[0], np.zeros(U), np.zeros(U)), r"x_t must be 1-D \(features,\) or 2-D \(batch, features\), got shape \(3, 2\)|h_prev"),
        ((X[:, 0], np.zeros(U), np.zeros((B, U))), r"h_prev must have shape \(4, 3\), got shape \(3,\)"),
        ((X[:, 0], np.zeros((B, U)), np.zeros((1, U))), r"c_prev must have shape \(4, 3\), got shape \(1, 3\)"),
        ((X, np.zeros((B, U)), np.zeros((B, U))), r"x_t must be 1-D \(features,\) or 2-D \(batch, features\), got shape \(4, 3, 2\)"),
        ((np.zeros(F + 1), np.zeros(U), np.zeros(U)), r"x_t must have 2 features to match kernel \(2, 12\).*got shape \(3,\)"),
    ],
)
def test_step_refuses_and_never_broadcasts(args, message):
    with pytest.raises(ValueError, match=message):
        lstm_step(*args, K, R, BIAS)


@pytest.mark.parametrize(
    "changes, error, message",
    [
        ({"mask_rule": "cudnn"}, ValueError, r"mask_rule must be one of 'keras', 'previous_output', 'carried_state', 'zeros'"),
        ({"mask_rule": None}, TypeError, "mask_rule must be a string, .* got NoneType"),
        ({"x": np.where(np.arange(T) == 1, np.nan, 0.0)[None, :, None] * np.ones((B, T, F))}, ValueError,
         r"x must hold finite numbers, got nan at index \(0, 1, 0\)"),
        ({"kernel": np.where(K > 0, np.inf, K)}, ValueError, "kernel must hold finite numbers, got inf"),
        ({"bias": np.full(4 * U, np.nan)}, ValueError, "bias must hold finite numbers"),
        ({"initial_state": [np.full((B, U), np.nan), np.zeros((B, U))]}, ValueError,
         r"initial_state\[0\] \(h0\) must hold finite numbers"),
        ({"mask": np.array([["a"] * T] * B)}, TypeError, "mask must hold booleans"),
    ],
    ids=lambda v: None if isinstance(v, (dict, type)) else "",
)
def test_forward_refuses_more(changes, error, message):
    with pytest.raises(error, match=message):
        forward(**changes)


def test_the_bias_cannot_be_forgotten():
    # lstm_forward(x, kernel, recurrent_kernel) used to run without a bias; None must now be said explicitly
    with pytest.raises(TypeError, match="missing 1 required positional argument: 'bias'"):
        lstm_forward(X, K, R)
    no_bias = lstm_forward(X, K, R, None)
    assert no_bias.shape == (B, U)


def test_numpy_bools_are_flags():
    np.testing.assert_array_equal(forward(return_sequences=np.bool_(True)), forward(return_sequences=True))


def test_nan_at_a_masked_step_is_never_used():
    # Keras never uses a masked step's values, so NaN or inf there is allowed, and changes nothing
    mask = np.ones((B, T), bool)
    mask[:, 1] = False
    x = X.copy()
    x[:, 1] = np.nan
    x[0, 1, 0] = np.inf
    np.testing.assert_array_equal(forward(x=x, mask=mask), forward(mask=mask))


def test_step_refuses_nan():
    with pytest.raises(ValueError, match="x_t must hold finite numbers"):
        lstm_step(np.full(F, np.nan), np.zeros(U), np.zeros(U), K, R, BIAS)
    with pytest.raises(ValueError, match="c_prev must hold finite numbers"):
        lstm_step(np.zeros(F), np.zeros(U), np.full(U, np.inf), K, R, BIAS)
