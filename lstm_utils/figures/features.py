"""Figure helper (placeholder until its chapter lands)."""


def plot_feature_mixing(*args, **kwargs):
    raise NotImplementedError("plot_feature_mixing is not written yet")
