"""PyTorch ⇄ Keras: the same cells, stored another way.

A one-layer, one-direction ``torch.nn.LSTM``, ``torch.nn.GRU`` or ``torch.nn.RNN``
(tanh) holds in its ``state_dict()``::

    weight_ih_l0 (k*hidden, input)   Keras's kernel (features, k*units), transposed
    weight_hh_l0 (k*hidden, hidden)  recurrent_kernel (units, k*units), transposed
    bias_ih_l0   (k*hidden,)         two biases where Keras keeps one (LSTM, SimpleRNN),
    bias_hh_l0   (k*hidden,)         or the two rows of a GRU's (2, 3*units) bias

with k gate blocks: LSTM 4, in the order i, f, g, o (Keras's i, f, c, o: the same);
GRU 3, in the order r, z, n (Keras's z, r, h: the first two swapped, n is Keras's h);
RNN 1. A PyTorch GRU is Keras's ``reset_after=True`` form.

Nothing here imports torch: a module is recognised only if torch is imported already
(it must be, for the module to exist), and a ``state_dict`` may hold tensors or numpy
arrays.
"""

import sys
from collections.abc import Mapping

import numpy as np

from . import _rnn_checks as checks
from ._validate import float_array

#: PyTorch's gate blocks, in their order along the first axis of its weights.
TORCH_GATE_ORDER = {"lstm": ("i", "f", "g", "o"), "gru": ("r", "z", "n")}
#: Each PyTorch gate's Keras name (Keras's orders: LSTM i, f, c, o; GRU z, r, h).
KERAS_GATE_OF_TORCH = {
    "lstm": {"i": "i", "f": "f", "g": "c", "o": "o"},
    "gru": {"r": "r", "z": "z", "n": "h"},
}

_KINDS = {4: "lstm", 3: "gru", 1: "simple_rnn"}
_TORCH_NAMES = {
    "lstm": "torch.nn.LSTM",
    "gru": "torch.nn.GRU",
    "simple_rnn": "torch.nn.RNN",
}
_SUPPORTED = (
    "a one-layer, one-direction torch.nn.LSTM, torch.nn.GRU or torch.nn.RNN (tanh), "
    "or its state_dict()"
)
_KEYS = ("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0")


def _gru_torch_to_keras(array, axis):
    """Reorder PyTorch's GRU blocks r, z, n along ``axis`` into Keras's z, r, h."""
    r, z, n = np.split(array, 3, axis=axis)
    return np.concatenate([z, r, n], axis=axis)


def _gru_keras_to_torch(array, axis):
    z, r, h = np.split(array, 3, axis=axis)
    return np.concatenate([r, z, h], axis=axis)


def _module_state(module):
    """The state_dict of a supported torch module whose options Keras has."""
    torch = sys.modules.get("torch")
    if torch is None or not isinstance(module, torch.nn.Module):
        raise TypeError(f"from_torch expects {_SUPPORTED}, got {type(module).__name__}")
    if not isinstance(module, (torch.nn.LSTM, torch.nn.GRU, torch.nn.RNN)):
        raise TypeError(
            f"from_torch expects {_SUPPORTED}, got {type(module).__name__}"
            " (for a model, pass its recurrent layer, e.g. model.lstm)"
        )
    name = type(module).__name__
    if module.num_layers != 1:
        raise ValueError(
            f"from_torch reads one layer; this {name} has "
            f"num_layers={module.num_layers}, which Keras builds as that many stacked "
            "layers: convert each layer's weights separately"
        )
    if module.bidirectional:
        raise ValueError(
            f"from_torch reads one direction; this {name} is bidirectional=True, "
            "which Keras builds as Bidirectional(...) with a forward and a backward "
            "layer"
        )
    if getattr(module, "proj_size", 0):
        raise ValueError(
            f"this LSTM has proj_size={module.proj_size} (a projected hidden state, "
            "weight_hr_l0), which a Keras LSTM has no equivalent for"
        )
    if isinstance(module, torch.nn.RNN) and module.nonlinearity != "tanh":
        raise ValueError(
            f"this RNN has nonlinearity={module.nonlinearity!r}; SimpleRNN's default "
            "is tanh, which is what simple_rnn_forward computes"
        )
    return module.state_dict()


def _numpy(value, key):
    """A tensor or an array as a numpy array (off any device, without gradient)."""
    if hasattr(value, "detach") and hasattr(value, "cpu"):
        value = value.detach().cpu().numpy()
    return float_array(value, f"state_dict[{key!r}]")


