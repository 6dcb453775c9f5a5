"""Checks for the exercises of chapter 12 (Bidirectional)."""

from ._registry import Hint, exercise  # noqa: F401

import numpy as np

from ..bidirectional import bidirectional_forward
from ..reference import lstm_forward
from ._helpers import call_quietly, function_answer, integer_answer, random_weights, returned_array, same, show

# --------------------------------------------------------------------------------------------------------------
# 12.1  the parameters of Bidirectional(LSTM(16)) on (20, 8), then Dense(1)

_U, _F, _T = 16, 8, 20
_ONE = 4 * _U * (_F + _U + 1)      # 1600: one LSTM(16)
_N_BI = 2 * _ONE                   # 3200
_N_DENSE = 2 * _U * 1 + 1          # 33: Dense reads the concatenated 32 numbers


@exercise("12.1", "n_bidirectional", "n_dense")
def _(n_bidirectional, n_dense):
    a = integer_answer(n_bidirectional, "n_bidirectional")
    b = integer_answer(n_dense, "n_dense")
    u, f, t = _U, _F, _T
    if a != _N_BI:
        known = {
            _ONE: "that is one LSTM(16); Bidirectional holds two, a forward and a backward layer, each with its "
                  "own weights",
            _N_BI + _N_DENSE: "n_bidirectional is the whole model; count the Bidirectional layer alone",
            # the same number as one LSTM(32): 4 * 32 * (8 + 32 + 1)
            2 * 4 * u * (f + 2 * u + 1): "that is one LSTM(32), or two layers that each read 32 units of h; "
                                         "Bidirectional holds two LSTM(16) layers, each reading its own 16 units "
                                         "of h: the directions do not see each other's state",
            _N_BI * t: f"that multiplies by the {t} timesteps; one set of weights per layer serves every step",
            2 * 4 * u * (f + u): "the biases are missing: each gate of each unit has one bias, in both layers",
            2 * 4 * u * (f + u + 2): "that counts two biases per gate (PyTorch's b_ih and b_hh); Keras keeps one",
        }
        raise Hint(known.get(a, f"n_bidirectional = {a} is not right: count one LSTM(16) on 8 features "
                                "(chapter 3), then remember how many LSTM layers Bidirectional holds"))
    if b != _N_DENSE:
        known = {
            u * 1 + 1: "Dense reads the merged output; with merge_mode='concat' that is 16 + 16 = 32 numbers, "
                       "not 16",
            2 * u: "the Dense bias is missing: Dense(1) has one bias",
            _N_BI + _N_DENSE: "n_dense is the whole model; count the Dense layer alone",
            t * 2 * u + 1: "Dense reads the layer's last output, 32 numbers, not all 20 steps: return_sequences "
                           "is False",
        }
        raise Hint(known.get(b, f"n_dense = {b} is not right: Dense(1) has one weight per input number and one "
                                "bias; how many numbers does the Bidirectional layer output?"))


# --------------------------------------------------------------------------------------------------------------
# 12.2  the shapes Bidirectional(LSTM(5, return_sequences=True, return_state=True)) returns on (8, 10, 4)

_B, _S, _FEAT, _UNITS = 8, 10, 4, 5
_CONCAT = [(_B, _S, 2 * _UNITS)] + [(_B, _UNITS)] * 4
_NONE = [(_B, _S, _UNITS)] * 2 + [(_B, _UNITS)] * 4


def _shape_list(value, name):
    if not isinstance(value, (list, tuple)):
        raise Hint(f"{name} must be a list of shape tuples, one per array returned, got {show(value)}")
    shapes = []
    for k, s in enumerate(value):
        if isinstance(s, (list, tuple)) and all(isinstance(d, (int, np.integer)) and not isinstance(d, bool)
                                                 for d in s):
            shapes.append(tuple(int(d) for d in s))
        else:
            raise Hint(f"{name}[{k}] must be a shape, a tuple of ints like (8, 5), got {show(s)}")
    return shapes


