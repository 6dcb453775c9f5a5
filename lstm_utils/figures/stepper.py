"""The step-through (chapter 03): an LSTM stepping through its timesteps, every vector drawn at its real size with
its values, playable in the page with no kernel and no network.

Why HTML tables and not SVG frames: the output has to work in three places that treat HTML differently.

* On the website and in Colab the HTML is used as it is: a ``<style>`` block shows one step at a time, switched
  by radio buttons with visible labels (keyboard: Tab to the buttons, arrow keys to change step), with
  "previous"/"next" links inside each step; a short script, where scripts run, adds a Play button.
* A trusted JupyterLab output (the cell was run, or the notebook trusted) behaves the same.
* An untrusted JupyterLab output (a notebook just opened from disk) is sanitized: ``<style>``, ``<script>`` and
  ``<svg>`` are removed and inputs disabled. Everything needed is therefore plain tables whose layout survives,
  and the controls carry the ``hidden`` attribute, which only the ``<style>`` block undoes: there the reader sees
  every step one under another, a worked example instead of a player.

Tables also reflow on a phone: the four gate blocks wrap onto as many lines as the screen needs, with text at
13-14 px, where one SVG of the whole step would shrink to unreadable. The HTML is deterministic: its ids come from
a hash of its content, numbers are printed to 3 decimals.
"""

import hashlib
from xml.sax.saxutils import escape

import numpy as np

from .._validate import finite, float_array, lstm_weights_shapes
from ..reference import lstm_step
from . import _style as st
from ._base import CourseFigure

#: The most steps, units and features the step-through draws with every number legible on a phone.
MAX_STEPS = 8
MAX_UNITS = 4
MAX_FEATURES = 4
MAX_INPUT_ROW = 6  # features + units: the concatenated [x_t | h_{t-1}] row
CELL_PX = 52  # the width of one number's cell (13 px digits, "-0.123")
LABEL_PX = 96  # the width of a row label


def _value(v):
    """A computed value: 3 decimals, never '-0.000'."""
    text = f"{float(v):.3f}"
    return "0.000" if text == "-0.000" else text


def _weight(v):
    """A weight or input as the chapter typed it: 1.2, not 1.200 (float32 1.2 is 1.2000000477)."""
    r = round(float(v), 3)
    if abs(float(v) - r) > 5e-7 * max(1.0, abs(r)):
        return _value(v)
    text = f"{r:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _sub(name, index):
    """'h', 't-1' -> 'h<sub>t-1</sub>' (HTML)."""
    return f"{escape(name)}<sub>{escape(index)}</sub>"


def _check(x, kernel, recurrent_kernel, bias, initial_state):
    kernel, recurrent_kernel, bias, units = lstm_weights_shapes(
        kernel, recurrent_kernel, bias
    )
    features = kernel.shape[0]
    x = float_array(x, "x")
    if x.ndim == 3:
        raise ValueError(
            f"x must be one sequence, (timesteps, features) = (T, {features}), got shape {x.shape}: "
            "pick the sequence first, e.g. x[0]"
        )
    if x.ndim != 2:
        raise ValueError(
            f"x must be 2-D (timesteps, features) = (T, {features}), got shape {x.shape}"
        )
    if x.shape[1] != features:
        raise ValueError(
            f"x must have {features} features per step to match kernel {kernel.shape} "
            f"(features, 4*units), got shape {x.shape}"
        )
    steps = x.shape[0]
    if not 1 <= steps <= MAX_STEPS:
        raise ValueError(
            f"the step-through shows between 1 and {MAX_STEPS} steps, got T = {steps}: pass x[:{MAX_STEPS}]"
        )
    if units > MAX_UNITS or features > MAX_FEATURES or features + units > MAX_INPUT_ROW:
        raise ValueError(
            f"the step-through draws every number, legible on a phone, for at most {MAX_UNITS} units, "
            f"{MAX_FEATURES} features and {MAX_INPUT_ROW} numbers in [x_t | h_t-1]; got {units} units and "
            f"{features} features"
        )
    for arr, name in (
        (x, "x"),
        (kernel, "kernel"),
        (recurrent_kernel, "recurrent_kernel"),
    ):
        finite(arr, name)
    if bias is None:
        raise TypeError(
            "bias must be an array of shape (4*units,); for a layer with use_bias=False pass "
            f"np.zeros({4 * units})"
        )
    finite(bias, "bias")
    dtype = np.result_type(x, kernel, recurrent_kernel, bias)
    if initial_state is None:
        h0 = np.zeros(units, dtype)
        c0 = np.zeros(units, dtype)
    else:
        if not isinstance(initial_state, (list, tuple)) or len(initial_state) != 2:
            raise TypeError(
                f"initial_state must be a list [h0, c0] of two ({units},) arrays, "
                f"got {type(initial_state).__name__}"
            )
        h0, c0 = (
            finite(float_array(s, n), n)
            for s, n in zip(
                initial_state, ("initial_state[0] (h0)", "initial_state[1] (c0)")
            )
        )
        for arr, name in ((h0, "h0"), (c0, "c0")):
            if arr.shape != (units,):
                raise ValueError(
                    f"initial_state {name} must have shape ({units},) for one sequence, "
                    f"got shape {arr.shape}"
                )
    return x, kernel, recurrent_kernel, bias, h0, c0, units


