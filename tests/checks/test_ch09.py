"""Chapter 09's exercise checks: the right answer passes, each usual mistake gets its own hint, garbage gets a hint."""

import math

import numpy as np
import pytest

import lstm_utils as lu
from lstm_utils.checks import run_check

from checks_helpers import hint


# ------------------------------------------------------------------ 09.1  default recurrent_activation and its gates

def ask_91(name="sigmoid", gates=("i", "f", "o")):
    return run_check("09.1", {"keras3_recurrent_activation": name, "recurrent_activation_gates": gates})


def test_09_1_right():
    assert ask_91() == (True, "correct")
    assert ask_91(" Sigmoid", {"o", "f", "i"})[0]
    assert ask_91("sigmoid", ["input", "forget", "output"])[0]


@pytest.mark.parametrize("name, words", [
    ("hard_sigmoid", "up to Keras 2.2"), ("tanh", "`activation`"), ("logistic", "Keras's name for it is 'sigmoid'"),
    ("relu", "lstm.recurrent_activation.__name__"),
])
def test_09_1_wrong_name(name, words):
    message = hint("09.1", keras3_recurrent_activation=name, recurrent_activation_gates={"i", "f", "o"})
    assert words in message


@pytest.mark.parametrize("gates, words", [
    ({"i", "f", "c", "o"}, "candidate"), ({"i", "f", "g", "o"}, "candidate"), ({"i", "f"}, "o is missing"),
    (["f"], "i, o are missing"), ({"i", "f", "x"}, "'x' is not one of them"),
])
def test_09_1_wrong_gates(gates, words):
    assert words in hint("09.1", keras3_recurrent_activation="sigmoid", recurrent_activation_gates=gates)


def test_09_1_garbage():
    hint("09.1", keras3_recurrent_activation=None, recurrent_activation_gates={"i", "f", "o"})
    hint("09.1", keras3_recurrent_activation=1, recurrent_activation_gates={"i", "f", "o"})
    assert "not the function itself" in hint("09.1", keras3_recurrent_activation=lu.sigmoid,
                                              recurrent_activation_gates={"i", "f", "o"})
    for gates in (None, "ifo", 3, [1, 2], {"i": 1}):
        hint("09.1", keras3_recurrent_activation="sigmoid", recurrent_activation_gates=gates)


# ------------------------------------------------------------------ 09.2  Keras 3's hard_sigmoid at given points

Z = [-3.5, -2.8, -1.5, 0.0, 0.9, 2.7, 4.0]           # as the exercise states


def keras3_hard_sigmoid(z):
    # relu6(z + 3) / 6, point by point
    return min(max(z + 3.0, 0.0), 6.0) / 6.0


def test_09_2_points_match_the_check_module():
    from lstm_utils.checks import ch09
    assert ch09.Z_POINTS.tolist() == Z


def test_09_2_right():
    right = np.array([keras3_hard_sigmoid(z) for z in Z])
    assert right[1] == pytest.approx(0.2 / 6) and right[-2] == pytest.approx(5.7 / 6)
    assert run_check("09.2", {"hs_keras3": right}) == (True, "correct")
    assert run_check("09.2", {"hs_keras3": [round(v, 4) for v in right]})[0]


@pytest.mark.parametrize("values, words", [
    ([min(max(0.2 * z + 0.5, 0), 1) for z in Z], "Keras 2's hard_sigmoid"),
    ([0.2 * z + 0.5 for z in Z], "Keras 2's slope, 0.2, and without the clip"),
    ([z / 6 + 0.5 for z in Z], "must be clipped to [0, 1]"),
    ([min(max(z + 3, 0), 6) for z in Z], "divide by 6"),
    ([min(max(z / 6, 0), 1) for z in Z], "the + 0.5 is missing"),
    ([1 / (1 + math.exp(-z)) for z in Z], "logistic sigmoid"),
    ([min(max(0.25 * z + 0.5, 0), 1) for z in Z], "slope 0.25"),
    ([keras3_hard_sigmoid(z) + (0.1 if z == 0.9 else 0) for z in Z], "off at z = 0.9"),
])
def test_09_2_mistakes(values, words):
    assert words in hint("09.2", hs_keras3=np.array(values))


@pytest.mark.parametrize("answer", [None, "0.5", 0.5, np.zeros(9), np.zeros((1, 7)), ["a"] * 7, [[1, 2], [3]],
                                    np.full(7, np.nan), np.zeros(7, complex)])
def test_09_2_garbage(answer):
    hint("09.2", hs_keras3=answer)


# ------------------------------------------------------------------ 09.3  initial bias of LSTM(3), Constant(0.2)

def bias_blocks(i, f, c, o):
    return np.array([i] * 3 + [f] * 3 + [c] * 3 + [o] * 3, dtype=float)


def test_09_3_right():
    assert run_check("09.3", {"initial_bias": bias_blocks(0.2, 1.0, 0.2, 0.2)}) == (True, "correct")
    assert run_check("09.3", {"initial_bias": [0.2] * 3 + [1] * 3 + [0.2] * 6})[0]
    assert run_check("09.3", {"initial_bias": bias_blocks(0.2, 1.0, 0.2, 0.2).astype(np.float32)})[0]


@pytest.mark.parametrize("blocks, words", [
    ((0.2, 1.2, 0.2, 0.2), "'add 1' reading"), ((0, 1, 0, 0), "'force zeros' reading"),
    ((0, 1.2, 0, 0), "wrong on both"), ((0.2, 0.2, 0.2, 0.2), "True by default"),
    ((0.2, 1.2, 0.2, 0.2 + 1e-3), "the forget block (the second) is ones"), ((1, 0.2, 0.2, 0.2), "in the i block"),
    ((0.2, 0.2, 1, 0.2), "in the c block"), ((0.2, 0.2, 0.2, 1), "in the o block"),
    ((0.2, 1, 0.2, 0.3), "the other three blocks come from bias_initializer"),
])
def test_09_3_mistakes(blocks, words):
    assert words in hint("09.3", initial_bias=bias_blocks(*blocks))


