"""Chapter 02's exercise checks: the reference answers pass, each diagnosed mistake gets its own hint, and garbage
gets a hint, never an exception. The reference answers here are worked out by hand or with lstm_utils."""

import numpy as np
import pytest

import lstm_utils as lu
from lstm_utils.checks import run_check

from checks_helpers import assert_exercises_solved, failing


def test_chapter_02_exercises_are_in_the_notebook_and_solved():
    assert_exercises_solved("02_many_features.ipynb", ["02.1", "02.2", "02.3"])


# ---------------------------------------------------------------- 02.1: the weight shapes of LSTM(2) on (30, 7)

SHAPES = {"kernel_shape": (7, 8), "recurrent_kernel_shape": (2, 8), "bias_shape": (8,)}


def shapes_with(name, value):
    return {**SHAPES, name: value}


def test_02_1_reference_passes():
    assert run_check("02.1", SHAPES) == (True, "correct")


def test_02_1_lists_and_numpy_ints_are_fine():
    answer = {"kernel_shape": [np.int64(7), 8], "recurrent_kernel_shape": np.zeros((2, 8)).shape, "bias_shape": [8]}
    assert run_check("02.1", answer) == (True, "correct")


@pytest.mark.parametrize("name, value, expected", [
    ("kernel_shape", (8, 7), "PyTorch's weight_ih layout"),
    ("kernel_shape", (7, 2), "each unit has four gates"),
    ("kernel_shape", (7, 4), "the four columns of a single unit"),
    ("kernel_shape", (2, 8), "is the shape of recurrent_kernel"),
    ("kernel_shape", (7, 28), "uses the 7 features as units"),
    ("kernel_shape", (30, 7, 8), "contains the 30 timesteps"),
    ("kernel_shape", (30, 8), "contains the 30 timesteps"),
    ("kernel_shape", (8,), "must have 2 entries"),
    ("kernel_shape", (7, 9), "one row per input feature, one column per (gate, unit) pair"),
    ("recurrent_kernel_shape", (8, 2), "PyTorch's weight_hh layout"),
    ("recurrent_kernel_shape", (7, 8), "has one entry per unit"),
    ("recurrent_kernel_shape", (2, 2), "each unit has four gates"),
    ("recurrent_kernel_shape", (1, 4), "is for one unit"),
    ("recurrent_kernel_shape", (30, 8), "contains the 30 timesteps"),
    ("recurrent_kernel_shape", (2, 8, 1), "must have 2 entries"),
    ("bias_shape", (2,), "one bias per unit"),
    ("bias_shape", (4,), "is for one unit"),
    ("bias_shape", (16,), "two biases per gate"),
    ("bias_shape", (1, 8), "the Keras bias is 1-D"),
    ("bias_shape", (7, 8), "must have 1 entry"),
    ("bias_shape", (9,), "one bias per (gate, unit) pair"),
    ("bias_shape", 8, "a 1-D shape is written (8,)"),
])
def test_02_1_mistakes_are_named(name, value, expected):
    assert expected in failing("02.1", shapes_with(name, value))


@pytest.mark.parametrize("name, value", [
    ("kernel_shape", None), ("kernel_shape", "7, 8"), ("kernel_shape", np.zeros((7, 8))), ("kernel_shape", (7.0, 8)),
    ("kernel_shape", (True, 8)), ("recurrent_kernel_shape", {2: 8}), ("bias_shape", (None,)), ("bias_shape", 8.0),
])
def test_02_1_garbage_gets_a_hint(name, value):
    failing("02.1", shapes_with(name, value))


# ---------------------------------------------------------------- 02.2: z_f at the second step, h_prev = 0.5

# By hand: forget column (-0.46, 0.83), u_f = 0.87, b_f = -0.93, x_t = (1.0, 0.2):
#   z_f = -0.46 * 1.0 + 0.83 * 0.2 + 0.87 * 0.5 - 0.93 = -0.46 + 0.166 + 0.435 - 0.93
Z_F = -0.789