def step_frames(x, kernel, recurrent_kernel, bias, initial_state=None):
    """Every number the step-through shows, computed with :func:`lstm_utils.lstm_step`.

    Returns a list with one dict per step t: ``x_t``, ``h_prev``, ``c_prev``, ``xW`` (x_t @ W), ``hU``
    (h_{t-1} @ U), ``z`` (the pre-activation, 4*units), ``gates`` {"i", "f", "c", "o"}, ``c`` and ``h``.
    """
    x, kernel, recurrent_kernel, bias, h, c, units = _check(
        x, kernel, recurrent_kernel, bias, initial_state
    )
    frames = []
    for t in range(x.shape[0]):
        h_new, c_new, gates = lstm_step(x[t], h, c, kernel, recurrent_kernel, bias)
        x_w = x[t] @ kernel
        h_u = h @ recurrent_kernel
        frames.append(
            {
                "x_t": x[t],
                "h_prev": h,
                "c_prev": c,
                "xW": x_w,
                "hU": h_u,
                "z": x_w + h_u + bias,
                "gates": gates,
                "c": c_new,
                "h": h_new,
            }
        )
        h, c = h_new, c_new
    return frames


# ------------------------------------------------------------------------------------------------ HTML pieces
def _vector_row(label, values, fmt, cls=""):
    cells = "".join(f"<td>{fmt(v)}</td>" for v in values)
    return f'<tr{f" class={chr(34)}{cls.strip()}{chr(34)}" if cls else ""}><th scope="row">{label}</th>{cells}</tr>'


def _input_table(frame, features, units, t):
    x_cells = "".join(f'<td class="lu-x">{_weight(v)}</td>' for v in frame["x_t"])
    h_cells = "".join(f'<td class="lu-h">{_value(v)}</td>' for v in frame["h_prev"])
    head = (
        f'<tr><th colspan="{features}" scope="colgroup" class="lu-x">{_sub("x", str(t))} '
        f'({features})</th><th colspan="{units}" scope="colgroup" class="lu-h">{_sub("h", str(t - 1))} '
        f"({units})</th></tr>"
    )
    return (
        f'<table class="lu-vec"><caption>[{_sub("x", str(t))} | '
        f"{_sub('h', str(t - 1))}]: {features + units} numbers</caption>{head}<tr>{x_cells}{h_cells}</tr></table>"
    )


def _gate_table(frame, bias, gate, k, units, t):
    cols = slice(k * units, (k + 1) * units)
    act = "σ" if gate.key != "c" else "tanh"
    header = "".join(f'<th scope="col">unit {u + 1}</th>' for u in range(units))
    rows = [
        _vector_row(f"{_sub('x', str(t))} W", frame["xW"][cols], _value),
        _vector_row(f"{_sub('h', str(t - 1))} U", frame["hU"][cols], _value),
        _vector_row("b", bias[cols], _weight),
        _vector_row(
            f"z<sub>{escape(gate.letter)}</sub>", frame["z"][cols], _value, " lu-z"
        ),
        _vector_row(
            f"<b>{escape(gate.letter)}</b> = {act}(z)",
            frame["gates"][gate.key],
            _value,
            " lu-act",
        ),
    ]
    return (
        f'<table class="lu-gate lu-g{gate.key}"><caption><span class="lu-tag">'
        f"{escape(gate.letter)}</span> {escape(gate.name)}</caption><tr><td></td>{header}</tr>{''.join(rows)}</table>"
    )


