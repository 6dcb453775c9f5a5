"""Figure helper (placeholder until its chapter lands)."""


def plot_unrolled_chain(*args, **kwargs):
    raise NotImplementedError("plot_unrolled_chain is not written yet")
