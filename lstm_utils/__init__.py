"""lstm_utils: the course's reference LSTM in numpy and the tools the chapters share.

Imports with numpy alone; Keras (and its backend) is imported only inside the functions that read a layer
(`lstm_weights`, `keras_gradients`, `backends`), matplotlib only inside figure helpers.
"""

from . import backends, checks, figures
from .autodiff import keras_gradients
from .backward import lstm_backward
from .checks import check
from .compare import assert_close
from .gates import GATE_ORDER, split_gates
from .keras_bridge import lstm_weights
from .params import count_params
from .reference import MASK_RULE_OF_BACKEND, MASK_RULES, lstm_forward, lstm_step, sigmoid
from .series import sliding_windows, stateful_batches
from .tensors import to_numpy

__all__ = [
    "GATE_ORDER", "MASK_RULES", "MASK_RULE_OF_BACKEND", "assert_close", "backends", "check", "checks",
    "count_params", "figures", "keras_gradients", "lstm_backward", "lstm_forward", "lstm_step",
    "lstm_weights", "sigmoid", "sliding_windows", "split_gates", "stateful_batches", "to_numpy",
]