def test_09_3_shapes():
    assert "flat" in hint("09.3", initial_bias=bias_blocks(0.2, 1, 0.2, 0.2).reshape(4, 3))
    assert "flat" in hint("09.3", initial_bias=bias_blocks(0.2, 1, 0.2, 0.2).reshape(4, 3).T)
    assert "one entry per unit for each of the four gates" in hint("09.3", initial_bias=[0.2, 1, 0.2, 0.2])
    assert "one entry per unit for each of the four gates" in hint("09.3", initial_bias=np.array([0.2, 1, 0.2]))


@pytest.mark.parametrize("answer", [None, "ones", 1.0, np.zeros(24), ["a"] * 12, [[1, 2], [3]],
                                    np.full(12, np.inf), (np.zeros(12),)])
def test_09_3_garbage(answer):
    hint("09.3", initial_bias=answer)


# ------------------------------------------------------------------ 09.4  keras2_gate(weight, gate)

def right_gate(weight, gate):
    # the Keras 2.2 build: kernel_i = kernel[:, :units], kernel_f = kernel[:, units: units * 2], ...
    units = weight.shape[-1] // 4
    start = {"i": 0, "f": units, "c": units * 2, "o": units * 3}[gate]
    return weight[..., start:start + units]


def test_09_4_right():
    assert run_check("09.4", {"keras2_gate": right_gate}) == (True, "correct")

    def with_split_gates(weight, gate):
        return lu.split_gates(weight)[gate]
    assert run_check("09.4", {"keras2_gate": with_split_gates})[0]


def in_order(order):
    def gate_fn(weight, gate):
        units = weight.shape[-1] // 4
        k = order.index(gate)
        return weight[..., k * units:(k + 1) * units]
    return gate_fn


@pytest.mark.parametrize("order", ["icfo", "ifoc", "oifc", "fico"])
def test_09_4_gate_order(order):
    message = hint("09.4", keras2_gate=in_order(order))
    assert f"in the order {', '.join(order)}" in message and "PyTorch's i, f, g, o is the same order" in message


def test_09_4_same_block_twice():
    def two_c(weight, gate):
        return right_gate(weight, "c" if gate == "o" else gate)
    assert "same block for gates c, o" in hint("09.4", keras2_gate=two_c)


def test_09_4_rows_instead_of_columns():
    def rows(weight, gate):
        units = weight.shape[-1] // 4
        k = "ifco".index(gate)
        return weight[k * units:(k + 1) * units]
    assert "sliced the rows" in hint("09.4", keras2_gate=rows)


def test_09_4_units_from_the_wrong_axis():
    def first_axis(weight, gate):
        units = weight.shape[0] if weight.ndim == 2 else weight.shape[0] // 4
        k = "ifco".index(gate)
        return weight[..., k * units:(k + 1) * units]
    assert "used weight.shape[0] = 3 as the number of units" in hint("09.4", keras2_gate=first_axis)


def test_09_4_fixed_units():
    def two_units(weight, gate):                       # the chapter's UNITS = 2, hard-coded
        k = "ifco".index(gate)
        return weight[..., k * 2:(k + 1) * 2]
    assert "compute units from the array" in hint("09.4", keras2_gate=two_units)


def test_09_4_bias_not_handled():
    def two_d_only(weight, gate):
        units = weight.shape[1] // 4
        k = "ifco".index(gate)
        return weight[:, k * units:(k + 1) * units]
    assert "The bias is 1-D" in hint("09.4", keras2_gate=two_d_only)


def test_09_4_other_wrong_values():
    assert "not any of the four gate blocks" in hint("09.4", keras2_gate=lambda w, g: right_gate(w, g) * 2)
    assert "returned the whole kernel" in hint("09.4", keras2_gate=lambda w, g: w)
    assert "should have shape (3, 2)" in hint("09.4", keras2_gate=lambda w, g: w[:, :5])
    assert "array of numbers" in hint("09.4", keras2_gate=lambda w, g: [10 ** 400])


@pytest.mark.parametrize("answer", [None, "kernel[:, 4:6]", lambda w, g: None, lambda w, g: "abc",
                                    lambda w, g: {"kernel": w}, lambda w, g: [[1, 2], [3]], lambda w, g: 1.0])
def test_09_4_garbage(answer):
    hint("09.4", keras2_gate=answer)


def test_09_4_stub():
    def stub(weight, gate):
        raise NotImplementedError
    assert run_check("09.4", {"keras2_gate": stub})[1].startswith("not answered yet")


# ------------------------------------------------------------------ the answers are what Keras 3 does

@pytest.mark.keras
def test_09_1_to_09_3_answers_are_what_keras_does():
    import keras

    layer = keras.layers.LSTM(3, bias_initializer=keras.initializers.Constant(0.2))
    layer.build((None, None, 2))
    assert run_check("09.1", {"keras3_recurrent_activation": layer.get_config()["recurrent_activation"],
                              "recurrent_activation_gates": {"i", "f", "o"}}) == (True, "correct")
    assert run_check("09.2", {"hs_keras3": keras.activations.hard_sigmoid(np.array(Z)).numpy()})[0]
    assert run_check("09.3", {"initial_bias": layer.get_weights()[2]})[0]
