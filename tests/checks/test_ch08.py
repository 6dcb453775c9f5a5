"""Chapter 08's exercise checks: the right answer passes, each usual mistake gets its own hint, garbage gets a hint."""

import math

import numpy as np
import pytest

import lstm_utils as lu
from lstm_utils.checks import run_check

from checks_helpers import hint


# ------------------------------------------------------------------ 08.1  f = 0.9 over 40 steps, road 1 closed

def product_of_forget_gates(f, steps):
    # delta c_1 = delta c_T * f_T * ... * f_2, computed the long way round, as the chapter's loop does
    dc = 1.0
    for _ in range(steps, 1, -1):
        dc *= f
    return dc


RIGHT_FRACTION = product_of_forget_gates(0.9, 40)


def test_08_1_right():
    assert math.isclose(RIGHT_FRACTION, 0.016423, rel_tol=1e-4)
    assert run_check("08.1", {"fraction": RIGHT_FRACTION}) == (True, "correct")
    assert run_check("08.1", {"fraction": 0.01642})[0]               # rounded to 4 significant digits
    assert run_check("08.1", {"fraction": np.float32(RIGHT_FRACTION)})[0]
    assert run_check("08.1", {"fraction": np.array(RIGHT_FRACTION)})[0]


def test_08_1_the_fraction_is_what_the_reference_lstm_does():
    # LSTM(1) with kernel and recurrent_kernel zero (road 1 closed) and a forget gate of exactly 0.9 at every step.
    # L = h_40. A finite difference on c_0 gives delta c_0 = delta c_40 * f**40 (f_1 multiplies c_0), so the
    # fraction that reaches c_1 is delta c_0 / (delta c_40 * f).
    zeros = np.zeros((1, 4))
    bias = np.array([0.3, math.log(9.0), 0.5, 0.2])                 # sigmoid(log 9) = 0.9
    x = np.zeros((1, 40, 1))
    h0 = np.zeros((1, 1))

    def loss(c0):
        out, _, c = lu.lstm_forward(x, zeros, zeros, bias, initial_state=[h0, np.array([[c0]])], return_state=True)
        return out.item(), c.item()

    eps = 1e-6
    dc0 = (loss(0.2 + eps)[0] - loss(0.2 - eps)[0]) / (2 * eps)
    c40 = loss(0.2)[1]
    o = float(lu.sigmoid(0.2))
    dc40 = o * (1 - math.tanh(c40) ** 2)
    assert math.isclose(dc0 / (dc40 * 0.9), RIGHT_FRACTION, rel_tol=1e-6)


@pytest.mark.parametrize("value, words", [
    (0.9 ** 40, "one factor too many"), (0.9 ** 38, "one factor too few"), (0.1 ** 39, "not by 1 - f"),
    (0.1 ** 40, "not by 1 - f"), (1 - 0.9 ** 39, "the part that is lost"), (35.1, "not 39 * f"), (36.0, "not 40 * f"),
    (1.6423, "percentage"), (39 * math.log(0.9), "logarithm"), (39 * math.log10(0.9), "base-10 logarithm"),
    (1 / 0.9 ** 39, "the inverse"), (0.5, "each step back multiplies delta c by f"),
])
def test_08_1_mistakes(value, words):
    assert words in hint("08.1", fraction=value)


@pytest.mark.parametrize("answer", [None, "0.0164", True, [0.0164], np.array([0.0164, 1.0]), float("nan"),
                                    float("inf"), 10 ** 400, 1j])
def test_08_1_garbage(answer):
    hint("08.1", fraction=answer)


# ------------------------------------------------------------------ 08.2  delta c_{t-1}

DH, O, C, DC_NEXT, F = ([0.4, -1.0], [0.7, 0.2], [0.5, -1.5], [0.3, 0.1], [0.9, 0.6])   # as the exercise states


def right_dc_prev():
    out = []
    for dh, o, c, dc_next, f in zip(DH, O, C, DC_NEXT, F):
        dc = dh * o * (1 - math.tanh(c) ** 2) + dc_next
        out.append(dc * f)
    return np.array(out)


def test_08_2_numbers_match_the_check_module():
    from lstm_utils.checks import ch08
    for ours, theirs in zip((DH, O, C, DC_NEXT, F), (ch08.DH, ch08.O, ch08.C, ch08.DC_NEXT, ch08.F)):
        assert np.array_equal(ours, theirs)


def test_08_2_right():
    assert run_check("08.2", {"dc_prev": right_dc_prev()}) == (True, "correct")
    assert run_check("08.2", {"dc_prev": list(np.round(right_dc_prev(), 4))})[0]        # as printed


