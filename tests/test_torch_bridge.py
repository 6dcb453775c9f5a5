"""from_torch and to_torch against real torch.nn.LSTM, GRU and RNN: the converted
weights give torch's own answer through lstm_forward, gru_forward and
simple_rnn_forward, both ways.

torch is an optional extra (the CPU build, `pip install torch==2.13.0`): without it this
whole file is skipped, and its reason says so in capitals."""

import itertools

import numpy as np
import pytest

torch = pytest.importorskip(
    "torch",
    reason="NO TORCH: torch is not installed, so from_torch and to_torch were not "
    "checked against real torch.nn modules (pip install torch==2.13.0)",
)

from lstm_utils import (  # noqa: E402  (after the skip: torch is needed from here on)
    from_torch,
    gru_forward,
    lstm_forward,
    simple_rnn_forward,
    split_gru_gates,
    to_torch,
)

TOLERANCE = {torch.float32: 1e-6, torch.float64: 1e-12}
MODULES = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU, "rnn": torch.nn.RNN}
# (batch, timesteps, features, hidden), with 1s in every position
SHAPES = [(1, 1, 1, 1), (2, 5, 3, 4), (3, 4, 1, 2), (1, 6, 2, 1)]


def _module(kind, features, hidden, *, bias=True, dtype=torch.float32, seed=0):
    torch.manual_seed(seed)
    module = MODULES[kind](features, hidden, batch_first=True, bias=bias).to(dtype)
    with torch.no_grad():  # larger than torch's init, so no gate is trivial
        for p in module.parameters():
            p.mul_(3.0)
    return module


def _numpy_forward(kind, x, weights, state):
    """Our functions on (batch, time, features), starting from torch's initial state."""
    options = dict(return_sequences=True, return_state=True)
    if kind == "lstm":
        output, h, c = lstm_forward(
            x, *weights, initial_state=[state[0], state[1]], **options
        )
        return output, (h, c)
    function = gru_forward if kind == "gru" else simple_rnn_forward
    output, h = function(x, *weights, initial_state=state[0], **options)
    return output, (h,)


def _torch_forward(module, x, state):
    tensors = tuple(torch.from_numpy(s[None]) for s in state)
    with torch.no_grad():
        output, final = module(
            torch.from_numpy(x), tensors if len(tensors) > 1 else tensors[0]
        )
    final = final if isinstance(final, tuple) else (final,)
    return output.numpy(), tuple(f[0].numpy() for f in final)


def _inputs(kind, shape, dtype, seed):
    batch, timesteps, features, hidden = shape
    rng = np.random.default_rng(seed)
    np_dtype = np.float32 if dtype == torch.float32 else np.float64
    x = rng.normal(size=(batch, timesteps, features)).astype(np_dtype)
    state = [
        rng.normal(size=(batch, hidden)).astype(np_dtype)
        for _ in range(2 if kind == "lstm" else 1)
    ]
    return x, state


@pytest.mark.parametrize(
    "dtype", [torch.float32, torch.float64], ids=["float32", "float64"]
)
@pytest.mark.parametrize(
    "kind, bias",
    list(itertools.product(MODULES, [True, False])),
    ids=lambda v: v if isinstance(v, str) else ("bias" if v else "nobias"),
)
def test_from_torch_gives_torchs_answer(kind, bias, dtype):
    for n, shape in enumerate(SHAPES):
        batch, timesteps, features, hidden = shape
        module = _module(kind, features, hidden, bias=bias, dtype=dtype, seed=n)
        x, state = _inputs(kind, shape, dtype, seed=n)
        want = _torch_forward(module, x, state)
        for source in (
            module,
            module.state_dict(),
            {k: v.numpy() for k, v in module.state_dict().items()},
        ):
            weights = from_torch(source)
            assert (weights[2] is None) == (not bias)
            got = _numpy_forward(kind, x, weights, state)
            np.testing.assert_allclose(
                got[0],
                want[0],
                rtol=0,
                atol=TOLERANCE[dtype],
                err_msg=f"{kind} {shape} output",
            )
            for g, w in zip(got[1], want[1]):
                np.testing.assert_allclose(
                    g,
                    w,
                    rtol=0,
                    atol=TOLERANCE[dtype],
                    err_msg=f"{kind} {shape} final state",
                )


