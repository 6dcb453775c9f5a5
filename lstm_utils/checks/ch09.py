"""Checks for the exercises of chapter 09."""

from ._registry import Hint, exercise  # noqa: F401


import numpy as np

from ..gates import GATE_ORDER
from ..reference import sigmoid
from ._helpers import function_answer, shaped_array, show

# ---------------------------------------------------------------------------------------------------------------
# 09.1  the default gate activation, and the gates it applies to

_GATE_WORDS = {"input": "i", "forget": "f", "output": "o", "candidate": "c", "cell": "c", "g": "c"}


@exercise("09.1", "keras3_recurrent_activation", "recurrent_activation_gates")
def _(keras3_recurrent_activation, recurrent_activation_gates):
    name = keras3_recurrent_activation
    if callable(name) and not isinstance(name, str):
        raise Hint("keras3_recurrent_activation should be the name, a string such as 'relu', not the function itself")
    if not isinstance(name, str):
        raise Hint(f"keras3_recurrent_activation should be a string such as 'relu', got {type(name).__name__}")
    name = name.strip().strip("'\"").lower()
    if name != "sigmoid":
        known = {
            "hard_sigmoid": "hard_sigmoid was the default up to Keras 2.2; Keras 2.3 made it sigmoid, as Keras 3 keeps it",
            "tanh": "tanh is the other activation, `activation`: it makes the candidate c~ and squashes c in "
                    "h = o * tanh(c)",
            "logistic": "right function, but Keras's name for it is 'sigmoid'",
        }
        raise Hint(f"{show(keras3_recurrent_activation)} is not Keras 3's default recurrent_activation: "
                   + known.get(name, "read lstm.recurrent_activation.__name__ in the chapter"))

    gates = recurrent_activation_gates
    if isinstance(gates, str) or not isinstance(gates, (set, frozenset, list, tuple)):
        raise Hint(f"recurrent_activation_gates should be a set of gate letters such as {{'i'}}, got {show(gates)}")
    if not all(isinstance(g, str) for g in gates):
        raise Hint(f"recurrent_activation_gates should hold gate letters, 'i', 'f', 'c' or 'o', got {show(gates)}")
    letters = {_GATE_WORDS.get(g.strip().lower(), g.strip().lower()) for g in gates}
    unknown = sorted(letters - set(GATE_ORDER))
    if unknown:
        raise Hint(f"use the gate letters i, f, c, o; {', '.join(map(repr, unknown))} is not one of them")
    if "c" in letters:
        raise Hint("the candidate c~ is made with `activation` (tanh), not with recurrent_activation")
    missing = [g for g in ("i", "f", "o") if g not in letters]
    if missing:
        raise Hint(f"recurrent_activation is applied to more gates: {', '.join(missing)} "
                   f"{'is' if len(missing) == 1 else 'are'} missing")


# ---------------------------------------------------------------------------------------------------------------
# 09.2  Keras 3's hard_sigmoid at given points

#: The points given in the exercise.
Z_POINTS = np.array([-3.5, -2.8, -1.5, 0.0, 0.9, 2.7, 4.0])


@exercise("09.2", "hs_keras3")
def _(hs_keras3):
    z = Z_POINTS
    got = shaped_array(hs_keras3, "hs_keras3", z.shape)
    right = np.clip(z / 6 + 0.5, 0, 1)
    if np.allclose(got, right, rtol=0, atol=1e-4):
        return
    known = [
        (np.clip(0.2 * z + 0.5, 0, 1), "that is Keras 2's hard_sigmoid, clip(0.2 z + 0.5, 0, 1) (the formula the "
                                       "keras.ops.hard_sigmoid docstring still shows); Keras 3's slope is 1/6"),
        (0.2 * z + 0.5, "that is Keras 2's slope, 0.2, and without the clip to [0, 1]; Keras 3 computes "
                        "relu6(z + 3) / 6"),
        (z / 6 + 0.5, "the slope is right but the values must be clipped to [0, 1]: relu6(z + 3) / 6 is flat "
                      "beyond |z| = 3"),
        (np.clip(z + 3, 0, 6), "relu6(z + 3) runs from 0 to 6: divide by 6"),
        (np.clip(z / 6, 0, 1), "the + 0.5 is missing: hard_sigmoid(0) = 0.5"),
        (sigmoid(z), "that is the logistic sigmoid, 1 / (1 + exp(-z)); hard_sigmoid is its piecewise-linear stand-in"),
        (np.clip(0.25 * z + 0.5, 0, 1), "slope 0.25 is the sigmoid's slope at 0; Keras 3's hard_sigmoid has slope 1/6"),
    ]
    for value, hint in known:
        if np.allclose(got, value, rtol=0, atol=1e-4):
            raise Hint(hint)
    bad = int(np.argmax(np.abs(got - right)))
    raise Hint(f"hs_keras3 is off at z = {z[bad]}: got {got[bad]:.4f}; Keras 3's hard_sigmoid is relu6(z + 3) / 6")


