"""One long series into the (samples, timesteps, features) an LSTM reads: sliding windows, and the layout a
stateful LSTM needs, where row n of every batch continues row n of the batch before.

numpy alone; the windows come from numpy's own `sliding_window_view`.
"""

import numpy as np

from ._validate import finite, float_array, positive_int


def _as_series(series):
    arr = finite(float_array(series, "series"), "series")
    if arr.ndim == 1:
        arr = arr[:, None]                       # a univariate series: one feature per step
    if arr.ndim != 2:
        raise ValueError(f"series must be 1-D (steps,) or 2-D (steps, features), got shape {arr.shape}")
    return arr


def sliding_windows(series, timesteps, *, stride=1):
    """Every window of ``timesteps`` consecutive steps, as ``(samples, timesteps, features)``.

    ``series`` is ``(steps,)`` (one feature) or ``(steps, features)``. Window k starts at step ``k * stride``;
    there are ``(steps - timesteps) // stride + 1`` of them. The windows are copies (numpy's
    ``sliding_window_view`` makes views; changing one would change its neighbours).

    >>> sliding_windows(np.arange(5.0), 3).shape
    (3, 3, 1)
    """
    arr = _as_series(series)
    timesteps = positive_int(timesteps, "timesteps")
    stride = positive_int(stride, "stride")
    if timesteps > len(arr):
        raise ValueError(f"timesteps = {timesteps} is longer than the series ({len(arr)} steps)")
    windows = np.lib.stride_tricks.sliding_window_view(arr, timesteps, axis=0)   # (samples, features, timesteps)
    return np.ascontiguousarray(windows[::stride].transpose(0, 2, 1))


def stateful_batches(series, batch_size, timesteps):
    """Lay a long series out for a stateful LSTM: ``(batches * batch_size, timesteps, features)``.

    The series is cut into ``batch_size`` equally long streams, one per row of the batch (stream n is the
    n-th stretch of the series), and each stream into chunks of ``timesteps`` steps. Batch k holds chunk k of
    every stream, row n holding stream n; so row n of batch k + 1 is the continuation of row n of batch k,
    which is what a stateful layer assumes. Feed it with ``fit(..., batch_size=batch_size, shuffle=False)``
    (or ``predict``) and call ``reset_state()`` when the streams start again (every epoch). Steps that do not
    fill a whole chunk in every stream are dropped from the end of each stream.

    >>> stateful_batches(np.arange(12.0), batch_size=2, timesteps=3)[:, :, 0]
    array([[ 0.,  1.,  2.],
           [ 6.,  7.,  8.],
           [ 3.,  4.,  5.],
           [ 9., 10., 11.]])
    """
    arr = _as_series(series)
    batch_size = positive_int(batch_size, "batch_size")
    timesteps = positive_int(timesteps, "timesteps")
    per_stream = len(arr) // batch_size
    chunks = per_stream // timesteps
    if chunks == 0:
        raise ValueError(
            f"a series of {len(arr)} steps cannot fill {batch_size} streams of at least {timesteps} steps "
            f"(batch_size * timesteps = {batch_size * timesteps})")
    streams = arr[:batch_size * per_stream].reshape(batch_size, per_stream, -1)[:, :chunks * timesteps]
    # (stream, chunk, step, feature) -> (chunk, stream, step, feature): batch k is chunk k of every stream
    laid_out = streams.reshape(batch_size, chunks, timesteps, -1).transpose(1, 0, 2, 3)
    return np.ascontiguousarray(laid_out.reshape(chunks * batch_size, timesteps, -1))
