"""Checks for the exercises of chapter 08."""

from ._registry import Hint, exercise  # noqa: F401

import itertools
import numbers

import numpy as np

from ..backward import lstm_backward
from ..gates import GATE_ORDER
from ..reference import lstm_step
from ._helpers import function_answer, shaped_array, show

def _number(value, name):
    """`value` as a float, or a Hint that says what arrived instead."""
    if isinstance(value, np.ndarray) and value.shape == ():
        value = value[()]
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise Hint(f"{name} should be a number (a float), got {show(value)}")
    try:
        value = float(value)
    except OverflowError:
        raise Hint(f"{name} is far too large to be a fraction") from None
    if not np.isfinite(value):
        raise Hint(f"{name} should be a finite number, got {value}")
    return value


# ---------------------------------------------------------------------------------------------------------------
# 08.1  how much of the cell-state gradient crosses 40 steps with f = 0.9

_F, _STEPS = 0.9, 40


@exercise("08.1", "fraction")
def _(fraction):
    fraction = _number(fraction, "fraction")
    f, n = _F, _STEPS - 1
    right = f ** n
    if np.isclose(fraction, right, rtol=1e-3, atol=0):
        return
    known = [
        (f ** (n + 1), "one factor too many: delta c_1 = delta c_40 * f_40 * ... * f_2 has 39 factors, one per step "
                       "crossed going back from step 40 to step 1"),
        (f ** (n - 1), "one factor too few: going back from step 40 to step 1 crosses 39 steps, f_40 down to f_2"),
        ((1 - f) ** n, "the cell-state road multiplies by f itself, not by 1 - f: f near 1 keeps the gradient"),
        ((1 - f) ** (n + 1), "the cell-state road multiplies by f itself, not by 1 - f: f near 1 keeps the gradient"),
        (1 - right, "that is the part that is lost on the way; the question asks for the part that arrives"),
        (f * n, "the factors multiply: one multiplication by f per step, f**39, not 39 * f"),
        (f * (n + 1), "the factors multiply: one multiplication by f per step, f**39, not 40 * f"),
        (100 * right, "that looks like a percentage; give the fraction (between 0 and 1)"),
        (n * np.log(f), "that is the logarithm of the fraction; give the fraction itself"),
        (n * np.log10(f), "that is the base-10 logarithm of the fraction; give the fraction itself"),
        (1 / right, "that is the inverse: how many times smaller delta c_1 is; give delta c_1 / delta c_40"),
    ]
    for value, hint in known:
        if np.isclose(fraction, value, rtol=1e-3, atol=0):
            raise Hint(hint)
    raise Hint(f"fraction = {fraction:.4g} is not right: with road 1 closed, each step back multiplies delta c by f")


# ---------------------------------------------------------------------------------------------------------------
# 08.2  delta c_{t-1} from the numbers of one step

#: The numbers given in the exercise (two units).
DH = np.array([0.4, -1.0])          # delta h_t
O = np.array([0.7, 0.2])            # o_t
C = np.array([0.5, -1.5])           # c_t
DC_NEXT = np.array([0.3, 0.1])      # delta c_t arriving from step t+1 (already times f_{t+1})
F = np.array([0.9, 0.6])            # f_t


@exercise("08.2", "dc_prev")
def _(dc_prev):
    got = shaped_array(dc_prev, "dc_prev", (2,))
    tanh_c = np.tanh(C)
    through_h = DH * O * (1 - tanh_c ** 2)
    dc = through_h + DC_NEXT
    if np.allclose(got, dc * F, rtol=0, atol=1e-4):
        return
    known = [
        (dc, "that is delta c_t; the road back to c_{t-1} multiplies it by the forget gate: delta c_t * f_t"),
        (through_h * F, "delta c_t also collects the gradient arriving from step t+1 (dc_next): add it before "
                        "multiplying by f_t"),
        (DC_NEXT * F, "delta c_t also has the path through h_t = o_t * tanh(c_t): "
                      "delta h_t * o_t * (1 - tanh(c_t)**2)"),
        ((DH * (1 - tanh_c ** 2) + DC_NEXT) * F, "the path through h_t is missing the factor o_t: "
                                                 "h_t = o_t * tanh(c_t)"),
        ((DH * O + DC_NEXT) * F, "the path through h_t is missing tanh's derivative 1 - tanh(c_t)**2"),
        ((DH * O * (1 - C ** 2) + DC_NEXT) * F, "tanh's derivative is 1 - tanh(c_t)**2, not 1 - c_t**2"),
        ((DH * O * tanh_c + DC_NEXT) * F, "the path through h_t needs the derivative of tanh, 1 - tanh(c_t)**2, "
                                          "not tanh(c_t) itself"),
        ((DH * O * (1 - tanh_c) + DC_NEXT) * F, "tanh's derivative is 1 - tanh(c_t)**2: the square is missing"),
        (dc * (1 - F), "the road back multiplies by f_t, not by 1 - f_t"),
        (dc * F * (1 - F), "c_t = f_t * c_{t-1} + ...: the factor is f_t itself; f_t * (1 - f_t) is the sigmoid's "
                           "derivative, which belongs to delta z^f, not to delta c_{t-1}"),
        (through_h * F + DC_NEXT, "dc_next belongs to delta c_t, so it is multiplied by f_t too: "
                                  "(delta h_t * o_t * (1 - tanh(c_t)**2) + dc_next) * f_t"),
    ]
    for value, hint in known:
        if np.allclose(got, value, rtol=0, atol=1e-4):
            raise Hint(hint)
    raise Hint("dc_prev is not right: first delta c_t = delta h_t * o_t * (1 - tanh(c_t)**2) + dc_next, "
               "then delta c_{t-1} = delta c_t * f_t")


