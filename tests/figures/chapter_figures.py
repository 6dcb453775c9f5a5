"""Every figure the chapters show, drawn with the chapters' own numbers recomputed in numpy (no Keras): the calls
proposed to the chapters, shared by the determinism test (in this process and in a fresh one) and the browser test.
"""

import numpy as np

import lstm_utils as lu

F = lu.figures


def ch01():
    W, U, b = (
        np.array([[0.5, 0.4, 0.3, 0.6]]),
        np.array([[0.2, 0.1, 0.4, 0.3]]),
        np.array([0.0, 1.0, 0.0, 0.0]),
    )
    x = np.array([[[1.0], [2.0], [3.0], [4.0]]])
    h, c, hs, cs, gs = np.zeros(1), np.zeros(1), [], [], []
    for t in range(4):
        h, c, g = lu.lstm_step(x[0, t], h, c, W, U, b)
        hs.append(h[0])
        cs.append(c[0])
        gs.append(g)
    h_hand, c_hand = np.array(hs), np.array(cs)
    gates = {k: np.array([g[k][0] for g in gs]) for k in lu.GATE_ORDER}
    return {
        "01 cell": F.plot_lstm_cell(x[0, 1], h_hand[:1], c_hand[:1], W, U, b, t=2),
        "01 chain": F.plot_unrolled_chain(x[0, :, 0], h_hand, c_hand, gates=gates),
    }


def ch02():
    rng = np.random.default_rng(0)
    kernel = np.round(rng.uniform(-1, 1, (2, 4)), 2).astype("float32")
    recurrent_kernel = np.round(rng.uniform(-1, 1, (1, 4)), 2).astype("float32")
    bias = np.round(rng.uniform(-1, 1, 4), 2).astype("float32")
    x = np.array([[[0.5, -1.0], [1.0, 0.2], [-0.3, 0.8], [0.9, -0.6]]], dtype="float32")
    return {
        "02 shapes": F.plot_step_shapes(features=2, units=1),
        "02 weights": F.plot_weight_heatmap(kernel, recurrent_kernel, bias),
        "02 mixing": F.plot_feature_mixing(x[0, 0], kernel),
    }


def ch03_model():
    rng = np.random.default_rng(6)
    kernel = rng.uniform(-2, 2, (2, 12)).round(1).astype("float32")
    recurrent_kernel = rng.uniform(-2, 2, (3, 12)).round(1).astype("float32")
    bias = rng.uniform(-2, 2, (12,)).round(1).astype("float32")
    x = rng.normal(size=(1, 4, 2)).round(1).astype("float32")
    return x, kernel, recurrent_kernel, bias


def ch03():
    x, kernel, recurrent_kernel, bias = ch03_model()
    return {
        "03 shapes": F.plot_step_shapes(features=2, units=3),
        "03 weights": F.plot_weight_heatmap(kernel, recurrent_kernel, bias),
        "03 wiring": F.plot_unit_wiring(recurrent_kernel, gate="f"),
        "03 step-through": F.plot_step_through(x[0], kernel, recurrent_kernel, bias),
    }


def ch04():
    rng = np.random.default_rng(39)
    kernel = rng.normal(scale=0.6, size=(2, 12)).round(2).astype("float32")
    recurrent_kernel = rng.normal(scale=0.6, size=(3, 12)).round(2).astype("float32")
    bias = np.zeros(12, dtype="float32")
    lu.split_gates(bias)["f"][:] = 1.0
    x = rng.normal(size=(2, 5, 2)).round(1).astype("float32")
    h, c = np.zeros((2, 3), "float32"), np.zeros((2, 3), "float32")
    hs, cs, per_step = [], [], []
    for t in range(5):
        h, c, g = lu.lstm_step(x[:, t], h, c, kernel, recurrent_kernel, bias)
        hs.append(h)
        cs.append(c)
        per_step.append(g)
    h_step, c_step = np.stack(hs, axis=1), np.stack(cs, axis=1)
    gates_0 = {g: np.stack([s[g][0] for s in per_step]) for g in lu.GATE_ORDER}
    return {
        "04 states": F.plot_states_over_time(h_step[0], c_step[0]),
        "04 gates": F.plot_gate_activations(gates_0, x=x[0]),
    }


def ch05():
    return {
        "05 stack": F.plot_stack_wiring([4, 6], features=5, timesteps=3),
        "05 wide vs stacked": F.plot_wide_vs_stacked([4, 6], wide_units=8, features=5),
    }