def _shapes_hint(name, got, want, merged):
    n_arrays = len(want)
    if len(got) != n_arrays:
        if len(got) == n_arrays - 2:
            return (f"{name} lists {len(got)} arrays; return_state gives four states, h and c of the forward "
                    "layer, then h and c of the backward layer")
        if len(got) == n_arrays + 1 and merged:
            return f"{name} lists {len(got)} arrays; with merge_mode='concat' the two sequences are one array"
        if len(got) == n_arrays - 1 and not merged:
            return (f"{name} lists {len(got)} arrays; with merge_mode=None the two sequences come back as two "
                    "arrays, followed by the four states")
        return f"{name} must list {n_arrays} shapes (the output(s), then four states), got {len(got)}"
    outputs, states = (got[:1], got[1:]) if merged else (got[:2], got[2:])
    for s in states:
        if s == (_B, 2 * _UNITS):
            return (f"{name}: a state is one layer's h or c, {_UNITS} numbers per sequence; only the merged "
                    "output is concatenated")
        if s == (_B, _S, _UNITS):
            return f"{name}: the states are final states, one per sequence, without a time axis"
    for s in outputs:
        if len(s) == 2:
            return (f"{name}: with return_sequences=True the output has a time axis: (batch, timesteps, ...), "
                    f"got {s}")
        if merged and s == (_B, _S, _UNITS):
            return f"{name}: 'concat' puts the two layers' outputs side by side: {_UNITS} + {_UNITS} numbers wide"
        if not merged and s == (_B, _S, 2 * _UNITS):
            return f"{name}: with merge_mode=None nothing is concatenated; each sequence is {_UNITS} wide"
        if s[:2] == (_S, _B):
            return f"{name}: Keras puts the batch axis first: (batch, timesteps, ...)"
    return f"{name} is not right: expected the output(s), then h_fwd, c_fwd, h_bwd, c_bwd; got {got}"


@exercise("12.2", "concat_shapes", "none_shapes")
def _(concat_shapes, none_shapes):
    got = _shape_list(concat_shapes, "concat_shapes")
    if got != _CONCAT:
        raise Hint(_shapes_hint("concat_shapes", got, _CONCAT, merged=True))
    got = _shape_list(none_shapes, "none_shapes")
    if got != _NONE:
        raise Hint(_shapes_hint("none_shapes", got, _NONE, merged=False))


# --------------------------------------------------------------------------------------------------------------
# 12.3  the concatenated sequence by hand


def _sequence_cases():
    rng = np.random.default_rng(1203)
    cases = []
    for batch, steps, features, units in ((2, 4, 2, 3), (3, 5, 1, 2), (1, 3, 3, 4)):
        x = rng.normal(size=(batch, steps, features))
        fw = random_weights(rng, features, units, scale=0.8, bias_scale=0.4)
        bw = random_weights(rng, features, units, scale=0.8, bias_scale=0.4)
        cases.append((x, fw, bw))
    return cases


def _sequence_variants(x, fw, bw):
    f = lstm_forward(x, *fw, return_sequences=True)
    b = lstm_forward(x, *bw, return_sequences=True, go_backwards=True)
    b_fwd = lstm_forward(x, *bw, return_sequences=True)
    return [
        (np.concatenate([f, b], -1), "the backward half is in reading order (x_T first): flip it back into time "
                                     "order, backward[:, ::-1], before putting the halves side by side"),
        (np.concatenate([f, b_fwd], -1), "the backward layer reads the steps from last to first: pass "
                                         "go_backwards=True (and flip its sequence back into time order)"),
        (np.concatenate([b[:, ::-1], f], -1), "the halves are swapped: Keras puts the forward layer's output "
                                              "first"),
        (np.concatenate([f[:, ::-1], b], -1), "the whole sequence is in reverse time order: flip only the "
                                              "backward half, so position t holds both outputs at step t"),
        (np.concatenate([lstm_forward(x, *bw, return_sequences=True),
                         lstm_forward(x, *fw, return_sequences=True, go_backwards=True)[:, ::-1]], -1),
         "the weights are swapped: forward_weights belong to the layer that reads forwards"),
    ]


@exercise("12.3", "bi_sequence")
def _(bi_sequence):
    function_answer(bi_sequence, "bi_sequence", "x, forward_weights, backward_weights")
    for x, fw, bw in _sequence_cases():
        batch, steps, features = x.shape
        units = fw[1].shape[0]
        got = returned_array(call_quietly(lambda x_, *w: bi_sequence(x_, tuple(w[:3]), tuple(w[3:])),
                                          x, *fw, *bw), "bi_sequence(x, forward_weights, backward_weights)")
        want = bidirectional_forward(x, fw, bw, return_sequences=True)
        where = f"on x of shape {x.shape} with {units} units"
        if got.shape != want.shape:
            if got.shape == (batch, 2 * units):
                raise Hint(f"{where}: the result has shape {got.shape}, the last output only; return every step, "
                           f"shape (batch, timesteps, 2 * units) = {want.shape} (return_sequences=True)")
            if got.shape == (batch, steps, units):
                raise Hint(f"{where}: the result is {units} wide; 'concat' puts the two halves side by side, "
                           f"{2 * units} wide")
            raise Hint(f"{where}: expected shape (batch, timesteps, 2 * units) = {want.shape}, got {got.shape}")
        if same(got, want):
            continue
        for variant, hint in _sequence_variants(x, fw, bw):
            if same(got, variant):
                raise Hint(f"{where}: {hint}")
        if same(got[..., :units], want[..., :units]):
            raise Hint(f"{where}: the forward half is right, the backward half is not")
        raise Hint(f"{where}: the result differs from Bidirectional's; compute each half with lu.lstm_forward "
                   "(return_sequences=True), the backward one with go_backwards=True")
