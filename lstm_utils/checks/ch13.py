"""Checks for the exercises of chapter 13 (sequences in and out)."""

from ._registry import Hint, exercise  # noqa: F401

import numpy as np

from ..reference import lstm_forward
from ..series import sliding_windows
from ._helpers import call_quietly, function_answer, integer_answer, random_weights, returned_array, same, show

# --------------------------------------------------------------------------------------------------------------
# 13.1  TimeDistributed(Dense(2)) after LSTM(4, return_sequences=True) on (7, 3), batch 16

_BATCH, _STEPS, _FEAT, _UNITS, _OUT = 16, 7, 3, 4, 2
_N_DENSE = _UNITS * _OUT + _OUT          # 10
_SHAPE = (_BATCH, _STEPS, _OUT)


@exercise("13.1", "n_dense", "output_shape")
def _(n_dense, output_shape):
    n = integer_answer(n_dense, "n_dense")
    if n != _N_DENSE:
        known = {
            _STEPS * _N_DENSE: f"that counts one Dense per step; TimeDistributed applies one Dense(2), one set of "
                               f"weights, to all {_STEPS} steps",
            _STEPS * _UNITS * _OUT + _OUT: "Dense does not flatten the sequence: it reads each step's 4 numbers "
                                           "on its own, so its kernel is (4, 2)",
            # 3 * 2 + 2 == 4 * 2: the same number for two mistakes
            _UNITS * _OUT: "that is 4 x 2 weights without the 2 biases (Dense(2) has one bias per output), or the "
                           "3 input features with biases (the Dense layer reads the LSTM's 4 numbers per step)",
            4 * _UNITS * (_FEAT + _UNITS + 1) + _N_DENSE: "n_dense is the whole model; count the "
                                                         "TimeDistributed(Dense(2)) layer alone",
        }
        raise Hint(known.get(n, f"n_dense = {n} is not right: Dense(2) has one weight per (input, output) pair "
                                "and one bias per output; how many numbers does it read at each step?"))
    if not isinstance(output_shape, (tuple, list)) or not all(
            isinstance(d, (int, np.integer)) and not isinstance(d, bool) for d in output_shape):
        raise Hint(f"output_shape must be a tuple of ints like (16, 7, 2), got {show(output_shape)}")
    got = tuple(int(d) for d in output_shape)
    if got == _SHAPE:
        return
    known = {
        (_BATCH, _OUT): "return_sequences=True keeps the time axis: the output has one answer per step",
        (None, _STEPS, _OUT): "the batch is 16 here, not None",
        (_BATCH, _STEPS, _UNITS): "that is the LSTM's output; Dense(2) turns each step's 4 numbers into 2",
        (_STEPS, _BATCH, _OUT): "Keras puts the batch axis first: (batch, timesteps, outputs)",
        (_BATCH, _STEPS * _OUT): "TimeDistributed does not flatten: the steps stay on their own axis",
    }
    raise Hint(known.get(got, f"output_shape {got} is not right: (batch, timesteps, outputs of Dense)"))


# --------------------------------------------------------------------------------------------------------------
# 13.2  windows with next-step targets


def _window_cases():
    rng = np.random.default_rng(1302)
    return [(rng.normal(size=(12, 3)), 4), (rng.normal(size=(9, 1)), 3), (rng.normal(size=(6, 2)), 5)]


@exercise("13.2", "next_step_windows")
def _(next_step_windows):
    function_answer(next_step_windows, "next_step_windows", "series, timesteps")
    for series, timesteps in _window_cases():
        result = call_quietly(lambda s: next_step_windows(s, timesteps), series)
        where = f"on a series of shape {series.shape} with timesteps={timesteps}"
        if not isinstance(result, (tuple, list)) or len(result) != 2:
            raise Hint(f"{where}: next_step_windows must return the pair (X, y), got {show(result)}")
        X = returned_array(result[0], "X")
        y = returned_array(result[1], "y")
        steps, features = series.shape
        samples = steps - timesteps
        want_x = sliding_windows(series[:-1], timesteps)
        want_y = series[timesteps:]
        if X.shape != want_x.shape:
            if X.shape == (samples + 1, timesteps, features):
                raise Hint(f"{where}: X has {samples + 1} windows; the last window ends at the last step and has no "
                           f"next step to be its target: leave it out ({samples} windows)")
            if X.shape == (samples, timesteps):
                raise Hint(f"{where}: X has no feature axis; an LSTM reads (samples, timesteps, features)")
            if X.shape == (samples, features, timesteps):
                raise Hint(f"{where}: X's last two axes are swapped: a window is (timesteps, features)")
            raise Hint(f"{where}: X must have shape (samples, timesteps, features) = {want_x.shape}, got {X.shape}")
        if not same(X, want_x):
            if samples > 1 and timesteps > 1 and same(X[1], series[timesteps:2 * timesteps]):
                raise Hint(f"{where}: the windows do not overlap; window k starts at step k, not k * timesteps")
            raise Hint(f"{where}: window k must hold steps k to k + timesteps - 1 of the series, in order")
        if y.shape != want_y.shape:
            if y.shape == (samples,) and features == 1:
                return_hint = "y must keep the feature axis: shape (samples, features)"
            else:
                return_hint = f"y must have shape (samples, features) = {want_y.shape}, got {y.shape}"
            raise Hint(f"{where}: {return_hint}")
        if same(y, series[timesteps - 1:-1]):
            raise Hint(f"{where}: y[k] is the window's own last step; the target is the step after it, "
                       "series[k + timesteps]")
        if not same(y, want_y):
            raise Hint(f"{where}: y[k] must be series[k + timesteps], the step right after window k")