def ch06():
    rng = np.random.default_rng(3)
    kernel, rk, bias = (
        rng.normal(size=(2, 12)) * 0.7,
        rng.normal(size=(3, 12)) * 0.7,
        rng.normal(size=12) * 0.7,
    )
    x = rng.normal(size=(1, 5, 2))
    mask = np.array([[True, True, True, False, False]])
    out = lu.lstm_forward(x, kernel, rk, bias, return_sequences=True, mask=mask)[0]
    c = np.array(
        [
            lu.lstm_forward(
                x[:, :t], kernel, rk, bias, return_state=True, mask=mask[:, :t]
            )[2][0]
            for t in range(1, 6)
        ]
    )
    return {"06 masked trace": F.plot_masked_trace(mask[0], out, states=c)}


def ch07():
    x, kernel, recurrent_kernel, bias = ch03_model()
    rng = np.random.default_rng(6)
    rng.uniform(size=72)  # chapter 07 draws the weights first, then x
    x = rng.normal(size=(2, 8, 2)).round(1).astype("float32")
    _, h_a, c_a = lu.lstm_forward(
        x[:, :4], kernel, recurrent_kernel, bias, return_state=True
    )
    return {
        "07 stateful batches": F.plot_stateful_batches(
            2, 4, 2, units=3, carried=[(h_a, c_a)]
        )
    }


def ch08():
    kernel1, recurrent1 = (
        np.array([[0.5, -0.4, 0.9, 0.3]]),
        np.array([[0.2, 0.6, -0.7, 0.1]]),
    )
    bias1 = np.array([0.1, 1.0, 0.0, -0.2])
    x1, h0, c0, G1 = (
        np.array([[[0.8]]]),
        np.array([[0.3]]),
        np.array([[-0.5]]),
        np.array([[1.0]]),
    )
    rng = np.random.default_rng(42)
    x_long = rng.normal(size=(1, 40, 3))
    kernel_long, recurrent_long = (
        rng.normal(size=(3, 16)) * 0.5,
        rng.normal(size=(4, 16)) * 0.5,
    )
    norms = {}
    for label, b_f in {
        "b_f = +1 (Keras default)": 1.0,
        "b_f = -3": -3.0,
        "b_f = +3": 3.0,
    }.items():
        bias = np.zeros(16)
        lu.split_gates(bias)["f"][:] = b_f
        grads = lu.lstm_backward(
            x_long, kernel_long, recurrent_long, bias, np.ones((1, 4))
        )
        norms[label] = np.linalg.norm(grads["x"][0], axis=-1)
    return {
        "08 two roads": F.plot_backward_roads(
            x1[:, 0], h0, c0, kernel1, recurrent1, bias1, dh=G1, t=1
        ),
        "08 gradient norms": F.plot_gradient_norms(norms, log=True),
    }


def ch11():
    rng = np.random.default_rng(11)
    for shape in ((2, 3), (3, 3), (3,)):  # the chapter draws its SimpleRNN's weights first
        rng.uniform(-1, 1, shape)
    x = rng.normal(size=(1, 4, 2)).round(1).astype("float32")
    # the chapter's GRU(1), as Keras stores it (float32)
    kernel = np.array([[0.6, -0.5, 0.9], [-0.4, 0.7, 0.5]], dtype="float32")
    recurrent_kernel = np.array([[0.8, -0.6, 1.2]], dtype="float32")
    bias = np.array([[0.2, 0.1, -0.1], [0.3, -0.2, 0.4]], dtype="float32")
    h = lu.gru_forward(x, kernel, recurrent_kernel, bias, return_sequences=True)
    return {
        "11 gru cell": F.plot_gru_cell(
            x[0, 1], h[0, 0], kernel, recurrent_kernel, bias, t=2
        ),
        "11 gru cell, reset before": F.plot_gru_cell(reset_after=False),
    }


def ch12():
    return {"12 bidirectional": F.plot_bidirectional(timesteps=4, units=3, features=2)}


def chapter_figures():
    out = {}
    for chapter in (ch01, ch02, ch03, ch04, ch05, ch06, ch07, ch08, ch11, ch12):
        out.update(chapter())
    return out


if (
    __name__ == "__main__"
):  # the fresh process of test_determinism: one "name sha256" line per figure
    import hashlib

    for name, fig in chapter_figures().items():
        print(name, hashlib.sha256(fig.html().encode()).hexdigest())