# ---------------------------------------------------------------------------------------------------------------
# 09.3  the bias a layer starts with, under unit_forget_bias

_UNITS3, _INIT3 = 3, 0.2


@exercise("09.3", "initial_bias")
def _(initial_bias):
    u, b = _UNITS3, _INIT3
    if isinstance(initial_bias, (list, tuple, np.ndarray)):
        try:
            shape = np.shape(initial_bias)
        except ValueError:
            shape = None
        if shape == (4, u) or shape == (u, 4):
            raise Hint(f"give the bias as Keras stores it, flat: shape (4*units,) = ({4 * u},), blocks i, f, c, o "
                       f"side by side (got shape {shape})")
        if shape == (4,) or shape == (u,):
            raise Hint(f"the bias has one entry per unit for each of the four gates: shape (4*units,) = ({4 * u},), "
                       f"got shape {shape}")
    got = shaped_array(initial_bias, "initial_bias", (4 * u,))

    def blocks(i, f, c, o):
        return np.concatenate([np.full(u, v) for v in (i, f, c, o)])

    if np.allclose(got, blocks(b, 1, b, b), rtol=0, atol=1e-7):
        return
    known = [
        (blocks(b, 1 + b, b, b), "that is the docstring's 'add 1' reading; the code sets the forget block to 1 "
                                 "(ones), it does not add 1 to the initializer's value"),
        (blocks(0, 1, 0, 0), "that is the docstring's 'force zeros' reading; the code leaves the i, c and o blocks to "
                             "bias_initializer"),
        (blocks(0, 1 + b, 0, 0), "that follows the docstring on both counts, and the docstring is wrong on both: "
                                 "the forget block is set to 1, the others come from bias_initializer"),
        (blocks(b, b, b, b), "unit_forget_bias is True by default, and it replaces the forget block with ones"),
        (blocks(0, 1, 0, 0) + b, "the forget block is set to 1, not 1 + the initializer's value"),
        (blocks(1, b, b, b), "the ones are in the i block; the forget gate is the second block, columns units to "
                             "2*units (order i, f, c, o)"),
        (blocks(b, b, 1, b), "the ones are in the c block; the forget gate is the second block, columns units to "
                             "2*units (order i, f, c, o)"),
        (blocks(b, b, b, 1), "the ones are in the o block; the forget gate is the second block, columns units to "
                             "2*units (order i, f, c, o)"),
    ]
    for value, hint in known:
        if np.allclose(got, value, rtol=0, atol=1e-7):
            raise Hint(hint)
    raise Hint("initial_bias is not right: with unit_forget_bias=True the forget block (the second) is ones and "
               "the other three blocks come from bias_initializer")


# ---------------------------------------------------------------------------------------------------------------
# 09.4  Keras 2's per-gate attributes as slices


def _show_error(err):
    text = " ".join(str(err).split())
    return text if len(text) <= 100 else text[:97] + "..."


def _blocks(weight, units):
    return [weight[..., k * units:(k + 1) * units] for k in range(4)]


