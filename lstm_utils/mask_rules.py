"""What a Keras recurrent layer outputs at a masked step: it depends on the backend.

At a masked step every backend keeps the states as they were. The *output* differs:

* ``"previous_output"`` (TensorFlow, torch; the default): the output repeats the previous
  step's *output*; before the first kept step there is none, so it is zeros, even with
  an ``initial_state``.
* ``"carried_state"`` (JAX, with its default ``lax.scan`` loop): the output repeats the
  carried state ``h``; before the first kept step that is ``h0`` (the ``initial_state``,
  or zeros).
* ``"zeros"`` (every backend, for a layer made with ``zero_output_for_mask=True``,
  which ``Bidirectional`` sets on its two layers when they return sequences; and
  TensorFlow's cuDNN kernel on a GPU): the output of a masked step is zeros.

A backend's name stands for its rule (``"tensorflow"``, ``"torch"``, ``"jax"``), and
``"keras"`` for the rule of the backend Keras uses in this process.

For a GRU, a SimpleRNN and an LSTM the output of a kept step *is* the new ``h``, so
``"previous_output"`` and ``"carried_state"`` part only before the first kept step of a
sequence that was given an ``initial_state``. A layer made with ``unroll=True`` follows
``"previous_output"`` on JAX too.

Nothing here imports Keras: the rule of the Keras in use is read the way Keras itself
reads its backend (``KERAS_BACKEND``, then ``keras.json``), or asked of Keras if it is
imported already.
"""

import json
import os
import sys

#: The rules, by what a masked step outputs.
MASK_RULES = ("previous_output", "carried_state", "zeros")
#: The rule each Keras backend's recurrent layers follow on a CPU (Keras 3.10 to 3.15; chapter 06's
#: table measures it), so a backend's name can be passed as ``mask_rule`` too.
MASK_RULE_OF_BACKEND = {"tensorflow": "previous_output", "torch": "previous_output",
                        "jax": "carried_state"}
BACKEND_MASK_RULES = MASK_RULE_OF_BACKEND


def _choices():
    names = ("keras",) + MASK_RULES + tuple(BACKEND_MASK_RULES)
    return ", ".join(repr(n) for n in names)


def check_mask_rule(mask_rule):
    """The rule's canonical name (one of MASK_RULES) for any accepted ``mask_rule``; else refused."""
    if not isinstance(mask_rule, str):
        raise TypeError(
            f"mask_rule must be a string, one of {_choices()}, got {type(mask_rule).__name__}"
        )
    if mask_rule != "keras" and mask_rule not in MASK_RULES + tuple(BACKEND_MASK_RULES):
        raise ValueError(f"mask_rule must be one of {_choices()}, got {mask_rule!r}")
    return resolve_mask_rule(mask_rule)


def keras_backend():
    """The backend Keras uses (or would use) in this process, without importing Keras.

    If Keras is imported, Keras says; otherwise, as Keras decides when it is imported:
    the ``KERAS_BACKEND`` environment variable, then ``"backend"`` in ``keras.json``
    (in ``KERAS_HOME``, by default ``~/.keras``), then ``"tensorflow"``.
    """
    keras = sys.modules.get("keras")
    if keras is not None and hasattr(keras, "config"):
        return keras.config.backend()
    name = os.environ.get("KERAS_BACKEND")
    if name:
        return name
    home = os.environ.get("KERAS_HOME") or os.path.join(
        os.path.expanduser("~"), ".keras"
    )
    try:
        with open(os.path.join(home, "keras.json")) as f:
            name = json.load(f).get("backend")
    except (OSError, ValueError, AttributeError):
        name = None
    return name or "tensorflow"


def resolve_mask_rule(mask_rule):
    """One of MASK_RULES for an accepted ``mask_rule`` (``"keras"``: the backend's)."""
    if mask_rule in MASK_RULES:
        return mask_rule
    backend = keras_backend() if mask_rule == "keras" else mask_rule
    if backend not in BACKEND_MASK_RULES:
        raise ValueError(
            f"mask_rule='keras' follows the Keras backend, here {backend!r}, whose "
            "masked steps the course has not checked (it knows "
            f"{sorted(BACKEND_MASK_RULES)}); pass mask_rule='previous_output' or 'carried_state'"
        )
    return BACKEND_MASK_RULES[backend]


def keras_mask_rule(layer=None):
    """The rule Keras follows for ``layer`` on the backend in use: one of MASK_RULES.

    Without a layer: the backend's rule. A layer made with ``zero_output_for_mask=True``
    (``Bidirectional`` sets it on its two layers when they return sequences) follows
    ``"zeros"``, and one made with ``unroll=True`` follows ``"previous_output"``, on every
    backend (JAX's unrolled loop repeats the previous output too). For a
    ``Bidirectional`` layer: the rule of its two layers.
    """
    layer = getattr(layer, "forward_layer", layer)
    if layer is not None and getattr(layer, "zero_output_for_mask", False):
        return "zeros"
    if layer is not None and getattr(layer, "unroll", False):
        return "previous_output"
    return resolve_mask_rule("keras")
