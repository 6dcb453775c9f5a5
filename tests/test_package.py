import subprocess
import sys


def test_imports_with_numpy_alone():
    # A fresh interpreter: importing the package must not pull in Keras, TensorFlow or matplotlib.
    code = ("import sys, lstm_utils; heavy = [m for m in ('keras', 'tensorflow', 'matplotlib', 'jax', 'torch')"
            " if m in sys.modules];"
            "assert not heavy, heavy; print(sorted(lstm_utils.__all__))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "lstm_forward" in out and "count_params" in out
