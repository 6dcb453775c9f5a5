"""Checks for the exercises of chapter 05."""

from ._registry import Hint, exercise  # noqa: F401

import numbers

import numpy as np

from ..reference import lstm_forward
from ._helpers import function_answer, random_weights, same

# --------------------------------------------------------------------------------------------------------------
# 05.1  which layers of a stack need return_sequences=True

_LAYERS = 4


def _flags(value, name):
    if not isinstance(value, (tuple, list)):
        raise Hint(f"{name} must be a tuple of {_LAYERS} booleans, one per layer from the bottom, "
                   f"got {type(value).__name__}")
    if len(value) != _LAYERS:
        raise Hint(f"{name} must have {_LAYERS} booleans, one per LSTM layer from the bottom, got {len(value)}")
    if not all(isinstance(v, (bool, np.bool_)) for v in value):
        raise Hint(f"{name} must hold True or False for each layer, got {value!r}")
    return tuple(bool(v) for v in value)


def _lower_layers_hint(flags, name):
    for k, flag in enumerate(flags[:-1]):
        if not flag:
            raise Hint(f"{name}: layer {k + 1} has return_sequences=False, so it hands layer {k + 2} one vector per "
                       f"sample, (batch, units), with no time axis left: Keras refuses to build the model "
                       f"(expected ndim=3, found ndim=2). Every layer below the top must return its whole sequence")


@exercise("05.1", "flags_one_vector", "flags_every_step")
def _(flags_one_vector, flags_every_step):
    one = _flags(flags_one_vector, "flags_one_vector")
    every = _flags(flags_every_step, "flags_every_step")
    _lower_layers_hint(one, "flags_one_vector")
    if one[-1]:
        raise Hint("flags_one_vector: with return_sequences=True on the top layer the model returns a vector at every "
                   "step, (batch, timesteps, units), not one vector per sequence")
    _lower_layers_hint(every, "flags_every_step")
    if not every[-1]:
        raise Hint("flags_every_step: with return_sequences=False the top layer returns only its last step; for a "
                   "vector at every step it must return its sequence too")


# --------------------------------------------------------------------------------------------------------------
# 05.2  parameter count of a three-layer stack

_FEATURES, _STEPS, _UNITS = 7, 20, (16, 8, 4)


def _count(units, inputs, bias=True, recurrent=True, gates=4):
    return gates * units * (inputs + (units if recurrent else 0) + (1 if bias else 0))


def _whole_number(value, name):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise Hint(f"{name} must be a whole number, got {value!r} ({type(value).__name__})")
    if not float(value).is_integer():
        raise Hint(f"{name} must be a whole number (parameters come whole), got {value!r}")
    return int(value)


def _layer_hint(k, got):
    units = _UNITS[k]
    inputs = _FEATURES if k == 0 else _UNITS[k - 1]
    want = _count(units, inputs)
    if got == want:
        return
    said = f"layer {k + 1}, LSTM({units}): expected {want}, got {got}"
    formula = f"4 · {units} · ({inputs} + {units} + 1)"
    if k > 0 and got == _count(units, _FEATURES):
        raise Hint(f"{said}. Layer {k + 1} reads the output of layer {k}, {_UNITS[k - 1]} numbers per step (one per "
                   f"unit of layer {k}), not the {_FEATURES} raw features: {formula}")
    if got == _STEPS * want:
        raise Hint(f"{said}, {_STEPS} times too many: the same weights serve every timestep, so the number of "
                   f"timesteps does not appear: {formula}")
    if got == _count(units, inputs, bias=False):
        raise Hint(f"{said}: the bias is missing, one per gate and unit: {formula}")
    if got == _count(units, inputs, recurrent=False):
        raise Hint(f"{said}: the recurrent weights are missing, each unit also reads the {units} previous outputs "
                   f"of its own layer: {formula}")
    if got == _count(units, inputs, gates=1):
        raise Hint(f"{said}, 4 times too few: every unit has four gates (i, f, c, o), each with its own weights: "
                   f"{formula}")
    if got == 4 * units * (inputs + 1) + units * units:
        raise Hint(f"{said}: the recurrent kernel has four gate blocks too, shape ({units}, {4 * units}): {formula}")
    if k + 1 < len(_UNITS) and got == _count(units, _UNITS[k + 1]):
        raise Hint(f"{said}: layer {k + 1} reads what is below it, not the layer above: {formula}")
    raise Hint(f"{said}; an LSTM layer has 4 · units · (inputs + units + 1) parameters, here {formula}")


@exercise("05.2", "params_per_layer", "params_total")
def _(params_per_layer, params_total):
    if isinstance(params_per_layer, np.ndarray) and params_per_layer.ndim == 1:
        params_per_layer = params_per_layer.tolist()
    if not isinstance(params_per_layer, (tuple, list)) or len(params_per_layer) != len(_UNITS):
        raise Hint(f"params_per_layer must be a tuple of {len(_UNITS)} whole numbers, one per LSTM layer from the "
                   f"bottom, got {params_per_layer!r}")
    counts = [_whole_number(v, f"params_per_layer[{k}]") for k, v in enumerate(params_per_layer)]
    total = _whole_number(params_total, "params_total")
    for k, got in enumerate(counts):
        _layer_hint(k, got)
    want = sum(counts)
    if total != want:
        if total == _STEPS * want:
            raise Hint(f"params_total: expected {want}, got {total}, {_STEPS} times too many: the number of timesteps "
                       "does not appear")
        raise Hint(f"params_total: expected {want}, the sum of the three layers, got {total}")