def _state_table(frame, units, t):
    g = frame["gates"]
    header = "".join(f'<th scope="col">unit {u + 1}</th>' for u in range(units))
    rows = [
        _vector_row(_sub("c", str(t - 1)), frame["c_prev"], _value),
        _vector_row(f"f ⊙ {_sub('c', str(t - 1))}", g["f"] * frame["c_prev"], _value),
        _vector_row("i ⊙ c\u0303", g["i"] * g["c"], _value),
        _vector_row(f"<b>{_sub('c', str(t))}</b> = sum", frame["c"], _value, " lu-out"),
        _vector_row(f"tanh({_sub('c', str(t))})", np.tanh(frame["c"]), _value),
        _vector_row(
            f"<b>{_sub('h', str(t))}</b> = o ⊙ tanh", frame["h"], _value, " lu-out"
        ),
    ]
    return (
        f'<table class="lu-state"><caption>New state, unit by unit: '
        f"{_sub('c', str(t))} = f ⊙ {_sub('c', str(t - 1))} + i ⊙ c\u0303, "
        f"{_sub('h', str(t))} = o ⊙ tanh({_sub('c', str(t))})</caption><tr><td></td>{header}</tr>"
        f"{''.join(rows)}</table>"
    )


def _weights_block(kernel, recurrent_kernel, bias, units):
    features = kernel.shape[0]
    stacked = np.vstack([kernel, recurrent_kernel])
    labels = [f"W row {j + 1} (x[{j + 1}])" for j in range(features)] + [
        f"U row {j + 1} (h[{j + 1}])" for j in range(units)
    ]
    tables = []
    for k, gate in enumerate(st.GATES):
        cols = slice(k * units, (k + 1) * units)
        header = "".join(
            f'<th scope="col">{escape(gate.letter)}{u + 1}</th>' for u in range(units)
        )
        rows = [
            _vector_row(
                escape(lab), stacked[j, cols], _weight, " lu-u" if j >= features else ""
            )
            for j, lab in enumerate(labels)
        ]
        rows.append(_vector_row("b", bias[cols], _weight))
        tables.append(
            f'<table class="lu-gate lu-g{gate.key}"><caption><span class="lu-tag">'
            f"{escape(gate.letter)}</span> block: columns {k * units + 1}-{(k + 1) * units}</caption>"
            f"<tr><td></td>{header}</tr>{''.join(rows)}</table>"
        )
    return (
        "<details open><summary>The weights, the same at every step: [[W]; [U]] "
        f"({features + units} × {4 * units}) and b ({4 * units}), in 4 gate blocks of {units} columns"
        f'</summary><div class="lu-wrap">{"".join(tables)}</div></details>'
    )


