"""Figure helper (placeholder until its chapter lands)."""


def plot_masked_trace(*args, **kwargs):
    raise NotImplementedError("plot_masked_trace is not written yet")
