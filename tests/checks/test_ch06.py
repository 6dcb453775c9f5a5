"""Chapter 06's exercise checks: the reference answers pass, each diagnosed mistake gets its own hint, and
garbage gets a hint, never an exception."""

import numpy as np
import pytest

import lstm_utils as lu
from lstm_utils.checks import run_check

from checks_helpers import failing as failing_hint


def failing(exercise_id, namespace):
    return failing_hint(exercise_id, namespace, one_line=False)   # these tests never held the hint to one line


# ---------------------------------------------------------------- 06.1: the mask of Masking(mask_value)

def mask_reference(x, mask_value):
    # a step is skipped only when all of its features equal mask_value
    return ~np.all(np.asarray(x) == mask_value, axis=-1)


def test_06_1_reference_passes():
    assert run_check("06.1", {"padding_mask": mask_reference}) == (True, "correct")


@pytest.mark.parametrize("wrong, expected", [
    (lambda x, v: np.all(x == v, axis=-1), "the mask is inverted"),
    (lambda x, v: np.all(x != v, axis=-1), "one of its features equals mask_value"),
    (lambda x, v: np.any(x != 0.0, axis=-1), "the padding here is -1.0, not 0"),
    (lambda x, v: x != v, "reduce over the feature axis"),
    (lambda x, v: mask_reference(x, v).T, "the axes are (timesteps, batch)"),
    (lambda x, v: mask_reference(x, v).astype(int), "a mask holds booleans"),
    (lambda x, v: mask_reference(x, v)[0], "the mask must have shape (batch, timesteps) = (2, 4)"),
    (lambda x, v: np.any(x > v, axis=-1), "a step is kept (True) when at least one"),
])
def test_06_1_mistakes_are_named(wrong, expected):
    assert expected in failing("06.1", {"padding_mask": wrong})


@pytest.mark.parametrize("answer", [None, "mask", np.ones((2, 4), bool), lambda x, v: None, lambda x, v: "mask",
                                    lambda x, v: [[True], [False, True]], lambda x, v: {"mask": 1}])
def test_06_1_garbage_gets_a_hint(answer):
    failing("06.1", {"padding_mask": answer})


# ---------------------------------------------------------------- 06.2: after a masked step, mask (False, True, False)

H_START, C_START = np.array([0.5, -0.5, 0.25]), np.array([1.0, -1.0, 0.5])
H_KEPT, C_KEPT = np.array([0.07, -0.57, 0.30]), np.array([0.21, -1.18, 0.62])
ZERO = np.zeros(3)


def after(step_1=(ZERO, H_START, C_START), step_3=(H_KEPT, H_KEPT, C_KEPT)):
    return {"after_step_1": step_1, "after_step_3": step_3}


def test_06_2_reference_passes():
    assert run_check("06.2", after()) == (True, "correct")
    as_lists = after([[0, 0, 0], H_START.tolist(), C_START.tolist()], [H_KEPT.tolist(), H_KEPT, C_KEPT])
    assert run_check("06.2", as_lists) == (True, "correct")


def test_06_2_agrees_with_the_reference_lstm():
    # the rule, run by lu.lstm_forward: weights with zero kernel make step 2's values a function of the state only,
    # so they are computed here and the two masked steps around it are read off the reference
    rng = np.random.default_rng(0)
    kernel, recurrent_kernel, bias = np.zeros((1, 12)), rng.normal(size=(3, 12)), rng.normal(size=12)
    out, h, c = [], None, None
    for steps in (1, 2, 3):
        o, h, c = lu.lstm_forward(np.zeros((1, steps, 1)), kernel, recurrent_kernel, bias, return_sequences=True,
                                  return_state=True, mask=np.array([[False, True, False][:steps]]),
                                  initial_state=[H_START[None], C_START[None]])
        out.append((o[0, -1], h[0], c[0]))
    assert np.array_equal(out[0][0], ZERO) and np.array_equal(out[0][1], H_START) and np.array_equal(out[0][2], C_START)
    for a, b in zip(out[2], (out[1][1], out[1][1], out[1][2])):
        assert np.array_equal(a, b)


@pytest.mark.parametrize("answer, expected", [
    (after(step_1=(H_START, H_START, C_START)), "the output is not h_start"),
    (after(step_1=(ZERO, ZERO, ZERO)), "after_step_1: a masked step does not reset the state"),
    (after(step_1=(ZERO, C_START, H_START)), "after_step_1: h and c are swapped"),
    (after(step_1=(ZERO, H_KEPT, C_KEPT)), "after_step_1: step 1 is masked, so h and c stay"),
    (after(step_1=(ZERO + 0.1, H_START, C_START)), "before the first kept step the output is zeros"),
    (after(step_3=(ZERO, H_KEPT, C_KEPT)), "so the masked step repeats the previous output"),
    (after(step_3=(ZERO, ZERO, ZERO)), "after_step_3: a masked step does not reset the state"),
    (after(step_3=(H_KEPT, C_KEPT, H_KEPT)), "after_step_3: h and c are swapped"),
    (after(step_3=(H_START, H_START, C_START)), "the latest one, after the kept step 2"),
    (after(step_3=(H_KEPT, H_KEPT, C_KEPT + 0.01)), "h and c stay what they were after step 2"),
    (after(step_3=(C_KEPT, H_KEPT, C_KEPT)), "which is step 2's output h_kept"),
])
def test_06_2_mistakes_are_named(answer, expected):
    assert expected in failing("06.2", answer)


