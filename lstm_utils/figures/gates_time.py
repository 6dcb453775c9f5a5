"""Figure helper (placeholder until its chapter lands)."""


def plot_gate_activations(*args, **kwargs):
    raise NotImplementedError("plot_gate_activations is not written yet")
