"""Checks for the exercises of chapter 01."""

from ._core import Hint, exercise  # noqa: F401

import itertools
import numbers
import warnings

import numpy as np

from ..gates import GATE_ORDER
from ..reference import lstm_step, sigmoid

# ---------------------------------------------------------------------------------------------------------------
# Helpers shared with the checks of chapters 02 and 03 (numpy only; every wrong answer ends in a Hint).
# ---------------------------------------------------------------------------------------------------------------

FLOAT32_ATOL = 1e-6   # the course's float32 tolerance: answers computed from Keras's float32 weights pass


def describe(value, limit=60):
    """A short, one-line description of any value, for hints."""
    if isinstance(value, np.ndarray):
        return f"a numpy array of shape {value.shape} and dtype {value.dtype}"
    text = repr(value).replace("\n", " ")
    if len(text) > limit:
        text = text[:limit - 3] + "..."
    return f"{type(value).__name__} {text}"


def integer_answer(value, name):
    """`value` as a Python int; anything else (bool, float, str, None, arrays) is a Hint."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        if isinstance(value, numbers.Real) and not isinstance(value, bool) and float(value).is_integer():
            raise Hint(f"{name} should be an int, got {describe(value)}: a count of parameters is a whole number, "
                       f"write int(...) or compute it with integers only")
        raise Hint(f"{name} must be an int (a number of parameters), got {describe(value)}")
    return int(value)


def float_answer(value, name, what="a numpy array"):
    """`value` as a float64 numpy array; None, strings, dicts, ragged lists and complex numbers are Hints."""
    if value is None or isinstance(value, (str, bytes, dict, set)) or callable(value):
        raise Hint(f"{name} must be {what}, got {describe(value)}")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            arr = np.asarray(value)
    except Exception:
        raise Hint(f"{name} must be {what} (real numbers only), got {describe(value)}") from None
    if arr.dtype == bool:
        raise Hint(f"{name} must be {what} (real numbers, not booleans), got {describe(value)}")
    if arr.dtype == object or not np.issubdtype(arr.dtype, np.number):
        raise Hint(f"{name} must be {what} (real numbers only), got {describe(value)}")
    if np.issubdtype(arr.dtype, np.complexfloating):
        raise Hint(f"{name} must be real, got complex values ({describe(value)})")
    return arr.astype(np.float64)


def scalar_answer(value, name):
    """A single real number (Python or numpy scalar, or a 0-d array) as a float; size-1 arrays get a Hint."""
    arr = float_answer(value, name, what="a number")
    if arr.shape != ():
        extra = ": take the single entry out, e.g. float(z[0]) or z.item()" if arr.size == 1 else ""
        raise Hint(f"{name} must be a single number, got an array of shape {arr.shape}{extra}")
    return float(arr)


def close(a, b, atol):
    """Same shape and every entry within `atol` (NaNs never match)."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return a.shape == b.shape and bool(np.all(np.abs(a - b) <= atol))


def first_match(got, candidates, atol):
    """The mistakes of the first candidate (fewest mistakes first) that `got` equals, or None."""
    for mistakes, value in candidates:
        if close(got, value, atol):
            return mistakes
    return None


def mistake_combinations(options, compute, max_mistakes=2):
    """Every way of making at most `max_mistakes` of the listed mistakes, with its result, fewest first.

    `options` is ``{knob: [(setting, description), ...]}`` whose first setting is the correct one (description
    None); `compute(**settings)` gives the answer those settings produce. Returns ``[(descriptions, value)]``.
    """
    knobs = list(options)
    found = []
    for choice in itertools.product(*(range(len(options[k])) for k in knobs)):
        wrong = [k for k, c in zip(knobs, choice) if c]
        if not wrong or len(wrong) > max_mistakes:
            continue
        settings = {k: options[k][c][0] for k, c in zip(knobs, choice)}
        found.append(([options[k][c][1] for k, c in zip(knobs, choice) if c], compute(**settings)))
    found.sort(key=lambda item: len(item[0]))
    return found