@pytest.mark.parametrize("answer", [Z_F, np.float32(Z_F), np.array(Z_F), np.float64(Z_F)])
def test_02_2_reference_passes(answer):
    assert run_check("02.2", {"z_f": answer}) == (True, "correct")


def test_02_2_the_chapters_float32_numbers_pass():
    kernel = np.array([[0.27, -0.46, -0.92, -0.97], [0.63, 0.83, 0.21, 0.46]], np.float32)
    x_t = np.array([1.0, 0.2], np.float32)
    z = x_t @ kernel + np.float32(0.5) * np.array([0.09, 0.87, 0.63, -0.99], np.float32) \
        + np.array([0.71, -0.93, 0.46, -0.65], np.float32)
    assert run_check("02.2", {"z_f": lu.split_gates(z)["f"][0]}) == (True, "correct")


def sigmoid(v):
    return 1 / (1 + np.exp(-v))


@pytest.mark.parametrize("answer, expected", [
    (0.27 + 0.63 * 0.2 + 0.09 * 0.5 + 0.71, "gate i (block 0"),
    (-0.92 + 0.21 * 0.2 + 0.63 * 0.5 + 0.46, "gate c (block 2"),
    (-0.97 + 0.46 * 0.2 - 0.99 * 0.5 - 0.65, "gate o (block 3"),
    (-0.46 + 0.435 - 0.93, "only feature 1 is in your sum"),
    (0.166 + 0.435 - 0.93, "only feature 2 is in your sum"),
    (-0.46 + 0.166 - 0.93, "the recurrent term u_f * h_prev is missing"),
    (-0.46 + 0.166 + 0.435, "the bias b_f is missing"),
    (sigmoid(Z_F), "after the sigmoid"),
    (-0.46 * 0.5 + 0.83 * -1.0 + 0.435 - 0.93, "the first step's x_t"),
    (-0.46 * -0.3 + 0.83 * 0.8 + 0.435 - 0.93, "the third step's x_t"),
    (1.0, "is not the forget gate's pre-activation"),
])
def test_02_2_mistakes_are_named(answer, expected):
    assert expected in failing("02.2", {"z_f": answer})


def test_02_2_the_chapters_first_step_value_names_both_differences():
    message = failing("02.2", {"z_f": -1.99})   # the chapter's z_f at step 1, where h_0 = 0
    assert "the recurrent term u_f * h_prev is missing" in message and "the first step's x_t" in message


@pytest.mark.parametrize("answer, expected", [
    (np.array([Z_F]), "take the single entry out"),
    (np.array([Z_F, 0.0]), "must be a single number"),
])
def test_02_2_arrays_are_named(answer, expected):
    assert expected in failing("02.2", {"z_f": answer})


@pytest.mark.parametrize("answer", [None, "z", [1, 2], np.zeros(3), True, 1 + 2j, float("nan"), {"f": Z_F}])
def test_02_2_garbage_gets_a_hint(answer):
    failing("02.2", {"z_f": answer})


# ---------------------------------------------------------------- 02.3: a nudge to feature 1 at step 1

KERNEL = np.array([[0.27, -0.46, -0.92, -0.97], [0.63, 0.83, 0.21, 0.46]])
RECURRENT = np.array([[0.09, 0.87, 0.63, -0.99]])
BIAS = np.array([0.71, -0.93, 0.46, -0.65])
X = np.array([[[0.5, -1.0], [1.0, 0.2], [-0.3, 0.8], [0.9, -0.6]]])
X_UP = X.copy()
X_UP[0, 0, 0] += 0.3

DZ1 = np.array([0.081, -0.138, -0.276, -0.291])              # 0.3 * (0.27, -0.46, -0.92, -0.97), by hand


