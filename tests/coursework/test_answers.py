"""The answers' way out of the kernel: the plain-data format (whatever arrives, the
grader builds plain data or refuses with WireError), the answer host (a function's
calls, errors, prints, exits), and the judge's stand-ins. No kernel: the host runs
unsealed here, from pickles written by the test."""

import json
import math
import os
import struct
import sys
import time

import cloudpickle
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coursework import Options
from coursework.answers import (MAX_MESSAGE, Decoder, Encoder, LearnerError, Opaque,
                                WireError, rebuild_error, receive, send)
from coursework.judge import CheckTimeout, Host, HostLost, judge
from coursework.sandbox import Isolation, Sandbox

PLAIN = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
    | st.text() | st.binary() | st.complex_numbers(allow_nan=False),
    lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
    | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=20)


def roundtrip(value):
    encode = Encoder()
    tree = encode(value)
    fd_r, fd_w = os.pipe()
    try:
        send(fd_w, {"value": tree}, encode.buffers)
        message, buffers = receive(fd_r)
    finally:
        os.close(fd_r)
        os.close(fd_w)
    return Decoder(buffers)(message["value"])


@given(PLAIN)
@settings(max_examples=60, deadline=None)
def test_plain_values_come_back_equal(value):
    assert roundtrip(value) == value


@pytest.mark.parametrize("array", [
    np.arange(12, dtype=np.float32).reshape(3, 4), np.array([True, False]),
    np.array(["ab", "c"]), np.zeros((0, 3)), np.array(2.5), np.int64(7),
    np.array([1 + 2j]), np.array([np.nan, np.inf]),
    np.arange(6, dtype=">i4").reshape(2, 3)[:, ::2],  # big-endian, not contiguous
])
def test_arrays_and_numpy_numbers_come_back_exactly(array):
    back = roundtrip(array)
    assert type(back) is type(array) and back.dtype == array.dtype
    np.testing.assert_array_equal(back, array)


def test_other_objects_become_named_stand_ins():
    class Mine:
        def __repr__(self):
            return "Mine()"

    back = roundtrip([Mine(), np.array([object()], dtype=object)])
    assert isinstance(back[0], Opaque) and type(back[0]).__name__ == "Mine"
    assert repr(back[0]) == "Mine()"
    assert type(back[1]).__name__ == "ndarray"   # an object array is not rebuilt


def test_functions_need_a_handle():
    with pytest.raises(WireError, match="not a value"):
        Decoder([])(["R", 0, "f"])   # no way to call back: refused
    assert Encoder(on_callable=lambda f: 5)(len) == ["R", 5, "len"]


TREES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=5), max_leaves=25)


@given(TREES, st.lists(st.binary(max_size=16), max_size=3))
@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
def test_any_tree_is_plain_data_or_wire_error(tree, buffers):
    try:
        value = Decoder(buffers)(tree)
    except WireError:
        return
    assert_plain(value)


def assert_plain(value, depth=0):
    assert depth < 70
    if isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            assert_plain(item, depth + 1)
    elif isinstance(value, dict):
        for k, v in value.items():
            assert_plain(k, depth + 1)
            assert_plain(v, depth + 1)
    else:
        assert value is None or isinstance(
            value, (bool, int, float, complex, str, bytes, np.ndarray, np.generic,
                    Opaque))


@pytest.mark.parametrize("tree, buffers", [
    (["A", "O", [1], 0], [b"x" * 8]),                   # an object array
    (["A", "<f8", [2], 0], [b"x" * 8]),                 # data too short for its shape
    (["A", "<f8", [10**9, 10**9], 0], [b""]),           # a shape that does not fit
    (["A", "<f8", [-1], 0], [b""]),
    (["a", "<f8", 0], [b"1234"]),
    (["I", "1" * 5000], []),                            # more digits than allowed
    (["F", "1e400000000000000000000000000000000000000"], []),
    (["D", [["x"]]], []),
    (["D", [[["L", []], ["N"]]]], []),                  # an unhashable key
    (["Y", 3], [b""]),                                  # a buffer that was not sent
    (["T", "not a list"], []),
    (["XY", 1], []),
    ([], []),
    ("N", []),
])
def test_malformed_values_are_refused(tree, buffers):
    with pytest.raises(WireError):
        Decoder(buffers)(tree)


def test_nesting_is_bounded_both_ways():
    deep = None
    for _ in range(200):
        deep = [deep]
    with pytest.raises(WireError, match="nested too deeply"):
        Encoder()(deep)
    tree = ["N"]
    for _ in range(200):
        tree = ["L", [tree]]
    with pytest.raises(WireError, match="nested too deeply"):
        Decoder([])(tree)


@pytest.mark.parametrize("data", [
    struct.pack(">QQ", MAX_MESSAGE + 1, 10),            # larger than allowed: no read
    struct.pack(">QQ", 5, 9) + b"12345",                # header longer than message
    struct.pack(">QQ", 4, 4) + b"[1]]",                 # not JSON
    struct.pack(">QQ", 2, 2) + b"[]",                   # JSON, not a message
    struct.pack(">QQ", 40, 40) + json.dumps({"message": {}, "sizes": [5]})
    .encode().ljust(40),                                # sizes that do not add up
])
def test_malformed_messages_are_refused(data):
    fd_r, fd_w = os.pipe()
    try:
        os.write(fd_w, data)
        os.close(fd_w)
        with pytest.raises(WireError):
            receive(fd_r)
    finally:
        os.close(fd_r)


def test_a_message_cut_short_is_end_of_file():
    fd_r, fd_w = os.pipe()
    os.write(fd_w, struct.pack(">QQ", 100, 10) + b"abc")
    os.close(fd_w)
    with pytest.raises(EOFError):
        receive(fd_r)
    os.close(fd_r)