def _gate_call(func, weight, gate, what):
    try:
        got = func(weight.copy(), gate)
    except (IndexError, ValueError, TypeError) as err:
        if weight.ndim == 1:
            raise Hint(f"keras2_gate(bias, {gate!r}) raised {type(err).__name__}: {_show_error(err)}. "
                       "The bias is 1-D (4*units,): slice the last axis with weight[..., a:b] so that one line "
                       "serves 1-D and 2-D arrays") from None
        raise
    if got is None or isinstance(got, (str, bytes, dict)):
        raise Hint(f"keras2_gate({what}, {gate!r}) should return an array, got {type(got).__name__}")
    try:
        return np.asarray(got, dtype=float)
    except (TypeError, ValueError, OverflowError):
        raise Hint(f"keras2_gate({what}, {gate!r}) should return an array of numbers, got {type(got).__name__}") \
            from None


def _check_weight(func, weight, units, what):
    rows = weight.shape[:-1]
    want_shape = rows + (units,)
    found = {}
    for k, gate in enumerate(GATE_ORDER):
        got = _gate_call(func, weight, gate, what)
        right = _blocks(weight, units)[k]
        if got.shape == right.shape and np.array_equal(got, right):
            found[gate] = k
            continue
        if got.shape == want_shape:
            matches = [j for j, block in enumerate(_blocks(weight, units)) if np.array_equal(got, block)]
            if matches:
                found[gate] = matches[0]
                continue
        # not one of the four blocks: say what it is instead
        if weight.ndim == 2 == got.ndim and got.shape[1] == weight.shape[1] and \
                np.array_equal(got, weight[k * units:(k + 1) * units]):
            raise Hint(f"keras2_gate({what}, {gate!r}) sliced the rows (first axis); the gate blocks lie side by "
                       "side along the last axis: weight[..., k*units:(k+1)*units]")
        if weight.ndim == 2:
            f = weight.shape[0]
            if f != units and got.shape == rows + (f,) and np.array_equal(got, weight[..., k * f:(k + 1) * f]):
                raise Hint(f"keras2_gate({what}, {gate!r}) used weight.shape[0] = {f} as the number of units; for "
                           f"the kernel that is the number of features. units = weight.shape[-1] // 4")
        if got.shape == weight.shape and np.array_equal(got, weight):
            raise Hint(f"keras2_gate({what}, {gate!r}) returned the whole {what}; Keras 2's {what}_{gate} was one "
                       "block of it, weight[..., k*units:(k+1)*units] with k the gate's place in i, f, c, o")
        width = got.shape[-1] if got.ndim else 0
        if got.shape[:-1] == rows and 0 < width != units and 4 * width <= weight.shape[-1] and \
                np.array_equal(got, weight[..., k * width:(k + 1) * width]):
            raise Hint(f"keras2_gate({what}, {gate!r}) returned blocks of {width} columns, but this {what} has "
                       f"{units} units: compute units from the array, weight.shape[-1] // 4, instead of a fixed number")
        if got.shape != want_shape:
            raise Hint(f"keras2_gate({what}, {gate!r}) should have shape {want_shape} (units = {units}), "
                       f"got shape {got.shape}")
        raise Hint(f"keras2_gate({what}, {gate!r}) has the right shape but is not any of the four gate blocks: "
                   f"block k of i, f, c, o is weight[..., k*units:(k+1)*units]")
    if [found[g] for g in GATE_ORDER] != [0, 1, 2, 3]:
        order = [None] * 4
        for gate, k in found.items():
            order[k] = gate
        if None in order:
            repeated = [g for g in GATE_ORDER if list(found.values()).count(found[g]) > 1]
            raise Hint(f"keras2_gate({what}, g) returns the same block for gates {', '.join(repeated)}: "
                       "each gate has its own block, in the order i, f, c, o")
        raise Hint(f"keras2_gate reads the blocks in the order {', '.join(order)}; Keras keeps them in the order "
                   "i, f, c, o (PyTorch's i, f, g, o is the same order)")


@exercise("09.4", "keras2_gate")
def _(keras2_gate):
    function_answer(keras2_gate, "keras2_gate")
    for features, units in ((3, 2), (4, 5)):
        rng = np.random.default_rng(90 + units)
        weights = {"kernel": rng.normal(size=(features, 4 * units)),
                   "recurrent_kernel": rng.normal(size=(units, 4 * units)),
                   "bias": rng.normal(size=(4 * units,))}
        for what, weight in weights.items():
            _check_weight(keras2_gate, weight, units, what)