@pytest.mark.parametrize(
    "kind, bias",
    list(itertools.product(MODULES, [True, False])),
    ids=lambda v: v if isinstance(v, str) else ("bias" if v else "nobias"),
)
def test_to_torch_gives_our_answer_in_torch(kind, bias):
    k = {"lstm": 4, "gru": 3, "rnn": 1}[kind]
    rng = np.random.default_rng(7)
    batch, timesteps, features, hidden = 3, 5, 2, 4
    kernel = rng.normal(size=(features, k * hidden))
    recurrent = rng.normal(size=(hidden, k * hidden))
    b = None
    if bias:
        b = (
            rng.normal(size=(2, 3 * hidden))
            if kind == "gru"
            else rng.normal(size=k * hidden)
        )
    module = MODULES[kind](features, hidden, batch_first=True, bias=bias).double()
    module.load_state_dict(
        {key: torch.from_numpy(v) for key, v in to_torch(kernel, recurrent, b).items()}
    )
    x, state = _inputs(
        kind, (batch, timesteps, features, hidden), torch.float64, seed=7
    )
    want = _numpy_forward(kind, x, (kernel, recurrent, b), state)
    got = _torch_forward(module, x, state)
    np.testing.assert_allclose(got[0], want[0], rtol=0, atol=1e-12)
    for g, w in zip(got[1], want[1]):
        np.testing.assert_allclose(g, w, rtol=0, atol=1e-12)


def test_torchs_update_gate_is_kerass_z_block():
    """PyTorch's second block is z: pin it to 1 (bias +40) in torch, and the state stays
    h0 in torch, and in Keras's layout the +40 sits in block "z", the first."""
    module = _module("gru", 2, 3, seed=3)
    with torch.no_grad():
        module.bias_ih_l0[3:6] = 40.0  # torch's blocks: r = 0:3, z = 3:6, n = 6:9
    x, state = _inputs("gru", (2, 4, 2, 3), torch.float32, seed=3)
    output, _ = _torch_forward(module, x, state)
    np.testing.assert_allclose(
        output, np.repeat(state[0][:, None], 4, axis=1), atol=1e-6
    )
    kernel, recurrent, bias = from_torch(module)
    np.testing.assert_array_equal(split_gru_gates(bias)["z"][0], 40.0)
    ours = gru_forward(
        x, kernel, recurrent, bias, initial_state=state[0], return_sequences=True
    )
    np.testing.assert_allclose(ours, output, rtol=0, atol=1e-6)


def test_tensors_that_need_gradients_are_read_too():
    module = _module("lstm", 2, 3)
    assert all(p.requires_grad for p in module.parameters())
    assert from_torch(module)[0].shape == (2, 12)


@pytest.mark.parametrize(
    "make, error, message",
    [
        (
            lambda: torch.nn.LSTM(2, 3, num_layers=2),
            ValueError,
            r"this LSTM has num_layers=2, which Keras builds as that many stacked "
            r"layers",
        ),
        (
            lambda: torch.nn.GRU(2, 3, bidirectional=True),
            ValueError,
            r"this GRU is bidirectional=True, which Keras builds as Bidirectional",
        ),
        (lambda: torch.nn.LSTM(2, 3, proj_size=2), ValueError, r"proj_size=2"),
        (
            lambda: torch.nn.RNN(2, 3, nonlinearity="relu"),
            ValueError,
            r"nonlinearity='relu'; SimpleRNN's default is tanh",
        ),
        (
            lambda: torch.nn.Linear(2, 3),
            TypeError,
            r"expects a one-layer, one-direction torch.nn.LSTM, .* got Linear \(for a "
            r"model, pass "
            r"its recurrent layer, e.g. model.lstm\)",
        ),
        (
            lambda: torch.nn.Sequential(torch.nn.LSTM(2, 3)).state_dict(),
            ValueError,
            r"unexpected keys \['0.weight_ih_l0', .*a whole model's state_dict",
        ),
    ],
)
def test_modules_keras_cannot_hold_are_refused_by_name(make, error, message):
    with pytest.raises(error, match=message):
        from_torch(make())