def test_errors_come_back_as_exceptions_a_check_catches():
    exc = rebuild_error({"type": "ValueError", "builtin": True, "message": "bad",
                         "where": ["my_step", 4]})
    assert type(exc) is ValueError and str(exc) == "bad"
    assert exc.learner_location == ("my_step", 4)
    assert type(rebuild_error({"type": "NotImplementedError", "builtin": True,
                               "message": ""})) is NotImplementedError
    for name in ("SystemExit", "KeyboardInterrupt", "Hint", "not a name!"):
        exc = rebuild_error({"type": name, "builtin": name != "Hint", "message": "x"})
        assert isinstance(exc, LearnerError) and isinstance(exc, Exception)


# ---------------------------------------------------------------- the answer host


def _identity(x):
    return x


def _stairs(x, k=1):
    return np.asarray(x) * k, "done"


def _raises(x):
    raise ZeroDivisionError("no")


def _noisy(x):
    print("printed by the student", flush=True)
    sys.stdout.write("more")
    os.write(1, b"straight to fd 1")
    return sys.stdin.read()


def _sleeps(x):
    time.sleep(60)


def _exits(x):
    os._exit(4)


def _unreadable(x):
    deep = []
    for _ in range(200):
        deep = [deep]
    return deep


@pytest.fixture(scope="module")
def host_answers(tmp_path_factory):
    folder = tmp_path_factory.mktemp("host")
    answers = {
        "stairs": _stairs, "raises": _raises, "noisy": _noisy, "sleeps": _sleeps,
        "exits": _exits, "identity": _identity, "unreadable": _unreadable,
        "number": 72, "array": np.eye(2),
    }
    files = {}
    # as a notebook's functions are: by value, not as a module's to import
    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    try:
        for name, value in answers.items():
            files[name] = folder / f"{name}.pkl"
            files[name].write_bytes(cloudpickle.dumps(value))
    finally:
        cloudpickle.unregister_pickle_by_value(sys.modules[__name__])
    files["broken"] = folder / "broken.pkl"
    files["broken"].write_bytes(b"not a pickle")
    box = Sandbox(folder / "box", Isolation("none"), None, copy_chapters=False)
    return box, {n: str(p) for n, p in files.items()}


def start(host_answers, timeout=20):
    box, files = host_answers
    host = Host(box, files)
    return host, host.load(time.monotonic() + timeout)


def test_the_host_sends_values_and_stand_ins(host_answers):
    host, answers = start(host_answers)
    try:
        assert answers["number"] == 72
        np.testing.assert_array_equal(answers["array"], np.eye(2))
        assert answers["broken"][0] == "!" and "UnpicklingError" in answers["broken"][1]
        stairs = answers["stairs"]
        assert callable(stairs) and stairs.__name__ == "_stairs"
        host.deadline = time.monotonic() + 20
        out, word = stairs([1, 2], k=3)
        np.testing.assert_array_equal(out, [3, 6])
        assert word == "done"
        # a stand-in goes back as the function itself
        assert answers["identity"](stairs) is not None
        with pytest.raises(ZeroDivisionError, match="no") as raised:
            answers["raises"](1)
        assert raised.value.learner_location[0] == "_raises"
        assert answers["noisy"](1) == ""   # its prints went nowhere, its stdin is empty
        with pytest.raises(TypeError, match="cannot read what it returned"):
            answers["unreadable"](1)
    finally:
        host.close()


def test_a_function_that_never_returns_is_a_timeout(host_answers):
    host, answers = start(host_answers)
    try:
        host.deadline = time.monotonic() + 1
        with pytest.raises(CheckTimeout):
            answers["sleeps"](1)
    finally:
        host.close()


def test_a_function_that_ends_its_process(host_answers):
    host, answers = start(host_answers)
    host.deadline = time.monotonic() + 20
    with pytest.raises(HostLost, match="exit status 4"):
        answers["exits"](1)
    with pytest.raises(HostLost):
        answers["stairs"](1)   # the host is gone: every later call says so


def test_judge_gives_each_exercise_its_own_time(host_answers, monkeypatch):
    # Three exercises: the first never returns, the second ends the host, the third
    # gets a fresh host and its verdict all the same.
    from lstm_utils.checks import _registry

    monkeypatch.setattr(_registry, "_REGISTRY", {})

    @_registry.exercise("97.1", "sleeps")
    def _(f):
        f(1)

    @_registry.exercise("97.2", "exits")
    def _(f):
        f(1)

    @_registry.exercise("97.3", "stairs", "number")
    def _(f, n):
        if n != 72 or f(1)[1] != "done":
            raise _registry.Hint("wrong")

    @_registry.exercise("97.4", "missing", "broken")
    def _(a, b):
        pass

    box, files = host_answers
    verdicts, unreadable = judge(["97.1", "97.2", "97.3", "97.4"], files, box,
                                 Options(timeout=2))
    assert verdicts["97.1"].failure == "timeout"
    assert verdicts["97.2"].failure == "died"
    assert verdicts["97.3"].passed and verdicts["97.3"].message == "correct"
    assert not verdicts["97.4"].passed
    assert verdicts["97.4"].message.startswith("missing, broken are not defined yet")
    assert "UnpicklingError" in unreadable["broken"]


def test_floats_keep_their_bits():
    for x in (0.1, -0.0, 1e-310, math.inf, float("nan")):
        back = roundtrip(x)
        assert struct.pack(">d", back) == struct.pack(">d", x)
    assert roundtrip("\ud800 unpaired") == "\ud800 unpaired"
