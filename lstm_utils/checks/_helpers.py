"""Helpers the chapters' checks share (numpy only; every wrong answer ends in a Hint).

- describing a learner's value in a hint: `describe` (chapters 01-03), `show` (07-09), `is_int`;
- validators that turn an answer into a number or an array, or raise a Hint that names what arrived instead:
  `integer_answer`, `float_answer`, `scalar_answer` (01-03), `returned_array`, `same` (04-06), `shaped_array`
  (07-09), `function_answer` (04-09);
- the mistake search: every way of making one or two of the listed mistakes, and the hint for the one that
  reproduces the learner's answer (`mistake_combinations`, `name_mistakes`, ...);
- one LSTM step with a mistake switched on, and `check_step`, which runs a learner's step and names its mistake;
- `random_weights` for the checks' own test inputs.
"""

import itertools
import numbers
import warnings

import numpy as np

from ..gates import GATE_ORDER
from ..reference import lstm_step, sigmoid
from ._registry import Hint

FLOAT32_ATOL = 1e-6   # the course's float32 tolerance: answers computed from Keras's float32 weights pass
EXACT_ATOL = 1e-9     # float64 answers checked against float64 references: only rounding noise passes


# ---------------------------------------------------------------------------------------------------------------
# Describing a learner's value in a hint
# ---------------------------------------------------------------------------------------------------------------

def describe(value, limit=60):
    """A short, one-line description of any value, for hints."""
    if isinstance(value, np.ndarray):
        return f"a numpy array of shape {value.shape} and dtype {value.dtype}"
    text = repr(value).replace("\n", " ")
    if len(text) > limit:
        text = text[:limit - 3] + "..."
    return f"{type(value).__name__} {text}"


def show(value):
    """A one-line description of a learner's value, for a hint."""
    if isinstance(value, np.ndarray):
        return f"a numpy array of shape {value.shape}"
    text = " ".join(repr(value).split())
    return text if len(text) <= 60 else text[:57] + "..."


def is_int(value):
    """True for Python and numpy integers; False for bools, which Python counts as ints."""
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


# ---------------------------------------------------------------------------------------------------------------
# Validators: a learner's answer as a number or an array, or a Hint that says what arrived instead
# ---------------------------------------------------------------------------------------------------------------

def integer_answer(value, name):
    """`value` as a Python int; anything else (bool, float, str, None, arrays) is a Hint."""
    if not is_int(value):
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


def function_answer(value, name, signature=None):
    """`value` if it can be called, else a Hint; given the `signature`, the hint shows the `def` line to write."""
    if not callable(value):
        if signature is None:
            raise Hint(f"{name} should be a function, got {type(value).__name__}")
        raise Hint(f"{name} must be a function, `def {name}({signature}): ...`, got {type(value).__name__}")
    return value


def returned_array(value, what, allow_bool=False):
    """What a learner's function returned, as a numpy array of finite real numbers, or a Hint.

    Without `allow_bool` the array comes back as float64 and booleans are refused (the hint asks for real numbers);
    with it, a boolean array (a mask) is accepted and every array comes back in its own dtype.
    """
    if value is None:
        raise Hint(f"{what} is None: did you forget the `return`?")
    if isinstance(value, (str, bytes, dict)) or callable(value):
        raise Hint(f"{what} must be a numpy array, got {type(value).__name__}")
    try:
        arr = np.asarray(value)
    except Exception:
        raise Hint(f"{what} must be a numpy array, got {type(value).__name__}") from None
    if arr.dtype == object or not ((allow_bool and arr.dtype == bool) or np.issubdtype(arr.dtype, np.floating)
                                   or np.issubdtype(arr.dtype, np.integer)):
        kind = "numbers" if allow_bool else "real numbers"
        raise Hint(f"{what} must be an array of {kind}, got {type(value).__name__} with dtype {arr.dtype}")
    if not allow_bool:
        arr = arr.astype(np.float64)
    if arr.dtype != bool and not np.all(np.isfinite(arr)):
        raise Hint(f"{what} contains NaN or inf")
    return arr


def shaped_array(value, name, shape):
    """`value` as a float array of exactly `shape`, or a Hint that says what arrived instead."""
    if value is None or isinstance(value, (str, bytes, dict, set)):
        raise Hint(f"{name} should be a numpy array of shape {shape}, got {type(value).__name__}")
    try:
        arr = np.asarray(value)
        if np.iscomplexobj(arr):
            raise Hint(f"{name} should hold real numbers, got complex ones")
        arr = arr.astype(float)
    except (TypeError, ValueError, OverflowError):
        raise Hint(f"{name} should be a numpy array of numbers of shape {shape}, got {show(value)}") from None
    if arr.shape != shape:
        raise Hint(f"{name} should have shape {shape}, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise Hint(f"{name} contains nan or inf")
    return arr


# ---------------------------------------------------------------------------------------------------------------
# Comparing, and the mistake search: which listed mistakes reproduce the learner's answer
# ---------------------------------------------------------------------------------------------------------------

def close(a, b, atol):
    """Same shape and every entry within `atol` (NaNs never match)."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return a.shape == b.shape and bool(np.all(np.abs(a - b) <= atol))


def same(got, want, atol=EXACT_ATOL):
    """`close` with the float64 tolerance: equal but for rounding noise."""
    return close(got, want, atol)


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


def name_mistakes(got, options, compute, prefix=""):
    """Raise a Hint (`prefix` + the mistakes) if making some of the mistakes in `options` gives `got`.

    `options` and `compute` are as for `mistake_combinations`; fewest mistakes first; returns None if none match.
    """
    mistakes = first_match(got, mistake_combinations(options, compute), FLOAT32_ATOL)
    if mistakes:
        raise Hint(prefix + join_mistakes(mistakes))


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


def order_mistakes():
    """The "order" knob of a mistake search over an answer with one entry per gate: every other gate order."""
    return [(GATE_ORDER, None)] + [(p, f"the entries are in the order {gate_order_text(p)}; list them as i, f, c, o "
                                       "(lu.GATE_ORDER)") for p in GATE_PERMUTATIONS]


# ---------------------------------------------------------------------------------------------------------------
# One LSTM step with a mistake switched on: what a learner's step computes when it goes wrong in one place
# ---------------------------------------------------------------------------------------------------------------

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
# The checks' own test inputs
# ---------------------------------------------------------------------------------------------------------------

def random_weights(rng, features, units, *, scale, bias_scale, forget_bias=0.0):
    """kernel, recurrent_kernel and bias drawn from `rng` (normal, in that order), forget_bias added to the forget
    block of the bias."""
    kernel = rng.normal(scale=scale, size=(features, 4 * units))
    recurrent_kernel = rng.normal(scale=scale, size=(units, 4 * units))
    bias = rng.normal(scale=bias_scale, size=4 * units)
    if forget_bias:
        bias[units:2 * units] += forget_bias
    return kernel, recurrent_kernel, bias
