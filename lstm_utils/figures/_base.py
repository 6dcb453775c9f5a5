"""What every figure helper returns: a matplotlib figure that a notebook displays as a PNG and whose
text form is its alt text (so a stored output never holds a run-dependent `<Figure size ...>` repr)."""

import io


def new_figure(width, height):
    """A matplotlib Figure that is not registered with pyplot, so nothing is shown twice."""
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


class CourseFigure:
    """A figure with alt text. In a notebook it shows as a PNG; ``repr`` gives the alt text."""

    def __init__(self, figure, alt):
        if not alt or not isinstance(alt, str):
            raise ValueError("a course figure needs alt text describing what it shows")
        self.figure = figure
        self.alt = alt

    def png(self, dpi=100):
        buf = io.BytesIO()
        # No 'Software' metadata: the bytes then depend only on the drawing, not on the matplotlib version.
        self.figure.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
        return buf.getvalue()

    def _repr_png_(self):
        return self.png()

    def savefig(self, path, **kwargs):
        self.figure.savefig(path, **kwargs)

    def __repr__(self):
        return f"Figure: {self.alt}"