def join_mistakes(mistakes):
    return "; and ".join(mistakes)


def gate_order_text(order):
    return ", ".join(order)


def permutation_mistake(order):
    """The hint for a learner who reads the four gate blocks as if they were in `order`."""
    swapped = [g for g, k in zip(order, GATE_ORDER) if g != k]
    pair = ""
    if len(swapped) == 2:
        names = {"i": "input gate i", "f": "forget gate f", "c": "candidate c̃", "o": "output gate o"}
        pair = f" ({names[swapped[0]]} and {names[swapped[1]]} swapped)"
    return (f"your gates come out as if the four blocks were in the order {gate_order_text(order)}{pair}; "
            f"Keras stores them as i, f, c, o (lu.GATE_ORDER)")


GATE_PERMUTATIONS = [p for p in itertools.permutations(GATE_ORDER) if p != GATE_ORDER]


# --- one LSTM step with a mistake switched on: what a learner's step computes when it goes wrong in one place ---

_ACTIVATIONS = {"sigmoid": sigmoid, "tanh": np.tanh, "none": lambda z: z}
_RIGHT_ACTS = ("sigmoid", "sigmoid", "tanh", "sigmoid")


def mistaken_step(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias, *, order=GATE_ORDER, layout="gate",
                  use_bias=True, recurrent="h", acts=_RIGHT_ACTS, cell="right", out="tanh", returns="h, c"):
    """One step (1-D x_t, h_prev, c_prev) as Keras computes it, except where a keyword says otherwise.

    order: the order in which the gate blocks are read; layout "unit": columns read unit by unit (i1 f1 c1 o1 i2 ...);
    recurrent: "h" (right), "c" (c_prev through recurrent_kernel), "none", "own" (each unit reads only its own
    previous output); acts: activations of i, f, c̃, o; cell: "right", "no_i" (c = f c_prev + c̃), "no_f"
    (c = c_prev + i c̃); out: "tanh" (right), "none" (h = o c), "sigmoid", "old_c" (h = o tanh(c_prev)).
    """
    units = recurrent_kernel.shape[0]
    z = x_t @ kernel
    if recurrent == "h":
        z = z + h_prev @ recurrent_kernel
    elif recurrent == "c":
        z = z + c_prev @ recurrent_kernel
    elif recurrent == "own":
        diag = np.concatenate([recurrent_kernel[np.arange(units), k * units + np.arange(units)] for k in range(4)])
        z = z + np.tile(h_prev, 4) * diag
    if use_bias:
        z = z + bias
    if layout == "gate":
        blocks = {g: z[order.index(g) * units:(order.index(g) + 1) * units] for g in GATE_ORDER}
    else:
        by_unit = z.reshape(units, 4)
        blocks = {g: by_unit[:, order.index(g)] for g in GATE_ORDER}
    i, f, g, o = (_ACTIVATIONS[a](blocks[name]) for a, name in zip(acts, GATE_ORDER))
    if cell == "no_i":
        c = f * c_prev + g
    elif cell == "no_f":
        c = c_prev + i * g
    else:
        c = f * c_prev + i * g
    squash = {"tanh": np.tanh(c), "none": c, "sigmoid": sigmoid(c), "old_c": np.tanh(c_prev)}[out]
    h = o * squash
    return (c, h) if returns == "c, h" else (h, c)


