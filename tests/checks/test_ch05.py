"""Chapter 05's exercise checks: the reference answers pass, each diagnosed mistake gets its own hint, and
garbage gets a hint, never an exception."""

import numpy as np
import pytest

import lstm_utils as lu
from lstm_utils.checks import run_check

from checks_helpers import failing as failing_hint


def failing(exercise_id, namespace):
    return failing_hint(exercise_id, namespace, one_line=False)   # these tests never held the hint to one line


# ---------------------------------------------------------------- 05.1: which layers need return_sequences

ONE_VECTOR = (True, True, True, False)
EVERY_STEP = (True, True, True, True)


def flags(one=ONE_VECTOR, every=EVERY_STEP):
    return {"flags_one_vector": one, "flags_every_step": every}


def test_05_1_reference_passes():
    assert run_check("05.1", flags()) == (True, "correct")
    assert run_check("05.1", flags(list(ONE_VECTOR), np.array(EVERY_STEP).tolist())) == (True, "correct")
    assert run_check("05.1", flags(tuple(np.array(ONE_VECTOR)))) == (True, "correct")   # numpy booleans


@pytest.mark.parametrize("answer, expected", [
    (flags(one=(True, False, False, False)), "layer 2 has return_sequences=False"),
    (flags(one=(False, False, False, False)), "layer 1 has return_sequences=False"),
    (flags(one=(True, True, False, False)), "layer 3 has return_sequences=False, so it hands layer 4"),
    (flags(one=(True, True, True, True)), "flags_one_vector: with return_sequences=True on the top layer"),
    (flags(every=(True, True, True, False)), "flags_every_step: with return_sequences=False the top layer"),
    (flags(every=(False, True, True, True)), "flags_every_step: layer 1 has return_sequences=False"),
])
def test_05_1_mistakes_are_named(answer, expected):
    assert expected in failing("05.1", answer)


@pytest.mark.parametrize("answer", [flags(one=None), flags(one="TTTF"), flags(one=(True, True, False)),
                                    flags(every=(1, 1, 1, 1)), flags(every=True), flags(one={0: True})])
def test_05_1_garbage_gets_a_hint(answer):
    failing("05.1", answer)


# ---------------------------------------------------------------- 05.2: Input((20, 7)), LSTM(16), LSTM(8), LSTM(4)

PER_LAYER = (4 * 16 * (7 + 16 + 1), 4 * 8 * (16 + 8 + 1), 4 * 4 * (8 + 4 + 1))   # 1536, 800, 208
TOTAL = 1536 + 800 + 208


def counts(per_layer=PER_LAYER, total=TOTAL):
    return {"params_per_layer": per_layer, "params_total": total}


def test_05_2_reference_passes():
    assert PER_LAYER == (1536, 800, 208) and TOTAL == 2544
    assert run_check("05.2", counts()) == (True, "correct")
    assert run_check("05.2", counts([np.int64(1536), 800.0, 208], np.int64(2544))) == (True, "correct")
    assert run_check("05.2", counts(np.array(PER_LAYER), 2544.0)) == (True, "correct")


@pytest.mark.parametrize("per_layer, expected", [
    ((1536, 4 * 8 * (7 + 8 + 1), 208), "Layer 2 reads the output of layer 1, 16 numbers per step"),
    ((1536, 800, 4 * 4 * (7 + 4 + 1)), "Layer 3 reads the output of layer 2, 8 numbers per step"),
    ((20 * 1536, 800, 208), "20 times too many"),
    ((1536, 4 * 8 * (16 + 8), 208), "the bias is missing"),
    ((1536, 800, 4 * 4 * (8 + 1)), "the recurrent weights are missing"),
    ((16 * (7 + 16 + 1), 800, 208), "4 times too few"),
    ((1536, 4 * 8 * (16 + 1) + 8 * 8, 208), "the recurrent kernel has four gate blocks too"),
    ((1536, 4 * 8 * (4 + 8 + 1), 208), "reads what is below it, not the layer above"),
    ((1536, 801, 208), "layer 2, LSTM(8): expected 800, got 801"),
])
def test_05_2_layer_mistakes_are_named(per_layer, expected):
    assert expected in failing("05.2", counts(per_layer))


