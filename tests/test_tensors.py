"""to_numpy: every backend's values in, numpy out (the backends themselves are fed in tests/test_backends.py)."""

import numpy as np
import pytest

from lstm_utils import to_numpy


def test_numpy_stays_numpy_and_lists_become_arrays():
    a = np.arange(3.0)
    assert to_numpy(a) is a
    np.testing.assert_array_equal(to_numpy([[1, 2]]), np.array([[1, 2]]))
    assert to_numpy(2.5).shape == ()


class FakeTorch:
    """What to_numpy relies on in a torch tensor: detach() and cpu(); numpy() refuses while grad is on."""

    def __init__(self, values):
        self.values, self.detached = np.asarray(values), False

    def detach(self):
        out = FakeTorch(self.values)
        out.detached = True
        return out

    def cpu(self):
        return self

    def numpy(self):
        if not self.detached:
            raise RuntimeError("Can't call numpy() on Tensor that requires grad")
        return self.values


class FakeVariable:
    """A keras.Variable: value, assign and path; its own __array__ would warn under NumPy 2."""

    path = "layer/kernel"

    def __init__(self, value):
        self.value = value

    def assign(self, value):
        self.value = value

    def __array__(self, *args, **kwargs):
        raise AssertionError("to_numpy must unwrap .value instead")


def test_a_torch_like_tensor_is_detached_first():
    np.testing.assert_array_equal(to_numpy(FakeTorch([1.0, 2.0])), [1.0, 2.0])


def test_a_variable_is_unwrapped():
    np.testing.assert_array_equal(to_numpy(FakeVariable(FakeTorch([3.0]))), [3.0])


def test_a_symbolic_keras_tensor_is_explained():
    KerasTensor = type("KerasTensor", (), {})
    with pytest.raises(TypeError, match="symbolic KerasTensor.*call the layer or model on an array"):
        to_numpy(KerasTensor())


@pytest.mark.keras
def test_real_keras_values_on_this_sessions_backend():
    import keras

    layer = keras.layers.LSTM(2)
    out = layer(np.ones((1, 3, 1), "float32"))
    assert to_numpy(out).shape == (1, 2)
    assert to_numpy(layer.cell.kernel).shape == (1, 8)
    with pytest.raises(TypeError, match="symbolic"):
        to_numpy(keras.Input((3, 1)))