def _css(p):
    """The <style> block: only what the sanitized view can do without (colours, boxes, one step at a time)."""
    gates = "".join(
        f"#{p} .lu-g{g.key} .lu-tag{{background:repeating-linear-gradient(45deg,{g.tint} 0 3px,#fff 3px 5px);"
        f"border:2px solid {g.colour}}}#{p} .lu-g{g.key} tr.lu-act td{{background:{g.tint}}}"
        for g in st.GATES
    )
    frames = "".join(
        f"#{p}-r{k}:checked~.lu-frames .lu-f{k}{{display:block}}"
        f"#{p}-r{k}:checked~.lu-bar label[for={p}-r{k}]{{background:{st.TEXT};color:#fff}}"
        f"#{p}-r{k}:focus-visible~.lu-bar label[for={p}-r{k}]{{outline:3px solid {st.BLUE};"
        f"outline-offset:2px}}"
        for k in range(1, MAX_STEPS + 1)
    )
    mono = "'DejaVu Sans Mono',Menlo,Consolas,monospace"
    return (
        f"#{p}{{background:{st.BACKGROUND};color:{st.TEXT};border:1px solid {st.OUTLINE};border-radius:6px;"
        f"padding:8px;font-family:{st.FONT_FAMILY};font-size:14px;line-height:1.35;max-width:100%;text-align:left;"
        "box-sizing:border-box;overflow-wrap:break-word}"
        f"#{p} p{{margin:4px 0}}#{p} sub{{font-size:0.9em}}#{p} h4{{font-size:15px;margin:4px 0;color:{st.TEXT}}}"
        f"#{p} table{{border-collapse:collapse;margin:2px 10px 8px 0;color:{st.TEXT};display:inline-table;"
        "vertical-align:top;table-layout:auto;width:auto;border:none}"
        f"#{p} caption{{caption-side:top;text-align:left;padding:2px 0;font-size:14px;color:{st.TEXT}}}"
        f"#{p} tr{{background:transparent!important}}"
        f"#{p} th{{font-size:13px;font-weight:normal;text-align:left;padding:2px 6px 2px 0;white-space:nowrap;"
        f"color:{st.TEXT};border:none;background:transparent}}"
        f"#{p} th[scope=col],#{p} th[scope=colgroup]{{text-align:center;padding:2px 0}}"
        f"#{p} td{{font-family:{mono};font-size:13px;text-align:right;padding:3px 5px;min-width:40px;"
        f"border:1px solid {st.OUTLINE};background:#fff;color:{st.TEXT};white-space:nowrap}}"
        f"#{p} td:empty{{border:none;background:transparent;min-width:0}}"
        f"#{p} td.lu-x{{background:{st.PANEL}}}#{p} td.lu-h{{border-style:dashed}}"
        f"#{p} tr.lu-u td{{border-style:dashed}}"
        f"#{p} tr.lu-z td,#{p} tr.lu-act td,#{p} tr.lu-out td{{font-weight:bold}}"
        f"#{p} tr.lu-out td{{background:{st.PANEL}}}"
        f"#{p} .lu-tag{{display:inline-block;min-width:1.5em;text-align:center;font-weight:bold;"
        "border-radius:3px;margin-right:3px}"
        f"#{p} .lu-wrap{{display:flex;flex-wrap:wrap}}"
        f"#{p} summary{{cursor:pointer;margin:4px 0}}"
        f"#{p} .lu-r{{display:inline!important;position:absolute;opacity:0;width:1px;height:1px;margin:0}}"
        f"#{p} .lu-bar{{display:flex!important;flex-wrap:wrap;align-items:center;gap:6px;margin:8px 0}}"
        f"#{p} .lu-bar label,#{p} .lu-nav label,#{p} .lu-play{{display:inline-block;min-width:44px;"
        f"min-height:36px;line-height:34px;text-align:center;border:1px solid {st.OUTLINE};border-radius:4px;"
        f"cursor:pointer;background:#fff;color:{st.TEXT};font:inherit;padding:0 10px;box-sizing:border-box}}"
        f"#{p} .lu-frame{{display:none;border-top:1px solid {st.OUTLINE};padding-top:6px}}"
        f"#{p} .lu-nav{{display:flex!important;justify-content:space-between;margin-top:6px}}"
        + gates
        + frames
    )


_SCRIPT = (
    "(function(){var s=document.currentScript,r=s&&s.parentElement;"
    "if(!r||!r.classList.contains('lu-step'))return;"
    "var i=r.querySelectorAll('input.lu-r'),bar=r.querySelector('.lu-bar');if(!bar||!i.length)return;"
    "var b=document.createElement('button');b.type='button';b.className='lu-play';b.textContent='\u25b6 Play';"
    "var t=null;function stop(){clearInterval(t);t=null;b.textContent='\u25b6 Play';}"
    "function next(){var k=0;for(var j=0;j<i.length;j++){if(i[j].checked)k=j;}"
    "if(k+1>=i.length){stop();return;}i[k+1].checked=true;if(k+2>=i.length)stop();}"
    "b.addEventListener('click',function(){if(t){stop();return;}"
    "if(i[i.length-1].checked)i[0].checked=true;else next();b.textContent='\u275a\u275a Pause';"
    "t=setInterval(next,1800);});"
    "r.addEventListener('change',function(){if(t)stop();});bar.appendChild(b);})();"
)


def _alt(frames, features, units):
    steps = len(frames)

    def vec(v):
        return "(" + ", ".join(_value(a) for a in v) + ")"

    per_step = "; ".join(
        f"step {t}: x_{t} = ({', '.join(_weight(a) for a in f['x_t'])}), h_{t} = {vec(f['h'])}, "
        f"c_{t} = {vec(f['c'])}"
        for t, f in enumerate(frames, start=1)
    )
    return (
        f"Step-through of an LSTM with {units} unit{'s' if units != 1 else ''} over {steps} timestep"
        f"{'s' if steps != 1 else ''} of {features} feature{'s' if features != 1 else ''}, one step at a time "
        f"with every number shown. At each step the input x_t ({features} numbers) and the previous output "
        f"h_t-1 ({units} numbers) are joined into one row of {features + units} numbers, multiplied by the "
        f"stacked weights [[W]; [U]] ({features + units} × {4 * units}) and added to b ({4 * units} numbers), "
        f"giving z: {4 * units} numbers in 4 gate blocks i, f, c-tilde, o of {units} each. The gates update "
        f"the cell state c_t = f ⊙ c_t-1 + i ⊙ c-tilde and the output h_t = o ⊙ tanh(c_t). {per_step}."
    )