def _state_arrays(state):
    """The four (or two) arrays of a one-layer state_dict; odd keys are named."""
    keys = list(state)
    extra = [k for k in keys if k not in _KEYS]
    if extra:
        hint = ""
        if any(str(k).endswith("_reverse") for k in extra):
            hint = (
                ": '..._reverse' keys come from bidirectional=True; "
                "convert one direction"
            )
        elif any(str(k).startswith(("weight_ih_l", "weight_hh_l")) for k in extra):
            hint = (
                ": keys of a second layer (num_layers > 1); convert one layer at a time"
            )
        elif "weight_hr_l0" in extra:
            hint = (
                ": weight_hr_l0 comes from an LSTM with proj_size, which Keras has not"
            )
        elif any(str(k).endswith(_KEYS) for k in extra):
            hint = (
                ": a whole model's state_dict; pass the recurrent module itself "
                "(e.g. model.lstm) or its own state_dict()"
            )
        raise ValueError(
            f"from_torch expects {_SUPPORTED}; unexpected keys {extra}{hint}"
        )
    for key in ("weight_ih_l0", "weight_hh_l0"):
        if key not in state:
            raise ValueError(
                f"from_torch expects {_SUPPORTED}; the key {key!r} is missing "
                f"(got keys {keys})"
            )
    has_bias = ["bias_ih_l0" in state, "bias_hh_l0" in state]
    if has_bias[0] != has_bias[1]:
        raise ValueError(
            "a state_dict with a bias has both bias_ih_l0 and bias_hh_l0, "
            f"got keys {keys}"
        )
    arrays = {k: _numpy(state[k], k) for k in _KEYS if k in state}
    return arrays, has_bias[0]


def from_torch(module_or_state_dict):
    """``(kernel, recurrent_kernel, bias)`` in Keras's layout from a PyTorch layer.

    Accepts a one-layer, one-direction ``torch.nn.LSTM``, ``torch.nn.GRU`` or
    ``torch.nn.RNN`` (tanh), or its ``state_dict()`` (tensors or numpy arrays). The cell
    is read from the shapes: ``weight_hh_l0`` has 4, 3 or 1 blocks of ``hidden`` rows.

    * LSTM: ``kernel = weight_ih.T``, ``recurrent_kernel = weight_hh.T``,
      ``bias = b_ih + b_hh`` (PyTorch adds its two biases; Keras keeps their sum). The
      gate order i, f, g, o is Keras's.
    * GRU: the blocks r, z, n are reordered to Keras's z, r, h, and
      ``bias = [b_ih, b_hh]`` of shape ``(2, 3*units)``: the ``reset_after=True``
      layout, for ``gru_forward``'s default.
    * RNN: as the LSTM, one block; a ``state_dict`` cannot say whether the module used
      tanh (``nonlinearity="relu"`` is refused only when the module itself is passed).

    ``bias`` is ``None`` for a module made with ``bias=False``. The arrays are copies,
    in the module's dtype (float32 unless it was made ``.double()``).
    """
    if isinstance(module_or_state_dict, Mapping):
        state = module_or_state_dict
    else:
        state = _module_state(module_or_state_dict)
    arrays, has_bias = _state_arrays(state)
    w_ih, w_hh = arrays["weight_ih_l0"], arrays["weight_hh_l0"]
    if (
        w_hh.ndim != 2
        or w_hh.shape[1] < 1
        or w_hh.shape[0] % w_hh.shape[1]
        or w_hh.shape[0] // w_hh.shape[1] not in _KINDS
    ):
        raise ValueError(
            "weight_hh_l0 must be (k*hidden, hidden) with k = 4 (LSTM), 3 (GRU) or "
            f"1 (RNN), got shape {w_hh.shape}"
        )
    hidden = w_hh.shape[1]
    k = w_hh.shape[0] // hidden
    cell = _KINDS[k]
    if w_ih.ndim != 2 or w_ih.shape[0] != k * hidden:
        raise ValueError(
            f"weight_ih_l0 must be ({k * hidden}, input) to match weight_hh_l0 "
            f"{w_hh.shape} of a {_TORCH_NAMES[cell]}, got shape {w_ih.shape}"
        )
    bias = None
    if has_bias:
        b_ih, b_hh = arrays["bias_ih_l0"], arrays["bias_hh_l0"]
        for key, b in (("bias_ih_l0", b_ih), ("bias_hh_l0", b_hh)):
            if b.shape != (k * hidden,):
                raise ValueError(
                    f"{key} must have shape ({k * hidden},) for a "
                    f"{_TORCH_NAMES[cell]} with hidden_size={hidden}, "
                    f"got shape {b.shape}"
                )
    if cell == "gru":
        kernel = _gru_torch_to_keras(w_ih, 0).T
        recurrent_kernel = _gru_torch_to_keras(w_hh, 0).T
        if has_bias:
            bias = np.stack(
                [_gru_torch_to_keras(b_ih, 0), _gru_torch_to_keras(b_hh, 0)]
            )
    else:
        kernel, recurrent_kernel = w_ih.T, w_hh.T
        if has_bias:
            bias = b_ih + b_hh
    copy = np.ascontiguousarray
    return copy(kernel), copy(recurrent_kernel), None if bias is None else copy(bias)