# --------------------------------------------------------------------------------------------------------------
# 05.3  a stack by hand: each layer reads the output sequence of the layer below


def _weights(rng, features, units):
    return random_weights(rng, features, units, scale=0.6, bias_scale=0.4)


def _stack_cases():
    """Two stacks: one where every layer has as many units as x has features (so wrong wiring runs and can be
    named), and one with sizes that differ, as in the chapter."""
    rng = np.random.default_rng(503)
    cases = []
    for features, units in ((3, (3, 3, 3)), (5, (4, 6))):
        weights, reads = [], features
        for u in units:
            weights.append(_weights(rng, reads, u))
            reads = u
        cases.append((rng.normal(size=(2, 4, features)), weights))
    return cases


def _stack(x, weights, *, order=None, pass_states=False, last_only=False, read_x=False):
    """The reference stack, and the wrong wirings that the hints name."""
    layers = list(weights) if order is None else [weights[k] for k in order]
    seq, state = x, None
    for k, w in enumerate(layers):
        top = k == len(layers) - 1
        out, h, c = lstm_forward(x if read_x else seq, *w, initial_state=state if pass_states else None,
                                 return_sequences=not top and not last_only, return_state=True)
        state = [h, c]
        seq = out if top or not last_only else out[:, None, :]
    return seq


def _bottom_only(x, weights):
    return lstm_forward(x, *weights[0])


@exercise("05.3", "stack_forward")
def _(stack_forward):
    function_answer(stack_forward, "stack_forward", "x, weights")
    for x, weights in _stack_cases():
        batch = x.shape[0]
        top_units = weights[-1][1].shape[0]
        sizes = ", ".join(f"LSTM({w[1].shape[0]})" for w in weights)
        try:
            result = stack_forward(x.copy(), [tuple(a.copy() for a in w) for w in weights])
        except ValueError as err:
            if "must be 3-D" in str(err):
                raise Hint("a layer received a 2-D array (batch, units): every layer below the top must pass on its "
                           "whole output sequence, return_sequences=True, because the next LSTM steps through "
                           "time") from None
            raise
        if result is None:
            raise Hint("stack_forward returned None: did you forget the `return`?")
        try:
            got = np.asarray(result, dtype=np.float64)
        except (TypeError, ValueError):
            raise Hint(f"stack_forward must return a numpy array, got {type(result).__name__}") from None
        want = _stack(x, weights)
        where = f"on a stack {sizes} with x of shape {x.shape}"
        if got.shape != want.shape:
            if got.shape == (batch, x.shape[1], top_units):
                raise Hint(f"{where}: stack_forward returned the top layer's whole sequence, shape {got.shape}; "
                           f"return its last output only, shape {want.shape}, as the model's last LSTM(...) does")
            raise Hint(f"{where}: stack_forward must return the top layer's last output, shape (batch, units of the "
                       f"top layer) = {want.shape}, got shape {got.shape}")
        if not np.all(np.isfinite(got)):
            raise Hint(f"{where}: stack_forward's result contains NaN or inf")
        err = float(np.max(np.abs(got - want)))
        if err <= 1e-9:
            continue
        if err <= 1e-4:
            raise Hint(f"{where}: close but not equal (max |difference| {err:.1e}): compute in the dtype of the "
                       "inputs (float64 here) instead of casting to float32")
        alternatives = [
            (dict(read_x=True), "every layer read x: only the bottom layer reads x, each layer above reads the output "
                                "sequence of the layer below it"),
            (dict(pass_states=True), "each layer started from the final states (h, c) of the layer below: a layer in "
                                     "a stack starts from zeros, and what it receives from below is the output "
                                     "sequence"),
            (dict(last_only=True), "each layer passed up only its last output, as a sequence of one step: pass up the "
                                   "whole sequence, return_sequences=True, so the next layer reads every step"),
            (dict(order=list(range(len(weights)))[::-1]), "the layers ran top first: weights[0] is the bottom layer, "
                                                          "the one that reads x"),
        ]
        for options, hint in alternatives:
            try:
                alternative = _stack(x, weights, **options)
            except ValueError:  # that wiring cannot run on these sizes
                continue
            if same(got, alternative):
                raise Hint(f"{where}: {hint}")
        if len(weights) > 1 and same(got, _bottom_only(x, weights)):
            raise Hint(f"{where}: that is the bottom layer's output; feed each layer's output sequence into the "
                       "next layer and return the top layer's last output")
        raise Hint(f"{where}: the result differs from the reference stack by up to {err:.2g}: run the layers bottom "
                   "first, each on the previous one's output sequence (return_sequences=True below the top)")
