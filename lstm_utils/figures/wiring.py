"""Figure helper (placeholder until its chapter lands)."""


def plot_unit_wiring(*args, **kwargs):
    raise NotImplementedError("plot_unit_wiring is not written yet")
