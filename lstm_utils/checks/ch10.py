"""Checks for the exercises of chapter 10 (PyTorch and Keras). numpy only: the learner's arrays are compared with
answers worked out here from PyTorch's documented layout, never with torch itself."""

from ._registry import Hint, exercise  # noqa: F401

import numpy as np

from ._helpers import EXACT_ATOL, FLOAT32_ATOL, call_quietly, close, function_answer, returned_array, show

# ---------------------------------------------------------------------------------------------------------------
# Exercise 10.1: a torch.nn.GRU(input_size=3, hidden_size=2)'s state_dict in Keras's layout, by hand
# ---------------------------------------------------------------------------------------------------------------

_FEATURES, _UNITS = 3, 2
# the data is float64, but an answer that went through float32 (as Keras stores it) is right too
_ATOL_10_1 = FLOAT32_ATOL


def _torch_gru_state():
    """The chapter's data cell: np.random.default_rng(101), uniform(-1, 1), two decimals, in this order."""
    rng = np.random.default_rng(101)
    return {
        "weight_ih_l0": rng.uniform(-1, 1, (3 * _UNITS, _FEATURES)).round(2),
        "weight_hh_l0": rng.uniform(-1, 1, (3 * _UNITS, _UNITS)).round(2),
        "bias_ih_l0": rng.uniform(-1, 1, 3 * _UNITS).round(2),
        "bias_hh_l0": rng.uniform(-1, 1, 3 * _UNITS).round(2),
    }


def _rz_swapped(a, axis):
    """PyTorch's blocks r, z, n along `axis` as Keras's z, r, h (the first two swapped; the map is its own inverse)."""
    r, z, n = np.split(a, 3, axis=axis)
    return np.concatenate([z, r, n], axis=axis)


_STATE = _torch_gru_state()
_KERNEL = _rz_swapped(_STATE["weight_ih_l0"], 0).T                   # (3, 6), blocks z, r, h
_RECURRENT = _rz_swapped(_STATE["weight_hh_l0"], 0).T                # (2, 6)
_BIAS = np.stack([_rz_swapped(_STATE["bias_ih_l0"], 0), _rz_swapped(_STATE["bias_hh_l0"], 0)])   # (2, 6)


def _weight_hint(name, got, torch_key, want):
    raw = _STATE[torch_key]
    if got.shape == raw.shape and got.shape != want.shape:
        return (f"{name} has PyTorch's shape {raw.shape} (3*hidden, {'input' if 'ih' in torch_key else 'hidden'}); "
                f"Keras's is its transpose, {want.shape}")
    if got.shape != want.shape:
        return f"{name} must have shape {want.shape}, got shape {got.shape}"
    if close(got, raw.T, _ATOL_10_1):
        return (f"{name} is {torch_key} transposed but not reordered: PyTorch's blocks are r, z, n, Keras's z, r, h, "
                "so the first two blocks trade places")
    if close(got, raw.reshape(want.shape), _ATOL_10_1) or close(got, _rz_swapped(raw, 0).reshape(want.shape),
                                                              _ATOL_10_1):
        return f"{name} was reshaped; the shape is right but the numbers are scrambled: transpose with .T instead"
    other = "weight_hh_l0" if torch_key == "weight_ih_l0" else "weight_ih_l0"
    if got.shape == _STATE[other].T.shape and (close(got, _rz_swapped(_STATE[other], 0).T, _ATOL_10_1)
                                               or close(got, _STATE[other].T, _ATOL_10_1)):
        return f"{name} holds {other}; it comes from {torch_key}"
    return (f"{name} is not {torch_key} in Keras's layout: reorder PyTorch's row blocks r, z, n to z, r, h, then "
            "transpose")