def step_mistakes(many_units):
    """{knob: [(setting, description), ...]} of the step mistakes the step checks recognise."""
    options = {
        "use_bias": [(True, None), (False, "the bias is missing: z = x_t @ kernel + h_prev @ recurrent_kernel + bias")],
        "recurrent": [("h", None),
                      ("none", "the recurrent term is missing: h_prev @ recurrent_kernel belongs in z"),
                      ("c", "the recurrent term uses c_prev; it is h_prev, the previous output, that multiplies "
                            "recurrent_kernel")],
        "order": [(GATE_ORDER, None)] + [(p, permutation_mistake(p)) for p in GATE_PERMUTATIONS],
        "acts": [(_RIGHT_ACTS, None),
                 (("sigmoid", "sigmoid", "sigmoid", "sigmoid"), "the candidate c̃ uses sigmoid; it is tanh(z_c)"),
                 (("sigmoid", "sigmoid", "none", "sigmoid"), "the candidate is not squashed: c̃ = tanh(z_c)"),
                 (("tanh", "sigmoid", "tanh", "sigmoid"), "the input gate i uses tanh; it is sigmoid(z_i)"),
                 (("sigmoid", "tanh", "tanh", "sigmoid"), "the forget gate f uses tanh; it is sigmoid(z_f)"),
                 (("sigmoid", "sigmoid", "tanh", "tanh"), "the output gate o uses tanh; it is sigmoid(z_o)"),
                 (("tanh", "tanh", "tanh", "tanh"), "every gate uses tanh; i, f and o are sigmoids, only c̃ is tanh")],
        "cell": [("right", None),
                 ("no_i", "the input gate is missing from the cell update: c = f * c_prev + i * c̃"),
                 ("no_f", "the forget gate is missing from the cell update: c = f * c_prev + i * c̃")],
        "out": [("tanh", None),
                ("none", "h = o * c is missing the tanh: h = o * tanh(c)"),
                ("sigmoid", "h uses sigmoid(c); it is h = o * tanh(c)"),
                ("old_c", "h uses the old cell state c_prev; it is o * tanh(c) with the new c")],
        "returns": [("h, c", None), ("c, h", "h and c come back swapped: return h first, then c")],
    }
    if many_units:
        options["layout"] = [
            ("gate", None),
            ("unit", "your step reads the columns unit by unit (i1 f1 c1 o1 | i2 f2 c2 o2 | ...); Keras groups them "
                     "by gate: four blocks [i1 i2 ... | f1 f2 ... | c1 c2 ... | o1 o2 ...] of `units` columns each")]
        options["recurrent"].append(
            ("own", "each unit reads only its own previous output (the diagonal of each gate block of "
                    "recurrent_kernel); every gate of every unit reads h_prev of every unit: "
                    "h_prev @ recurrent_kernel"))
    return options


def call_quietly(func, *args):
    """Call the learner's function on copies of the inputs, with numpy's warnings kept out of the notebook."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        return func(*(np.array(a, copy=True) for a in args))


def step_output(result, name, shape, allow_scalar=False):
    """The (h, c) pair a learner's step returned, as float64 arrays of `shape`, or a Hint saying what is off."""
    if isinstance(result, np.ndarray) and result.ndim >= 1 and len(result) == 2:
        result = (result[0], result[1])
    if not isinstance(result, (tuple, list)):
        raise Hint(f"{name} must return the pair (h, c), got {describe(result)}")
    if len(result) != 2:
        extra = " (lu.lstm_step also returns the gates; yours should return only h and c)" if len(result) == 3 else ""
        raise Hint(f"{name} must return exactly two values (h, c), got {len(result)}{extra}")
    arrays = []
    for value, which in zip(result, ("h", "c")):
        arr = float_answer(value, f"the {which} returned by {name}")
        if allow_scalar and arr.shape == ():
            arr = arr.reshape(1)
        if arr.shape != shape:
            raise Hint(f"the {which} returned by {name} must have shape {shape} (one value per unit), "
                       f"got shape {arr.shape}")
        arrays.append(arr)
    return tuple(arrays)