def variants():
    dh, o, c, dn, f = (np.array(a) for a in (DH, O, C, DC_NEXT, F))
    t = np.tanh(c)
    return [
        (dh * o * (1 - t ** 2) + dn, "multiplies it by the forget gate"),
        (dh * o * (1 - t ** 2) * f, "arriving from step t+1"),
        (dn * f, "the path through h_t"),
        ((dh * (1 - t ** 2) + dn) * f, "missing the factor o_t"),
        ((dh * o + dn) * f, "missing tanh's derivative"),
        ((dh * o * (1 - c ** 2) + dn) * f, "not 1 - c_t**2"),
        ((dh * o * t + dn) * f, "not tanh(c_t) itself"),
        ((dh * o * (1 - t) + dn) * f, "the square is missing"),
        ((dh * o * (1 - t ** 2) + dn) * (1 - f), "not by 1 - f_t"),
        ((dh * o * (1 - t ** 2) + dn) * f * (1 - f), "belongs to delta z^f"),
        (dh * o * (1 - t ** 2) * f + dn, "multiplied by f_t too"),
        (right_dc_prev() + 0.05, "first delta c_t ="),
    ]


@pytest.mark.parametrize("k", range(12))
def test_08_2_mistakes(k):
    value, words = variants()[k]
    assert words in hint("08.2", dc_prev=value)


def test_08_2_mistakes_are_far_apart():
    values = [right_dc_prev()] + [v for v, _ in variants()]
    gaps = [np.abs(a - b).max() for n, a in enumerate(values) for b in values[n + 1:]]
    assert min(gaps) > 1e-3


@pytest.mark.parametrize("answer", [None, "0.3", 0.3, np.zeros(3), np.zeros((1, 2)), [[0.1, 0.2]], ["a", "b"],
                                    [10 ** 400, 1], np.array([np.nan, 0.0]), np.array([1j, 0]), [[1, 2], [3]]])
def test_08_2_garbage(answer):
    hint("08.2", dc_prev=answer)


# ------------------------------------------------------------------ 08.3  my_dz

def right_dz(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias, dh):
    # written out from the chapter's equations, independently of the check
    z = x_t @ kernel + h_prev @ recurrent_kernel + bias
    u = h_prev.shape[-1]
    zi, zf, zc, zo = z[:, :u], z[:, u:2 * u], z[:, 2 * u:3 * u], z[:, 3 * u:]
    i, f, o = (1 / (1 + np.exp(-a)) for a in (zi, zf, zo))
    g = np.tanh(zc)
    c = f * c_prev + i * g
    dc = dh * o * (1 - np.tanh(c) ** 2)
    return np.hstack([dc * g * i * (1 - i), dc * c_prev * f * (1 - f), dc * i * (1 - g ** 2),
                      dh * np.tanh(c) * o * (1 - o)])


def test_08_3_right():
    assert run_check("08.3", {"my_dz": right_dz}) == (True, "correct")


def test_08_3_right_with_the_chapters_step_backward_pattern():
    def my_dz(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias, dh):
        # the bias gradient of lu.lstm_backward on one step, sample by sample
        rows = [lu.lstm_backward(x_t[n:n + 1, None], kernel, recurrent_kernel, bias, dh[n:n + 1],
                                 initial_state=[h_prev[n:n + 1], c_prev[n:n + 1]])["bias"] for n in range(len(x_t))]
        return np.array(rows)
    assert run_check("08.3", {"my_dz": my_dz})[0]


def edited(**change):
    """right_dz with one piece of the computation replaced: change maps a block name to a function of the parts."""
    def my_dz(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias, dh):
        _, c, gates = lu.lstm_step(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias)
        p = dict(gates, c_new=c, c_prev=c_prev, dh=dh, t=np.tanh(c), g=gates["c"])
        p["dc"] = change.get("dc", lambda p: p["dh"] * p["o"] * (1 - p["t"] ** 2))(p)
        blocks = {
            "i": lambda p: p["dc"] * p["g"] * p["i"] * (1 - p["i"]),
            "f": lambda p: p["dc"] * p["c_prev"] * p["f"] * (1 - p["f"]),
            "c": lambda p: p["dc"] * p["i"] * (1 - p["g"] ** 2),
            "o": lambda p: p["dh"] * p["t"] * p["o"] * (1 - p["o"]),
        }
        blocks.update({k: v for k, v in change.items() if k in blocks})
        order = change.get("order", "ifco")
        return np.concatenate([blocks[k](p) for k in order], axis=-1)
    return my_dz


