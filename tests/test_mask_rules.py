"""mask_rule: the names accepted, and how 'keras' finds the backend without importing
Keras. (Each rule against the real backends: test_rnn_keras.py, test_rnn_backends.py)"""

import json
import sys
import types

import numpy as np
import pytest

from lstm_utils import gru_forward, keras_mask_rule
from lstm_utils.mask_rules import keras_backend, resolve_mask_rule


@pytest.fixture
def no_keras(monkeypatch, tmp_path):
    """A process where Keras is not imported, no KERAS_BACKEND is set, and KERAS_HOME is
    an empty folder: what is left is Keras's own default."""
    monkeypatch.delitem(sys.modules, "keras", raising=False)
    monkeypatch.delenv("KERAS_BACKEND", raising=False)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    return tmp_path


@pytest.mark.parametrize(
    "name, rule",
    [
        ("previous_output", "previous_output"),
        ("carried_state", "carried_state"),
        ("zeros", "zeros"),
        ("tensorflow", "previous_output"),
        ("torch", "previous_output"),
        ("jax", "carried_state"),
    ],
)
def test_rules_and_backend_aliases(name, rule):
    assert resolve_mask_rule(name) == rule


def test_keras_defaults_to_tensorflow(no_keras):
    assert keras_backend() == "tensorflow"
    assert resolve_mask_rule("keras") == "previous_output"


def test_keras_reads_keras_json_then_the_environment(no_keras, monkeypatch):
    (no_keras / "keras.json").write_text(
        json.dumps({"backend": "jax", "floatx": "float32"})
    )
    assert keras_backend() == "jax" and resolve_mask_rule("keras") == "carried_state"
    monkeypatch.setenv("KERAS_BACKEND", "torch")  # the variable wins, as in Keras
    assert keras_backend() == "torch" and resolve_mask_rule("keras") == "previous_output"


def test_a_broken_keras_json_is_ignored_as_keras_does(no_keras):
    (no_keras / "keras.json").write_text("{not json")
    assert keras_backend() == "tensorflow"


def test_an_imported_keras_is_asked(no_keras, monkeypatch):
    fake = types.SimpleNamespace(config=types.SimpleNamespace(backend=lambda: "jax"))
    # undone inside the test: conftest.py fails a test that leaves "keras" behind
    with monkeypatch.context() as patch:
        patch.setitem(sys.modules, "keras", fake)
        patch.setenv("KERAS_BACKEND", "torch")  # set after import: Keras ignores it
        assert resolve_mask_rule("keras") == "carried_state"


def test_a_backend_the_course_has_not_checked_is_refused_by_name(no_keras, monkeypatch):
    monkeypatch.setenv("KERAS_BACKEND", "openvino")
    with pytest.raises(
        ValueError, match=r"here 'openvino'.*pass mask_rule='previous_output' or 'carried_state'"
    ):
        resolve_mask_rule("keras")


def test_keras_mask_rule_of_a_layer():
    assert keras_mask_rule(types.SimpleNamespace(unroll=True)) == "previous_output"
    assert (
        keras_mask_rule(types.SimpleNamespace(zero_output_for_mask=True, unroll=True))
        == "zeros"
    )


def test_keras_mask_rule_of_a_bidirectional_layer_is_its_two_layers():
    inner = types.SimpleNamespace(zero_output_for_mask=True)
    assert keras_mask_rule(types.SimpleNamespace(forward_layer=inner)) == "zeros"


def test_keras_mask_rule_of_a_plain_layer_is_the_backends(no_keras, monkeypatch):
    monkeypatch.setenv("KERAS_BACKEND", "jax")
    assert keras_mask_rule(types.SimpleNamespace(unroll=False)) == "carried_state"
    assert keras_mask_rule() == "carried_state"


@pytest.mark.parametrize(
    "value, error, message",
    [
        (
            "Zeros",
            ValueError,
            "mask_rule must be one of 'keras', 'previous_output', 'carried_state', "
            "'zeros', 'tensorflow', 'torch', 'jax', got 'Zeros'",
        ),
        ("previous", ValueError, "got 'previous'"),
        (None, TypeError, "mask_rule must be a string"),
        (0, TypeError, "got int"),
    ],
)
def test_other_names_are_refused_even_without_a_mask(value, error, message):
    k, r = np.zeros((2, 3)), np.zeros((1, 3))
    with pytest.raises(error, match=message):
        gru_forward(np.zeros((1, 2, 2)), k, r, None, mask_rule=value)


def test_without_a_mask_the_backend_is_not_looked_up(no_keras, monkeypatch):
    monkeypatch.setenv("KERAS_BACKEND", "openvino")  # would be refused with a mask
    out = gru_forward(np.zeros((1, 2, 2)), np.zeros((2, 3)), np.zeros((1, 3)), None)
    np.testing.assert_array_equal(out, [[0.0]])