def plot_step_through(x, kernel, recurrent_kernel, bias, *, initial_state=None):
    """Step through one sequence, one timestep per frame, every vector at its real size with its values.

    ``x`` is one sequence, ``(timesteps, features)``; ``kernel`` (W), ``recurrent_kernel`` (U) and ``bias`` (b)
    are Keras's ``(features, 4*units)``, ``(units, 4*units)`` and ``(4*units,)``; ``initial_state`` an optional
    ``[h0, c0]`` of ``(units,)`` arrays (zeros by default). Each frame shows ``[x_t | h_{t-1}]``, the four gate
    blocks of ``z = x_t W + h_{t-1} U + b`` unit by unit with their activations, and the new ``c_t`` and ``h_t``,
    computed with :func:`lstm_utils.lstm_step`; above the frames, the weights ``[[W]; [U]]`` and ``b`` in their
    gate blocks.

    Returns a ``CourseFigure`` shown as HTML; ``fig.frames`` holds every number shown (see :func:`step_frames`),
    so a chapter can assert them against Keras. Chapter 03::

        steps = lu.figures.plot_step_through(x[0], kernel, recurrent_kernel, bias)
        lu.assert_close(np.stack([f["h"] for f in steps.frames])[None], keras_seq, atol=1e-6,
                        label="step-through h_t vs Keras return_sequences")
        steps
    """
    frames = step_frames(x, kernel, recurrent_kernel, bias, initial_state)
    kernel, recurrent_kernel, bias, units = lstm_weights_shapes(
        kernel, recurrent_kernel, bias
    )
    features = kernel.shape[0]
    steps = len(frames)
    alt = _alt(frames, features, units)
    p = "lu-st-" + hashlib.sha256(alt.encode()).hexdigest()[:10]

    radios = "".join(
        f'<input class="lu-r" type="radio" name="{p}" id="{p}-r{t}" hidden '
        f'aria-label="step {t} of {steps}"{" checked" if t == 1 else ""}>'
        for t in range(1, steps + 1)
    )
    bar = (
        '<div class="lu-bar" hidden><span>Step:</span>'
        + "".join(f'<label for="{p}-r{t}">{t}</label>' for t in range(1, steps + 1))
        + "</div>"
    )
    sections = []
    for t, f in enumerate(frames, start=1):
        nav_prev = (
            f'<label for="{p}-r{t - 1}">◀ step {t - 1}</label>'
            if t > 1
            else "<span></span>"
        )
        nav_next = (
            f'<label for="{p}-r{t + 1}">step {t + 1} ▶</label>'
            if t < steps
            else "<span></span>"
        )
        gates = "".join(
            _gate_table(f, bias, g, k, units, t) for k, g in enumerate(st.GATES)
        )
        sections.append(
            f'<section class="lu-frame lu-f{t}" aria-label="step {t} of {steps}">'
            f"<h4>Step {t} of {steps}</h4>"
            f"<p>The input {_sub('x', str(t))} and the previous output {_sub('h', str(t - 1))} "
            f"{'(zeros: the start) ' if t == 1 and np.all(f['h_prev'] == 0) else ''}"
            f"are joined into one row:</p>"
            f"{_input_table(f, features, units, t)}"
            f"<p>z = [{_sub('x', str(t))} | {_sub('h', str(t - 1))}] [[W]; [U]] + b (weights below) has "
            f"{4 * units} numbers: 4 gate blocks i, f, c\u0303, o of {units}, one number per unit:</p>"
            f'<div class="lu-wrap">{gates}</div>'
            f"{_state_table(f, units, t)}"
            f'<div class="lu-nav" hidden>{nav_prev}{nav_next}</div></section>'
        )
    html = (
        f'<div class="lu-step" id="{p}" role="group" aria-label="{escape(f"LSTM step-through, {steps} steps")}">'
        f"<style>{_css(p)}</style>"
        f"<p><b>LSTM({units}) on {steps} timestep{'s' if steps != 1 else ''} of {features} "
        f"feature{'s' if features != 1 else ''}, one step at a time.</b> "
        f"W = kernel, U = recurrent_kernel, b = bias; gate blocks in Keras's order i, f, c\u0303, o.</p>"
        f"{radios}{bar}"
        f'<div class="lu-frames">{"".join(sections)}</div>'
        f"{_weights_block(kernel, recurrent_kernel, bias, units)}"
        f"<script>{_SCRIPT}</script></div>\n"
    )
    fig = CourseFigure(html=html, alt=alt, title=f"LSTM({units}) step-through")
    fig.frames = frames
    return fig
