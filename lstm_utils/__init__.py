"""lstm_utils: the course's reference LSTM (and GRU, SimpleRNN) in numpy and the tools the chapters share.

Imports with numpy alone; Keras (and its backend) is imported only inside the functions that read a layer or run a
backend (`lstm_weights`, `rnn_weights`, `keras_gradients`, `backends`), matplotlib only inside figure helpers, and
torch never (`from_torch` reads the torch objects it is given).
"""

from . import backends, checks, figures, training
from .autodiff import keras_gradients
from .backward import lstm_backward
from .bidirectional import MERGE_MODES, bidirectional_forward
from .checks import check
from .compare import assert_close
from .gates import GATE_ORDER, split_gates
from .gru import GRU_GATE_ORDER, gru_forward, gru_step, split_gru_gates
from .keras_bridge import lstm_weights
from .mask_rules import MASK_RULE_OF_BACKEND, MASK_RULES, keras_mask_rule
from .params import count_params
from .reference import lstm_forward, lstm_step, sigmoid
from .rnn_bridge import rnn_weights
from .series import sliding_windows, stateful_batches
from .simple_rnn import simple_rnn_forward, simple_rnn_step
from .tensors import to_numpy
from .torch_bridge import KERAS_GATE_OF_TORCH, TORCH_GATE_ORDER, from_torch, to_torch
from .training import adam_update, dense_backward, dense_forward, mse, mse_grad, sgd_update

__all__ = [
    "GATE_ORDER", "MASK_RULES", "MASK_RULE_OF_BACKEND", "assert_close", "backends", "check", "checks",
    "count_params", "figures", "keras_gradients", "lstm_backward", "lstm_forward", "lstm_step",
    "lstm_weights", "sigmoid", "sliding_windows", "split_gates", "stateful_batches", "to_numpy",
    # GRU and SimpleRNN; PyTorch's layout; a masked step's output on each Keras backend
    "GRU_GATE_ORDER", "KERAS_GATE_OF_TORCH", "TORCH_GATE_ORDER", "from_torch", "gru_forward", "gru_step",
    "keras_mask_rule", "rnn_weights", "simple_rnn_forward", "simple_rnn_step", "split_gru_gates", "to_torch",
    # Bidirectional(LSTM)
    "MERGE_MODES", "bidirectional_forward",
    # training by hand: Dense, the MSE loss, Keras's SGD and Adam updates
    "adam_update", "dense_backward", "dense_forward", "mse", "mse_grad", "sgd_update", "training",
]