def check_step(func, name, cases, shape, many_units, allow_scalar=False):
    """Run the learner's step on every case, compare with lu.lstm_step, and diagnose a mismatch.

    `shape` is the shape h and c must have, or a function of the case that gives it.
    """
    if not callable(func):
        raise Hint(f"{name} must be a function, got {describe(func)}")
    shapes = [shape(case) if callable(shape) else shape for case in cases]
    got = [step_output(call_quietly(func, *case), name, s, allow_scalar) for case, s in zip(cases, shapes)]
    want = [lstm_step(*case)[:2] for case in cases]
    if all(close(g, w, FLOAT32_ATOL) for gw, ww in zip(got, want) for g, w in zip(gw, ww)):
        return
    if any(not np.all(np.isfinite(g)) for pair in got for g in pair):
        raise Hint(f"{name} returned NaN or inf; sigmoid and tanh keep every value finite, so look for a division "
                   "by zero or an overflowing exp")

    def compute(**settings):
        return [mistaken_step(*case, **settings) for case in cases]

    def matches(candidate):
        return all(close(g, w, FLOAT32_ATOL) for gw, ww in zip(got, candidate) for g, w in zip(gw, ww))

    for mistakes, candidate in mistake_combinations(step_mistakes(many_units), compute):
        if matches(candidate):
            raise Hint(join_mistakes(mistakes))
    for k, (gw, ww) in enumerate(zip(got, want)):
        h_ok, c_ok = close(gw[0], ww[0], FLOAT32_ATOL), close(gw[1], ww[1], FLOAT32_ATOL)
        if h_ok and c_ok:
            continue
        dh, dc = (float(np.max(np.abs(g - w))) for g, w in zip(gw, ww))
        where = ("c is right, so look at h = o * tanh(c)" if c_ok else
                 "h is right but c is not" if h_ok else "both h and c are off")
        raise Hint(f"on test input {k + 1} of {len(cases)}, h is off by up to {dh:.3g} and c by up to {dc:.3g} "
                   f"({where}); compare your step with lu.lstm_step on the same arrays to find the first value "
                   "that differs")


# ---------------------------------------------------------------------------------------------------------------
# Exercise 01.1: the parameter count of LSTM(1) on (50, 1)
# ---------------------------------------------------------------------------------------------------------------

_T = 50


@exercise("01.1", "n_params_50")
def _(n_params_50):
    n = integer_answer(n_params_50, "n_params_50")
    if n == 12:
        return
    known = {
        12 * _T: f"that is 12 × {_T}: you multiplied by the {_T} timesteps, but one cell is applied at every step "
                 "with the same weights, so the count does not depend on the sequence length",
        4 * (_T + 1 + 1): f"you used {_T} as the number of features: shape ({_T}, 1) is {_T} timesteps of 1 feature",
        4 * _T * (1 + _T + 1): f"you used {_T} as the number of units: ({_T}, 1) is the input shape, LSTM(1) has "
                               "1 unit",
        4 * (1 + 1): "the biases are missing: each gate also has one bias",
        4 * (1 + 1 + 2): "that counts two biases per gate (PyTorch keeps b_ih and b_hh); a Keras gate has one bias",
        3 * (1 + 1 + 1): "that counts three gates (a GRU has three); an LSTM has four: i, f, c̃ and o",
        3: "that is one gate's share; an LSTM unit has four gates: i, f, c̃ and o",
        4: "one number per gate is too few: each gate has an input weight, a recurrent weight and a bias",
        _T: f"{_T} is the number of timesteps, which does not enter the parameter count",
    }
    if n in known:
        raise Hint(known[n])
    raise Hint(f"{n} is not the number of parameters of LSTM(1) on ({_T}, 1); count, for each of the 4 gates, "
               "the weights on the input, the weights on the previous output and the bias")


# ---------------------------------------------------------------------------------------------------------------
# Exercise 01.2: the four pre-activations of one step, with the chapter's round weights
# ---------------------------------------------------------------------------------------------------------------

_W_X = np.array([0.5, 0.4, 0.3, 0.6])    # the chapter's kernel (1, 4), gates i, f, c, o
_W_H = np.array([0.2, 0.1, 0.4, 0.3])    # recurrent_kernel (1, 4)
_B = np.array([0.0, 1.0, 0.0, 0.0])      # bias (4,)
_X_T, _H_PREV, _C_PREV = -1.0, 0.5, 0.3