@pytest.mark.parametrize("change, words", [
    ({"i": lambda p: p["dc"] * p["g"] * p["i"]}, "the i block lacks the factor (1 - i)"),
    ({"i": lambda p: p["dc"] * p["g"]}, "the i block lacks the sigmoid's derivative"),
    ({"i": lambda p: p["dc"] * p["i"] * (1 - p["i"])}, "the i block lacks the candidate"),
    ({"f": lambda p: p["dc"] * p["c_prev"] * p["f"]}, "the f block lacks the factor (1 - f)"),
    ({"f": lambda p: p["dc"] * p["c_prev"]}, "the f block lacks the sigmoid's derivative"),
    ({"f": lambda p: p["dc"] * p["c_new"] * p["f"] * (1 - p["f"])}, "uses the new cell state"),
    ({"f": lambda p: p["dc"] * p["f"] * (1 - p["f"])}, "the f block lacks c_prev"),
    ({"c": lambda p: p["dc"] * p["i"] * p["g"] * (1 - p["g"])}, "the c block uses the sigmoid's derivative"),
    ({"c": lambda p: p["dc"] * p["i"]}, "the c block lacks tanh's derivative"),
    ({"c": lambda p: p["dc"] * p["i"] * (1 - p["g"])}, "the square is missing"),
    ({"c": lambda p: p["dc"] * (1 - p["g"] ** 2)}, "the c block lacks the input gate"),
    ({"o": lambda p: p["dh"] * p["t"] * p["o"]}, "the o block lacks the factor (1 - o)"),
    ({"o": lambda p: p["dh"] * p["t"]}, "the o block lacks the sigmoid's derivative"),
    ({"o": lambda p: p["dh"] * p["c_new"] * p["o"] * (1 - p["o"])}, "the o block uses c;"),
    ({"o": lambda p: p["dh"] * p["o"] * (1 - p["o"])}, "the o block lacks tanh(c)"),
    ({"dc": lambda p: p["dh"]}, "delta c lacks the path factor o * (1 - tanh(c)**2)"),
    ({"dc": lambda p: p["dh"] * p["o"]}, "delta c lacks tanh's derivative"),
    ({"dc": lambda p: p["dh"] * (1 - p["t"] ** 2)}, "delta c lacks the output gate"),
    ({"dc": lambda p: p["dh"] * p["o"] * (1 - p["c_new"] ** 2)}, "not 1 - c**2, in delta c"),
    ({"dc": lambda p: p["dh"] * p["o"] * p["t"]}, "not tanh(c)"),
    ({"order": "icfo"}, "in the order i, c, f, o"),
    ({"order": "ifoc"}, "in the order i, f, o, c"),
    ({"o": lambda p: p["dh"] * p["t"] * p["o"] * (1 - p["o"]) + 0.01}, "the o block of dz is off by up to 0.01 "
                                                                       "(i, f, c are right)"),
])
def test_08_3_mistakes(change, words):
    message = hint("08.3", my_dz=edited(**change))
    assert words in message
    assert message.startswith("on a batch of 1, 1 feature, 1 unit: ")      # caught on the one-unit case already


def test_08_3_sign_and_shapes():
    assert "wrong sign" in hint("08.3", my_dz=lambda *a: -right_dz(*a))
    assert "keep the batch axis" in hint("08.3", my_dz=lambda *a: right_dz(*a)[0])
    message = hint("08.3", my_dz=lambda *a: right_dz(*a).T)
    assert message.startswith("on a batch of 1, 1 feature, 1 unit: ") and "one row per sample" in message
    assert "side by side" in hint("08.3", my_dz=lambda *a: np.stack(np.split(right_dz(*a), 4, axis=-1)))
    assert "not a dict" in hint("08.3", my_dz=lambda *a: {"dz": right_dz(*a)})


def test_08_3_one_unit_only_code_is_caught_on_the_bigger_case():
    def scalar_minded(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias, dh):
        return right_dz(x_t[:, :1], h_prev[:, :1], c_prev[:, :1], kernel[:1, ::h_prev.shape[1]],
                        recurrent_kernel[:1, ::h_prev.shape[1]], bias[::h_prev.shape[1]], dh[:, :1])
    message = hint("08.3", my_dz=scalar_minded)
    assert message.startswith("on a batch of 2, 3 features, 2 units: dz should have shape (2, 8), got shape (2, 4)")


@pytest.mark.parametrize("answer", [None, "dz", 0.5, lambda *a: None, lambda *a: "dz", lambda *a: [[1, 2], [3]],
                                    lambda *a: np.full((1, 4), np.nan), lambda *a: np.zeros((1, 4), complex)])
def test_08_3_garbage(answer):
    hint("08.3", my_dz=answer)


def test_08_3_stub():
    def stub(*args):
        raise NotImplementedError
    assert run_check("08.3", {"my_dz": stub})[1].startswith("not answered yet")