def _bias_hint(got):
    b_ih, b_hh = _STATE["bias_ih_l0"], _STATE["bias_hh_l0"]
    if got.shape == (3 * _UNITS,):
        if close(got, _rz_swapped(b_ih + b_hh, 0), _ATOL_10_1) or close(got, b_ih + b_hh, _ATOL_10_1):
            return ("gru_bias_ex is the sum of PyTorch's two biases, shape (6,): that is the layout of "
                    "reset_after=False, where the reset gate acts before the product. PyTorch's GRU is Keras's "
                    "reset_after=True, with two bias rows (2, 6): bias_ih_l0 first, bias_hh_l0 second, both reordered")
        return "gru_bias_ex must have two rows, shape (2, 6): the input bias and the recurrent bias"
    if got.shape == (6 * _UNITS,):
        return ("gru_bias_ex has shape (12,): the two biases side by side; Keras stacks them as two rows, shape "
                "(2, 6)")
    if got.shape != (2, 3 * _UNITS):
        return f"gru_bias_ex must have shape (2, 6), got shape {got.shape}"
    if close(got, _BIAS[::-1], _ATOL_10_1):
        return "the two rows are swapped: row 0 is the input bias (bias_ih_l0), row 1 the recurrent bias (bias_hh_l0)"
    if close(got, np.stack([b_ih, b_hh]), _ATOL_10_1):
        return ("the rows are PyTorch's biases but not reordered: each has blocks r, z, n, which Keras wants as "
                "z, r, h")
    if close(got, np.stack([b_hh, b_ih]), _ATOL_10_1):
        return "the rows are swapped and not reordered: row 0 is bias_ih_l0, and each row's blocks r, z, n become z, r, h"
    return ("gru_bias_ex is not PyTorch's biases in Keras's layout: row 0 bias_ih_l0, row 1 bias_hh_l0, each with its "
            "blocks r, z, n reordered to z, r, h")


def _array(value, name):
    if value is None or isinstance(value, (str, bytes, dict, set)) or callable(value):
        raise Hint(f"{name} must be a numpy array, got {show(value)}")
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise Hint(f"{name} must be a numpy array of numbers, got {show(value)}") from None
    if not np.all(np.isfinite(arr)):
        raise Hint(f"{name} contains nan or inf")
    return arr


@exercise("10.1", "gru_kernel_ex", "gru_recurrent_ex", "gru_bias_ex")
def _(gru_kernel_ex, gru_recurrent_ex, gru_bias_ex):
    kernel = _array(gru_kernel_ex, "gru_kernel_ex")
    recurrent = _array(gru_recurrent_ex, "gru_recurrent_ex")
    bias = _array(gru_bias_ex, "gru_bias_ex")
    if not close(kernel, _KERNEL, _ATOL_10_1):
        raise Hint(_weight_hint("gru_kernel_ex", kernel, "weight_ih_l0", _KERNEL))
    if not close(recurrent, _RECURRENT, _ATOL_10_1):
        raise Hint(_weight_hint("gru_recurrent_ex", recurrent, "weight_hh_l0", _RECURRENT))
    if not close(bias, _BIAS, _ATOL_10_1):
        raise Hint(_bias_hint(bias))


# ---------------------------------------------------------------------------------------------------------------
# Exercise 10.2: a Keras LSTM's weights as a torch.nn.LSTM state_dict
# ---------------------------------------------------------------------------------------------------------------

_KEYS = ("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0")


def _lstm_cases():
    rng = np.random.default_rng(1002)
    cases = []
    for features, units in ((2, 3), (4, 1), (3, 5)):
        cases.append((rng.uniform(-1, 1, (features, 4 * units)), rng.uniform(-1, 1, (units, 4 * units)),
                      rng.uniform(-1, 1, 4 * units)))
    return cases


def _gru_like(a):
    """An LSTM weight with its first two blocks swapped along axis 0, as if it were a GRU's."""
    blocks = np.split(a, 4, axis=0)
    return np.concatenate([blocks[1], blocks[0], *blocks[2:]], axis=0)


