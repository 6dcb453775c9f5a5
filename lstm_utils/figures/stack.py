"""Figure helper (placeholder until its chapter lands)."""


def plot_stack_wiring(*args, **kwargs):
    raise NotImplementedError("plot_stack_wiring is not written yet")