# --------------------------------------------------------------------------------------------------------------
# 13.3  the RepeatVector encoder-decoder


def _ed_cases():
    rng = np.random.default_rng(1303)
    cases = []
    for batch, steps, features, units, outputs, out_steps in ((2, 6, 2, 4, 1, 3), (3, 4, 3, 2, 2, 5)):
        x = rng.normal(size=(batch, steps, features))
        enc = random_weights(rng, features, units, scale=0.7, bias_scale=0.3)
        dec = random_weights(rng, units, units, scale=0.7, bias_scale=0.3)
        w, b = rng.normal(size=(units, outputs)), rng.normal(size=outputs)
        cases.append((x, enc, dec, w, b, out_steps))
    return cases


def _ed(x, enc, dec, w, b, out_steps, *, mistake=None):
    summary = lstm_forward(x, *enc)
    if mistake == "tile_batch":
        repeated = np.tile(summary, (out_steps, 1)).reshape(x.shape[0], out_steps, -1)
    else:
        repeated = np.repeat(summary[:, None, :], out_steps, axis=1)
    if mistake == "state":
        _, h, c = lstm_forward(x, *enc, return_state=True)
        decoded = lstm_forward(repeated, *dec, return_sequences=True, initial_state=[h, c])
    else:
        decoded = lstm_forward(repeated, *dec, return_sequences=True)
    if mistake == "no_dense":
        return decoded
    if mistake == "last_only":
        return (decoded[:, -1] @ w + b)[:, None]
    return decoded @ w + b


@exercise("13.3", "encode_decode")
def _(encode_decode):
    function_answer(encode_decode, "encode_decode",
                    "x, encoder_weights, decoder_weights, dense_kernel, dense_bias, out_steps")
    for x, enc, dec, w, b, out_steps in _ed_cases():
        result = call_quietly(lambda x_, w_, b_: encode_decode(x_, enc, dec, w_, b_, out_steps), x, w, b)
        got = returned_array(result, "encode_decode(...)")
        want = _ed(x, enc, dec, w, b, out_steps)
        batch, units, outputs = x.shape[0], w.shape[0], w.shape[1]
        where = f"on x of shape {x.shape} with {units} units, out_steps={out_steps}"
        if got.shape != want.shape:
            if got.shape == (batch, out_steps, units):
                raise Hint(f"{where}: the result is the decoder's output; put the Dense layer on every step "
                           "(decoded @ dense_kernel + dense_bias)")
            if got.shape == (batch, outputs):
                raise Hint(f"{where}: the decoder returns every step (return_sequences=True): one answer per "
                           "output step")
            if got.shape[:2] == (batch, x.shape[1]):
                raise Hint(f"{where}: the output has out_steps = {out_steps} steps, not the input's "
                           f"{x.shape[1]}: the decoder reads the summary repeated out_steps times")
            raise Hint(f"{where}: expected shape (batch, out_steps, outputs) = {want.shape}, got {got.shape}")
        if same(got, want):
            continue
        for mistake, hint in (
                ("tile_batch", "the summaries got mixed up between samples: repeat each sample's summary along a "
                               "new time axis, np.repeat(summary[:, None, :], out_steps, axis=1)"),
                ("state", "in the RepeatVector model the decoder starts from zero states; only the other wiring "
                          "passes the encoder's [h, c] as initial_state")):
            if same(got, _ed(x, enc, dec, w, b, out_steps, mistake=mistake)):
                raise Hint(f"{where}: {hint}")
        raise Hint(f"{where}: the result differs from the model's: encoder (last output), repeat, decoder "
                   "(return_sequences=True), then Dense on every step")