@pytest.mark.parametrize("answer", [after(step_1=None), after(step_1="zeros"), after(step_1=(ZERO, H_START)),
                                    after(step_3=np.zeros((3, 3))), after(step_3=(ZERO[None], H_KEPT, C_KEPT)),
                                    after(step_3=(H_KEPT, "h", C_KEPT)), after(step_1=(ZERO > 1, H_START, C_START)),
                                    after(step_1=(ZERO, H_START, C_START + np.nan))])
def test_06_2_garbage_gets_a_hint(answer):
    failing("06.2", answer)


# ---------------------------------------------------------------- 06.3: the masked forward loop

def masked_reference(x, mask, kernel, recurrent_kernel, bias, h0, c0):
    # independent of the check's variants: one sample at a time, with Python ifs
    outs, hs, cs = [], [], []
    for b in range(x.shape[0]):
        h, c, y, rows = h0[b], c0[b], np.zeros_like(h0[b]), []
        for t in range(x.shape[1]):
            if mask[b, t]:
                h, c, _ = lu.lstm_step(x[b, t], h, c, kernel, recurrent_kernel, bias)
                y = h
            rows.append(y)
        outs.append(rows)
        hs.append(h)
        cs.append(c)
    return np.array(outs), np.array(hs), np.array(cs)


def loop_with(*, state="carry", output="repeat", first="zeros", mask_rule=lambda m, t: m[:, t], start=None):
    def masked_forward(x, mask, kernel, recurrent_kernel, bias, h0, c0):
        h, c = (h0, c0) if start is None else start(h0, c0)
        y = np.zeros_like(h) if first == "zeros" else h
        outs = []
        for t in range(x.shape[1]):
            h_new, c_new, _ = lu.lstm_step(x[:, t], h, c, kernel, recurrent_kernel, bias)
            keep = np.broadcast_to(mask_rule(mask, t), (x.shape[0],))[:, None]
            fallback_h, fallback_c = (h, c) if state == "carry" else (0 * h, 0 * c)
            h, c = np.where(keep, h_new, fallback_h), np.where(keep, c_new, fallback_c)
            y = np.where(keep, h_new, y if output == "repeat" else 0 * y)
            outs.append(y)
        return np.stack(outs, axis=1), h, c
    return masked_forward


def test_06_3_reference_passes():
    assert run_check("06.3", {"masked_forward": masked_reference}) == (True, "correct")
    assert run_check("06.3", {"masked_forward": loop_with()}) == (True, "correct")


@pytest.mark.parametrize("wrong, expected", [
    (loop_with(mask_rule=lambda m, t: True), "the mask was ignored"),
    (loop_with(mask_rule=lambda m, t: ~m[:, t]), "the mask was read the wrong way round"),
    (loop_with(mask_rule=lambda m, t: m[0, t]), "every sample followed the first sample's mask"),
    (loop_with(start=lambda h0, c0: (0 * h0, 0 * c0)), "the loop started from zero states"),
    (loop_with(state="reset", output="zero"), "a masked step reset h, c and the output to zero"),
    (loop_with(state="reset"), "a masked step reset h and c to zero"),
    (loop_with(output="zero"), "a masked step output zeros"),
    (loop_with(first="h0"), "before the first kept step the output showed h0"),
    (loop_with(start=lambda h0, c0: (c0, h0)), "the outputs differ from Keras's masked rule for sample(s) [0, 1, 2, 3]"),
])
def test_06_3_mistakes_are_named(wrong, expected):
    assert expected in failing("06.3", {"masked_forward": wrong})


def test_06_3_final_state_mistakes_are_named():
    def swapped(*args):
        out, h, c = masked_reference(*args)
        return out, c, h

    def last_h_wrong(*args):
        out, h, c = masked_reference(*args)
        return out, h + 1, c

    def last_c_wrong(*args):
        out, h, c = masked_reference(*args)
        return out, h, c + 1

    def stacked_wrong_way(*args):
        out, h, c = masked_reference(*args)
        return out.swapaxes(0, 1), h, c

    def float32(*args):
        return masked_reference(*(a if a.dtype == bool else a.astype(np.float32) for a in args))

    assert "the final h and c are swapped" in failing("06.3", {"masked_forward": swapped})
    assert "the final h is not" in failing("06.3", {"masked_forward": last_h_wrong})
    assert "the final c is not" in failing("06.3", {"masked_forward": last_c_wrong})
    assert "stack the steps along axis 1" in failing("06.3", {"masked_forward": stacked_wrong_way})
    assert "close but not equal" in failing("06.3", {"masked_forward": float32})


@pytest.mark.parametrize("answer", [None, "loop", np.zeros(3), lambda *a: None, lambda *a: np.zeros((4, 5, 3)),
                                    lambda *a: (np.zeros((4, 5, 3)), np.zeros((4, 3))),
                                    lambda *a: (np.zeros((4, 5, 3)), np.zeros((4, 3)), "c"),
                                    lambda *a: (np.zeros((4, 5, 3)), np.zeros((3,)), np.zeros((4, 3))),
                                    lambda *a: (np.zeros((4, 3)), np.zeros((4, 3)), np.zeros((4, 3)))])
def test_06_3_garbage_gets_a_hint(answer):
    failing("06.3", {"masked_forward": answer})