@exercise("10.2", "lstm_to_torch")
def _(lstm_to_torch):
    function_answer(lstm_to_torch, "lstm_to_torch", "kernel, recurrent_kernel, bias")
    for kernel, recurrent, bias in _lstm_cases():
        features, units = kernel.shape[0], recurrent.shape[0]
        where = f"for {units} units and {features} features"
        state = call_quietly(lstm_to_torch, kernel, recurrent, bias)
        if not isinstance(state, dict):
            raise Hint(f"lstm_to_torch must return a dict keyed {', '.join(_KEYS)}, got {show(state)}")
        missing = [k for k in _KEYS if k not in state]
        extra = [k for k in state if k not in _KEYS]
        if missing or extra:
            raise Hint(f"the dict must have exactly the keys {list(_KEYS)} of a one-layer torch.nn.LSTM; "
                       + (f"missing {missing}" if missing else "") + ("; " if missing and extra else "")
                       + (f"unexpected {extra}" if extra else ""))
        w_ih = returned_array(state["weight_ih_l0"], f"weight_ih_l0 {where}")
        w_hh = returned_array(state["weight_hh_l0"], f"weight_hh_l0 {where}")
        b_ih = returned_array(state["bias_ih_l0"], f"bias_ih_l0 {where}")
        b_hh = returned_array(state["bias_hh_l0"], f"bias_hh_l0 {where}")
        for name, got, keras_w in (("weight_ih_l0", w_ih, kernel), ("weight_hh_l0", w_hh, recurrent)):
            want = keras_w.T
            if got.shape != want.shape:
                if got.shape == keras_w.shape:
                    raise Hint(f"{name} {where} has Keras's shape {keras_w.shape}; PyTorch stores the transpose, "
                               f"{want.shape} (4*hidden rows)")
                raise Hint(f"{name} {where} must have shape {want.shape}, got shape {got.shape}")
            if close(got, want, EXACT_ATOL):
                continue
            if close(got, keras_w.reshape(want.shape), EXACT_ATOL):
                raise Hint(f"{name} {where} was reshaped: the shape is right, the numbers scrambled; transpose with .T")
            if close(got, _gru_like(want), EXACT_ATOL):
                raise Hint(f"{name} {where} has the first two gate blocks swapped, as for a GRU; an LSTM's order "
                           "i, f, g, o is Keras's i, f, c, o: keep it")
            raise Hint(f"{name} {where} is not the transpose of Keras's "
                       f"{'kernel' if name == 'weight_ih_l0' else 'recurrent_kernel'}")
        for name, b in (("bias_ih_l0", b_ih), ("bias_hh_l0", b_hh)):
            if b.shape != (4 * units,):
                raise Hint(f"{name} {where} must have shape ({4 * units},), got shape {b.shape}")
        total = b_ih + b_hh
        if close(total, bias, EXACT_ATOL):
            continue
        if close(total, 2 * bias, EXACT_ATOL):
            raise Hint("both biases hold Keras's bias, so PyTorch adds it twice: put it in one and zeros in the other "
                       "(or split it; only their sum counts)")
        if close(total, _gru_like(bias), EXACT_ATOL):
            raise Hint("the biases have their first two gate blocks swapped, as for a GRU; an LSTM keeps its order")
        raise Hint(f"PyTorch adds bias_ih_l0 and bias_hh_l0 {where}; their sum must be Keras's bias")


# ---------------------------------------------------------------------------------------------------------------
# Exercise 10.3: the output at each sample's last real step of a post-padded batch
# ---------------------------------------------------------------------------------------------------------------

def _padded_cases():
    rng = np.random.default_rng(1003)
    return [(rng.uniform(-1, 1, (3, 5, 2)), np.array([5, 2, 3])),
            (rng.uniform(-1, 1, (4, 6, 3)), np.array([1, 6, 4, 2]))]


@exercise("10.3", "last_real_output")
def _(last_real_output):
    function_answer(last_real_output, "last_real_output", "outputs, lengths")
    for outputs, lengths in _padded_cases():
        batch, steps, units = outputs.shape
        where = f"on outputs of shape {outputs.shape} with lengths {lengths.tolist()}"
        got = returned_array(call_quietly(last_real_output, outputs, lengths), f"last_real_output {where}")
        want = outputs[np.arange(batch), lengths - 1]
        if got.shape != want.shape:
            if got.shape == (units,):
                raise Hint(f"{where}: the result has shape {got.shape}, one sample's; return one row per sample, "
                           f"shape {want.shape}")
            raise Hint(f"{where}: the result must have shape (batch, units) = {want.shape}, got shape {got.shape}")
        if close(got, want, EXACT_ATOL):
            continue
        if close(got, outputs[:, -1], EXACT_ATOL):
            raise Hint(f"{where}: that is the output at the last step, padding for the shorter samples; take each "
                       "sample's step lengths[b] - 1")
        if close(got, outputs[:, 0], EXACT_ATOL):
            raise Hint(f"{where}: that is the first step's output; take each sample's last real step, lengths[b] - 1")
        shifted = np.minimum(lengths, steps - 1)
        if close(got, outputs[np.arange(batch), shifted], EXACT_ATOL):
            raise Hint(f"{where}: one step too far: steps count from 0, so the last real step is lengths[b] - 1")
        raise Hint(f"{where}: expected row b to be outputs[b, lengths[b] - 1]")

