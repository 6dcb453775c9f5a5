"""lstm_utils: the course's reference LSTM in numpy and the tools the chapters share.

Imports with numpy alone; Keras is imported only inside `lstm_weights`, matplotlib only inside figure helpers.
"""

from . import checks, figures
from .backward import lstm_backward
from .checks import check
from .compare import assert_close
from .gates import GATE_ORDER, split_gates
from .keras_bridge import lstm_weights
from .params import count_params
from .reference import lstm_forward, lstm_step, sigmoid

__all__ = [
    "GATE_ORDER", "assert_close", "check", "checks", "count_params", "figures", "lstm_backward", "lstm_forward", "lstm_step", "lstm_weights",
    "sigmoid", "split_gates",
]