def _z_step(use_bias=True, recurrent="h", swap=False, squash="none", order=GATE_ORDER):
    w_x, w_h = (_W_H, _W_X) if swap else (_W_X, _W_H)
    prev = {"h": _H_PREV, "c": _C_PREV, "none": 0.0}[recurrent]
    z = w_x * _X_T + w_h * prev + (_B if use_bias else 0.0)
    if squash == "gates":
        z = np.array([sigmoid(z[0]), sigmoid(z[1]), np.tanh(z[2]), sigmoid(z[3])])
    elif squash == "sigmoid":
        z = sigmoid(z)
    return z[[GATE_ORDER.index(g) for g in order]]


_Z_STEP_MISTAKES = {
    "use_bias": [(True, None), (False, "the bias is missing: each z also adds its gate's bias b")],
    "recurrent": [("h", None), ("none", "the recurrent term w_h · h_prev is missing"),
                  ("c", "you multiplied the recurrent weights by c_prev = 0.3; they multiply the previous output "
                        "h_prev = 0.5 (c_prev plays no part in z)")],
    "swap": [(False, None), (True, "the weights are swapped: W_x (kernel) multiplies x_t and W_h (recurrent_kernel) "
                                   "multiplies h_prev")],
    "squash": [("none", None),
               ("gates", "those are the gate values after sigmoid and tanh; z is the pre-activation, before squashing"),
               ("sigmoid", "those are sigmoid(z); z is the pre-activation, before any squashing")],
    "order": [(GATE_ORDER, None)] + [(p, f"the entries are in the order {gate_order_text(p)}; list them as i, f, c, o "
                                         "(lu.GATE_ORDER)") for p in GATE_PERMUTATIONS],
}


@exercise("01.2", "z_step")
def _(z_step):
    if isinstance(z_step, dict):
        raise Hint("z_step is a dict; make it an array in the order i, f, c, o, "
                   "e.g. np.array([z[g] for g in lu.GATE_ORDER])")
    z = float_answer(z_step, "z_step")
    if z.shape != (4,):
        extra = ": take its only row, z[0], or use z.ravel()" if z.shape in ((1, 4), (4, 1)) else ""
        raise Hint(f"z_step must have shape (4,), one pre-activation per gate i, f, c, o; got shape {z.shape}{extra}")
    if close(z, _z_step(), FLOAT32_ATOL):
        return
    mistakes = first_match(z, mistake_combinations(_Z_STEP_MISTAKES, _z_step), FLOAT32_ATOL)
    if mistakes:
        raise Hint(join_mistakes(mistakes))
    raise Hint(f"z_step = {np.array2string(z, precision=4)} is not z for x_t = {_X_T}, h_prev = {_H_PREV}; "
               "each entry is w_x * x_t + w_h * h_prev + b for its gate")


# ---------------------------------------------------------------------------------------------------------------
# Exercise 01.3: my_lstm_step for one unit and one feature, run on the check's own inputs
# ---------------------------------------------------------------------------------------------------------------

def _step_cases_one_unit():
    rng = np.random.default_rng(101)
    cases = [(np.array([1.0]), np.array([0.3]), np.array([-0.7]), _W_X[None], _W_H[None], _B)]  # the chapter's weights
    for _ in range(4):
        cases.append((rng.uniform(-2, 2, 1), rng.uniform(-0.9, 0.9, 1), rng.uniform(-2, 2, 1),
                      rng.uniform(-1.5, 1.5, (1, 4)), rng.uniform(-1.5, 1.5, (1, 4)), rng.uniform(-1, 1, 4)))
    return cases


STEP_CASES_ONE_UNIT = _step_cases_one_unit()


@exercise("01.3", "my_lstm_step")
def _(my_lstm_step):
    check_step(my_lstm_step, "my_lstm_step", STEP_CASES_ONE_UNIT, (1,), many_units=False, allow_scalar=True)
