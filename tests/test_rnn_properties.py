"""Properties any correct GRU or SimpleRNN has, over shapes no hand-picked list would
cover; and what the mask rules promise: where they agree and where they part."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from rnn_helpers import forward, random_weights

KINDS = [("gru", True), ("gru", False), ("simple_rnn", True)]
IDS = ["gru", "gru-reset_before", "simple_rnn"]
sizes = st.tuples(
    st.integers(1, 4), st.integers(1, 7), st.integers(1, 4), st.integers(1, 5)
)


def _problem(seed, kind, reset_after, size, use_bias=True):
    batch, timesteps, features, units = size
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(batch, timesteps, features))
    weights = random_weights(
        rng, kind, features, units, reset_after=reset_after, use_bias=use_bias
    )
    return rng, x, weights


def run(kind, reset_after, x, weights, **options):
    return forward(kind, x, weights, reset_after=reset_after, **options)


@pytest.mark.parametrize("kind, reset_after", KINDS, ids=IDS)
@settings(max_examples=25, deadline=None)
@given(size=sizes, seed=st.integers(0, 2**32 - 1))
def test_each_prefix_is_its_own_run_and_samples_do_not_mix(
    kind, reset_after, size, seed
):
    _, x, w = _problem(seed, kind, reset_after, size)
    seq = run(kind, reset_after, x, w, return_sequences=True)
    for t in range(x.shape[1]):
        np.testing.assert_allclose(
            seq[:, t], run(kind, reset_after, x[:, : t + 1], w), rtol=0, atol=1e-12
        )
    for n in range(x.shape[0]):
        np.testing.assert_allclose(
            seq[n : n + 1],
            run(kind, reset_after, x[n : n + 1], w, return_sequences=True),
            rtol=0,
            atol=1e-12,
        )
    assert np.all(np.abs(seq) < 1)  # tanh, and convex mixes of values inside (-1, 1)


@pytest.mark.parametrize("kind, reset_after", KINDS, ids=IDS)
@settings(max_examples=25, deadline=None)
@given(size=sizes, seed=st.integers(0, 2**32 - 1), use_bias=st.booleans())
def test_go_backwards_is_the_reversed_input(kind, reset_after, size, seed, use_bias):
    _, x, w = _problem(seed, kind, reset_after, size, use_bias)
    np.testing.assert_allclose(
        run(kind, reset_after, x, w, go_backwards=True, return_sequences=True),
        run(kind, reset_after, x[:, ::-1], w, return_sequences=True),
        rtol=0,
        atol=1e-12,
    )


@pytest.mark.parametrize("rule", ["previous_output", "carried_state", "zeros"])
@pytest.mark.parametrize("kind, reset_after", KINDS, ids=IDS)
@settings(max_examples=20, deadline=None)
@given(size=sizes, seed=st.integers(0, 2**32 - 1), data=st.data())
def test_post_padding_under_a_mask_is_invisible(
    kind, reset_after, rule, size, seed, data
):
    rng, x, w = _problem(seed, kind, reset_after, size)
    keep = data.draw(st.integers(1, x.shape[1]))
    mask = np.zeros(x.shape[:2], bool)
    mask[:, :keep] = True
    padded = x.copy()
    padded[:, keep:] = 99.0
    h0 = rng.normal(size=(x.shape[0], size[3]))
    got = run(
        kind,
        reset_after,
        padded,
        w,
        mask=mask,
        return_state=True,
        initial_state=h0,
        mask_rule=rule,
    )
    want = run(kind, reset_after, x[:, :keep], w, return_state=True, initial_state=h0)
    np.testing.assert_allclose(got[1], want[1], rtol=0, atol=1e-12)  # h: every rule
    if rule != "zeros":  # which outputs zeros at the padded last step instead
        np.testing.assert_allclose(got[0], want[0], rtol=0, atol=1e-12)


@pytest.mark.parametrize("kind, reset_after", KINDS, ids=IDS)
@settings(max_examples=25, deadline=None)
@given(size=sizes, seed=st.integers(0, 2**32 - 1))
def test_a_mask_of_all_true_changes_nothing_under_any_rule(
    kind, reset_after, size, seed
):
    _, x, w = _problem(seed, kind, reset_after, size)
    seq = run(kind, reset_after, x, w, return_sequences=True)
    for rule in ("previous_output", "carried_state", "zeros"):
        np.testing.assert_array_equal(
            seq,
            run(
                kind,
                reset_after,
                x,
                w,
                return_sequences=True,
                mask=np.ones(x.shape[:2], bool),
                mask_rule=rule,
            ),
        )


@pytest.mark.parametrize("kind, reset_after", KINDS, ids=IDS)
@settings(max_examples=30, deadline=None)
@given(size=sizes, seed=st.integers(0, 2**32 - 1), data=st.data())
def test_the_rules_part_only_where_the_docstring_says(
    kind, reset_after, size, seed, data
):
    """'previous_output' and 'carried_state' agree at and after each sequence's first kept
    step, and before it give zeros and h0; with no initial_state they agree everywhere.
    'zeros' is zeros at every masked step and the kept steps' outputs are the same
    under every rule."""
    rng, x, w = _problem(seed, kind, reset_after, size)
    flat = data.draw(
        st.lists(
            st.booleans(), min_size=x.size // x.shape[2], max_size=x.size // x.shape[2]
        )
    )
    mask = np.array(flat, bool).reshape(x.shape[:2])
    h0 = rng.normal(size=(x.shape[0], size[3]))
    outs = {
        rule: run(
            kind,
            reset_after,
            x,
            w,
            return_sequences=True,
            mask=mask,
            initial_state=h0,
            mask_rule=rule,
        )
        for rule in ("previous_output", "carried_state", "zeros")
    }
    seen = np.cumsum(mask, axis=1) > 0  # at or after the first kept step
    np.testing.assert_array_equal(outs["previous_output"][seen], outs["carried_state"][seen])
    np.testing.assert_array_equal(outs["previous_output"][~seen], 0.0)
    np.testing.assert_array_equal(
        outs["carried_state"][~seen], np.broadcast_to(h0[:, None], outs["carried_state"].shape)[~seen]
    )
    np.testing.assert_array_equal(outs["zeros"][~mask], 0.0)
    np.testing.assert_array_equal(outs["zeros"][mask], outs["previous_output"][mask])
    without_h0 = [
        run(kind, reset_after, x, w, return_sequences=True, mask=mask, mask_rule=rule)
        for rule in ("previous_output", "carried_state")
    ]
    np.testing.assert_array_equal(without_h0[0], without_h0[1])


@pytest.mark.parametrize("kind, reset_after", KINDS, ids=IDS)
def test_float32_in_float32_out_and_float64_in_float64_out(kind, reset_after):
    _, x, w = _problem(0, kind, reset_after, (2, 3, 2, 3))
    assert run(kind, reset_after, x, w).dtype == np.float64
    f32 = [None if a is None else a.astype(np.float32) for a in w]
    out, h = run(
        kind,
        reset_after,
        x.astype(np.float32),
        f32,
        return_state=True,
        mask=np.ones((2, 3), bool),
        mask_rule="carried_state",
    )
    assert out.dtype == h.dtype == np.float32