# ---------------------------------------------------------------------------------------------------------------
# 08.3  one step backward to delta z, written from the equations


def _case(seed, batch, features, units):
    rng = np.random.default_rng(seed)
    return dict(x_t=rng.normal(size=(batch, features)), h_prev=rng.uniform(-0.9, 0.9, (batch, units)),
                c_prev=rng.normal(size=(batch, units)), kernel=rng.normal(size=(features, 4 * units)) * 0.8,
                recurrent_kernel=rng.normal(size=(units, 4 * units)) * 0.8, bias=rng.normal(size=(4 * units,)) * 0.5,
                dh=rng.normal(size=(batch, units)))


_ARGS = ("x_t", "h_prev", "c_prev", "kernel", "recurrent_kernel", "bias", "dh")


def _reference_dz(case):
    """delta z of each sample, from lu.lstm_backward on a one-step sequence (whose bias gradient is delta z)."""
    rows = []
    for n in range(case["x_t"].shape[0]):
        grads = lstm_backward(case["x_t"][n:n + 1, None], case["kernel"], case["recurrent_kernel"], case["bias"],
                              case["dh"][n:n + 1],
                              initial_state=[case["h_prev"][n:n + 1], case["c_prev"][n:n + 1]])
        rows.append(grads["bias"])
    return np.stack(rows)


def _mistakes(case):
    """For each gate block, the usual wrong formulas: {gate: [(value, hint), ...]}, plus wrong delta c's."""
    _, c, gates = lstm_step(case["x_t"], case["h_prev"], case["c_prev"], case["kernel"], case["recurrent_kernel"],
                            case["bias"])
    i, f, g, o = (gates[k] for k in GATE_ORDER)
    dh, c_prev, tanh_c = case["dh"], case["c_prev"], np.tanh(c)
    dc = dh * o * (1 - tanh_c ** 2)
    blocks = {
        "i": [(dc * g * i, "the i block lacks the factor (1 - i): the sigmoid's derivative is s * (1 - s)"),
              (dc * g, "the i block lacks the sigmoid's derivative i * (1 - i)"),
              (dc * i * (1 - i), "the i block lacks the candidate: delta i = delta c * c~ (c = f * c_prev + i * c~)")],
        "f": [(dc * c_prev * f, "the f block lacks the factor (1 - f): the sigmoid's derivative is s * (1 - s)"),
              (dc * c_prev, "the f block lacks the sigmoid's derivative f * (1 - f)"),
              (dc * c * f * (1 - f), "the f block uses the new cell state; delta f = delta c * c_prev, the "
                                     "previous one"),
              (dc * f * (1 - f), "the f block lacks c_prev: delta f = delta c * c_prev")],
        "c": [(dc * i * g * (1 - g), "the c block uses the sigmoid's derivative; the candidate is a tanh, whose "
                                     "derivative is 1 - c~**2"),
              (dc * i, "the c block lacks tanh's derivative 1 - c~**2"),
              (dc * i * (1 - g), "the c block's tanh derivative is 1 - c~**2: the square is missing"),
              (dc * (1 - g ** 2), "the c block lacks the input gate: delta c~ = delta c * i")],
        "o": [(dh * tanh_c * o, "the o block lacks the factor (1 - o): the sigmoid's derivative is s * (1 - s)"),
              (dh * tanh_c, "the o block lacks the sigmoid's derivative o * (1 - o)"),
              (dh * c * o * (1 - o), "the o block uses c; h = o * tanh(c), so delta o = delta h * tanh(c)"),
              (dh * o * (1 - o), "the o block lacks tanh(c): h = o * tanh(c), so delta o = delta h * tanh(c)")],
    }
    wrong_dc = [
        (dh, "delta c lacks the path factor o * (1 - tanh(c)**2): h = o * tanh(c), so "
             "delta c = delta h * o * (1 - tanh(c)**2)"),
        (dh * o, "delta c lacks tanh's derivative: delta c = delta h * o * (1 - tanh(c)**2)"),
        (dh * (1 - tanh_c ** 2), "delta c lacks the output gate: delta c = delta h * o * (1 - tanh(c)**2)"),
        (dh * o * (1 - c ** 2), "tanh's derivative is 1 - tanh(c)**2, not 1 - c**2, in delta c"),
        (dh * o * tanh_c, "delta c needs tanh's derivative 1 - tanh(c)**2, not tanh(c)"),
    ]
    dc_blocks = [(np.concatenate([d * g * i * (1 - i), d * c_prev * f * (1 - f), d * i * (1 - g ** 2)], axis=-1), hint)
                 for d, hint in wrong_dc]
    return blocks, dc_blocks


