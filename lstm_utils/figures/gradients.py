"""Figure helper (placeholder until its chapter lands)."""


def plot_gradient_norms(*args, **kwargs):
    raise NotImplementedError("plot_gradient_norms is not written yet")