def to_torch(kernel, recurrent_kernel, bias):
    """Keras weights as a PyTorch ``state_dict``: a dict of numpy arrays keyed
    ``weight_ih_l0``, ``weight_hh_l0``, ``bias_ih_l0``, ``bias_hh_l0``.

    The cell is read from ``recurrent_kernel``: ``(units, 4*units)`` an LSTM,
    ``(units, 3*units)`` a GRU, ``(units, units)`` a SimpleRNN (``torch.nn.RNN``). Load
    it into a module of the same sizes, made with ``batch_first=True`` to take Keras's
    ``(batch, timesteps, features)`` input; ``load_state_dict`` wants tensors::

        module = torch.nn.GRU(features, units, batch_first=True)
        state = to_torch(kernel, recurrent_kernel, bias)
        module.load_state_dict({k: torch.from_numpy(v) for k, v in state.items()})

    PyTorch adds two biases where an LSTM or SimpleRNN in Keras has one: ``bias_ih_l0``
    gets Keras's bias and ``bias_hh_l0`` zeros. A GRU's ``(2, 3*units)`` bias gives one
    row each. With ``bias=None`` only the two weights are returned: make the module with
    ``bias=False``. A GRU made with ``reset_after=False`` has no PyTorch form: refused.
    """
    recurrent = float_array(recurrent_kernel, "recurrent_kernel")
    if (
        recurrent.ndim != 2
        or recurrent.shape[0] < 1
        or recurrent.shape[1] not in (recurrent.shape[0] * k for k in _KINDS)
    ):
        hint = ""
        if (
            recurrent.ndim == 2
            and recurrent.shape[1] >= 1
            and recurrent.shape[0] in (recurrent.shape[1] * k for k in (3, 4))
        ):
            hint = ": that is PyTorch's weight_hh_l0 layout, transposed"
        raise ValueError(
            "recurrent_kernel must be (units, k*units) with k = 4 (LSTM), 3 (GRU) or "
            f"1 (SimpleRNN), got shape {recurrent.shape}{hint}"
        )
    cell = _KINDS[recurrent.shape[1] // recurrent.shape[0]]
    kernel, recurrent, units = checks.weights(kernel, recurrent, cell)
    k = checks.BLOCKS[cell]
    if cell == "gru":
        w_ih, w_hh = (
            _gru_keras_to_torch(kernel.T, 0),
            _gru_keras_to_torch(recurrent.T, 0),
        )
    else:
        w_ih, w_hh = kernel.T, recurrent.T
    state = {"weight_ih_l0": w_ih, "weight_hh_l0": w_hh}
    if bias is not None:
        bias = float_array(bias, "bias")
        if cell == "gru":
            if bias.shape == (3 * units,):
                raise ValueError(
                    f"bias has shape ({3 * units},): a GRU made with "
                    "reset_after=False, which PyTorch has no form of (torch.nn.GRU "
                    "applies the reset gate "
                    "after the recurrent product, as Keras's reset_after=True does)"
                )
            if bias.shape != (2, 3 * units):
                raise ValueError(
                    f"bias must have shape (2, {3 * units}) for a GRU with {units} "
                    f"units (reset_after=True), got shape {bias.shape}"
                )
            state["bias_ih_l0"] = _gru_keras_to_torch(bias[0], 0)
            state["bias_hh_l0"] = _gru_keras_to_torch(bias[1], 0)
        else:
            name = ("an " if cell == "lstm" else "a ") + checks.NAMES[cell]
            if bias.shape != (k * units,):
                raise ValueError(
                    f"bias must have shape ({k * units},) for {name} with {units} "
                    f"units, got shape {bias.shape}"
                )
            state["bias_ih_l0"] = bias
            state["bias_hh_l0"] = np.zeros_like(bias)
    return {key: np.array(value, copy=True, order="C") for key, value in state.items()}