def _diagnose_dz(got, case):
    want = _reference_dz(case)
    batch, width = want.shape
    units = width // 4
    close = lambda a, b: a.shape == b.shape and np.allclose(a, b, rtol=0, atol=1e-8)  # noqa: E731
    if close(got, want):
        return
    if close(got, -want):
        raise Hint("every entry has the wrong sign: dz is the gradient of L, not of -L")
    parts = {k: got[:, n * units:(n + 1) * units] for n, k in enumerate(GATE_ORDER)}
    right = {k: want[:, n * units:(n + 1) * units] for n, k in enumerate(GATE_ORDER)}
    for perm in itertools.permutations(GATE_ORDER):
        if perm != GATE_ORDER and all(close(parts[slot], right[gate]) for slot, gate in zip(GATE_ORDER, perm)):
            raise Hint(f"the blocks are right but in the order {', '.join(perm)}; dz must follow Keras's column "
                       "order i, f, c, o, the layout of kernel, recurrent_kernel and bias")
    blocks, dc_blocks = _mistakes(case)
    ifc = got[:, :3 * units]
    for value, hint in dc_blocks:
        if close(ifc, value):
            raise Hint(hint + " (the i, f and c blocks all go through delta c)")
    wrong = [k for k in GATE_ORDER if not close(parts[k], right[k])]
    for k in wrong:
        for value, hint in blocks[k]:
            if close(parts[k], value):
                raise Hint(hint)
    ok = [k for k in GATE_ORDER if k not in wrong]
    also = f" ({', '.join(ok)} {'is' if len(ok) == 1 else 'are'} right)" if ok else ""
    k = wrong[0]
    raise Hint(f"the {k} block of dz is off by up to {np.abs(parts[k] - right[k]).max():.2g}{also}; "
               "compare it with the chapter's equations for delta z")


@exercise("08.3", "my_dz")
def _(my_dz):
    function_answer(my_dz, "my_dz")
    for seed, batch, features, units in ((11, 1, 1, 1), (12, 2, 3, 2)):
        case = _case(seed, batch, features, units)
        got = my_dz(*(case[k].copy() for k in _ARGS))
        where = f"on a batch of {batch}, {features} feature{'s' * (features > 1)}, {units} unit{'s' * (units > 1)}: "
        try:
            _check_dz(got, case, (batch, 4 * units))
        except Hint as hint:
            raise Hint(where + str(hint)) from None


def _check_dz(got, case, shape):
    batch, width = shape
    if isinstance(got, dict):
        raise Hint("my_dz should return the array dz itself, not a dict")
    try:
        arr = np.asarray(got) if isinstance(got, (np.ndarray, list, tuple)) else None
    except ValueError:                            # ragged lists
        arr = None
    if arr is not None and arr.shape == (width, batch) and batch != width:
        raise Hint(f"dz has shape {arr.shape}: it should be (batch, 4*units) = {shape}, one row per sample")
    if arr is not None and batch == 1 and arr.shape == (width,):
        raise Hint(f"dz has shape {arr.shape}: keep the batch axis, shape (batch, 4*units) = {shape}")
    if arr is not None and arr.shape == (4, batch, width // 4):
        raise Hint(f"dz has shape {arr.shape}, the four blocks stacked: put them side by side, "
                   f"np.concatenate([...], axis=-1), shape {shape}")
    _diagnose_dz(shaped_array(got, "dz", shape), case)