def test_05_2_total_mistakes_are_named():
    assert "20 times too many" in failing("05.2", counts(total=20 * TOTAL))
    assert "the sum of the three layers" in failing("05.2", counts(total=1536 + 800))


@pytest.mark.parametrize("answer", [counts(None), counts("1536"), counts((1536, 800)), counts((1536, 800, 208.5)),
                                    counts(total=None), counts(total="2544"), counts(total=True),
                                    counts(total=float("nan")), counts((1536, float("inf"), 208)),
                                    counts(np.array([[1536, 800, 208]])), counts(np.array(["a", "b", "c"]))])
def test_05_2_garbage_gets_a_hint(answer):
    failing("05.2", answer)


# ---------------------------------------------------------------- 05.3: the stack by hand

def stack_reference(x, weights):
    # independent of the check: every layer step by step with lstm_step
    seq = x
    for kernel, recurrent_kernel, bias in weights:
        h = np.zeros((x.shape[0], recurrent_kernel.shape[0]))
        c = np.zeros_like(h)
        outputs = []
        for t in range(seq.shape[1]):
            h, c, _ = lu.lstm_step(seq[:, t], h, c, kernel, recurrent_kernel, bias)
            outputs.append(h)
        seq = np.stack(outputs, axis=1)
    return seq[:, -1]


def test_05_3_reference_passes():
    assert run_check("05.3", {"stack_forward": stack_reference}) == (True, "correct")


def every_layer_reads_x(x, weights):
    out = None
    for w in weights:
        out = lu.lstm_forward(x, *w)
    return out


def states_passed_up(x, weights):
    seq, state = x, None
    for k, w in enumerate(weights):
        top = k == len(weights) - 1
        seq, h, c = lu.lstm_forward(seq, *w, initial_state=state, return_sequences=not top, return_state=True)
        state = [h, c]
    return seq


def last_step_as_sequence(x, weights):
    seq = x
    for w in weights:
        seq = lu.lstm_forward(seq, *w)[:, None, :]
    return seq[:, 0]


def top_first(x, weights):
    return stack_reference(x, weights[::-1])


def no_return_sequences(x, weights):
    seq = x
    for w in weights:
        seq = lu.lstm_forward(seq, *w)
    return seq


def whole_top_sequence(x, weights):
    seq = x
    for w in weights:
        seq = lu.lstm_forward(seq, *w, return_sequences=True)
    return seq


def bottom_only(x, weights):
    return lu.lstm_forward(x, *weights[0])


def in_float32(x, weights):
    return stack_reference(x.astype(np.float32), [tuple(a.astype(np.float32) for a in w) for w in weights])


def biases_dropped(x, weights):
    return stack_reference(x, [(k, r, np.zeros_like(b)) for k, r, b in weights])


@pytest.mark.parametrize("wrong, expected", [
    (every_layer_reads_x, "every layer read x"),
    (states_passed_up, "started from the final states (h, c) of the layer below"),
    (last_step_as_sequence, "passed up only its last output, as a sequence of one step"),
    (top_first, "the layers ran top first"),
    (no_return_sequences, "a layer received a 2-D array (batch, units)"),
    (whole_top_sequence, "returned the top layer's whole sequence"),
    (bottom_only, "that is the bottom layer's output"),
    (in_float32, "close but not equal"),
    (biases_dropped, "differs from the reference stack"),
])
def test_05_3_mistakes_are_named(wrong, expected):
    assert expected in failing("05.3", {"stack_forward": wrong})


@pytest.mark.parametrize("answer", [None, "stack", np.zeros(3), lambda x, w: None, lambda x, w: "y",
                                    lambda x, w: [np.zeros(2), np.zeros(3)], lambda x, w: np.zeros((2, 7)),
                                    lambda x, w: np.full((2, 3), np.inf)])
def test_05_3_garbage_gets_a_hint(answer):
    failing("05.3", {"stack_forward": answer})


def test_05_3_other_errors_of_the_learner_are_reported():
    def typo(x, weights):
        return lu.lstm_forward(x, *weights)            # passes a list of tuples where arrays belong
    passed, message = run_check("05.3", {"stack_forward": typo})
    assert not passed and message.startswith("your code raised")