def z_at_step_2(x):
    """Step 2's pre-activations, from lu.lstm_forward's h_1 (not from the check's code)."""
    h1 = lu.lstm_forward(x[:, :1], KERNEL, RECURRENT, BIAS)[0]
    return x[0, 1] @ KERNEL + h1 @ RECURRENT + BIAS


def c1_of(x):
    return lu.lstm_forward(x[:, :1], KERNEL, RECURRENT, BIAS, return_state=True)[2][0]


DZ2 = z_at_step_2(X_UP) - z_at_step_2(X)


def nudge(**answers):
    return {"delta_z1": DZ1, "delta_z2": DZ2, **answers}


def test_02_3_the_step_2_change_is_small_but_not_zero():
    assert 1e-3 < np.abs(DZ2).min() and np.abs(DZ2).max() < 0.02


def test_02_3_reference_passes():
    assert run_check("02.3", nudge()) == (True, "correct")


def test_02_3_float32_and_lists_pass():
    answer = nudge(delta_z1=list(DZ1), delta_z2=DZ2.astype(np.float32))
    assert run_check("02.3", answer) == (True, "correct")


def act(z):
    return np.array([sigmoid(z[0]), sigmoid(z[1]), np.tanh(z[2]), sigmoid(z[3])])


Z1 = X[0, 0] @ KERNEL + BIAS
Z2 = z_at_step_2(X)


@pytest.mark.parametrize("answer, expected", [
    (0.3 * KERNEL[1], "delta_z1: that is feature 2's row"),
    (0.3 * (KERNEL[0] + KERNEL[1]), "that nudges both features"),
    (KERNEL[0], "multiply them by the nudge"),
    (DZ1 + BIAS, "the bias is the same before and after"),
    (Z1 + DZ1, "that is z after the nudge"),
    (act(Z1 + DZ1) - act(Z1), "the change of the gate values"),
    (DZ1[[0, 1, 3, 2]], "in the order i, f, o, c"),
    (DZ2, "delta_z1 holds the change at step 2"),
    (np.ones(4), "is not the change of z_i, z_f, z_c, z_o at step 1"),
])
def test_02_3_step_1_mistakes_are_named(answer, expected):
    assert expected in failing("02.3", nudge(delta_z1=answer))


@pytest.mark.parametrize("answer, expected", [
    (np.zeros(4), "but h_1 did"),
    (DZ1, "delta_z2 equals delta_z1"),
    ((c1_of(X_UP) - c1_of(X)) * RECURRENT[0], "the change of c_1"),
    (DZ1 + DZ2, "the input of step 2, x[0, 1], is not nudged"),
    (-DZ2, "the sign is flipped"),
    (Z2 + DZ2, "that is z at step 2 after the nudge"),
    (act(Z2 + DZ2) - act(Z2), "the change of the gate values"),
    (DZ2 + BIAS, "the bias is the same before and after"),
    (DZ2[[1, 0, 2, 3]], "in the order f, i, c, o"),
    (np.ones(4), "is not the change of z at step 2"),
])
def test_02_3_step_2_mistakes_are_named(answer, expected):
    assert expected in failing("02.3", nudge(delta_z2=answer))


@pytest.mark.parametrize("name, answer, expected", [
    ("delta_z1", DZ1[None], "take its only row"),
    ("delta_z1", 0.3 * KERNEL, "a row per feature"),
    ("delta_z2", dict(zip("ifco", DZ2)), "is a dict"),
    ("delta_z2", DZ2[:2], "must have shape (4,)"),
])
def test_02_3_shapes_are_named(name, answer, expected):
    assert expected in failing("02.3", nudge(**{name: answer}))


@pytest.mark.parametrize("name", ["delta_z1", "delta_z2"])
@pytest.mark.parametrize("answer", [None, "dz", 0.3, [[1, 2], [3]], np.array([1j, 0, 0, 0]), [True] * 4])
def test_02_3_garbage_gets_a_hint(name, answer):
    failing("02.3", nudge(**{name: answer}))
