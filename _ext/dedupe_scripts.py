"""Drop exact duplicate <script> entries from every page.

Under Jupyter Book 1.0.4, sphinx-thebe 0.3.1's inline configuration script reaches each page twice, and the
second `const THEBE_JS_URL = ...` is a JavaScript error in every reader's console ("Identifier
'THEBE_JS_URL' has already been declared"). Identical entries are removed; nothing else changes.
"""


def _key(script):
    attributes = getattr(script, "attributes", {})
    # An inline script's filename is None in one copy and "" in the other: both mean "no file".
    return str(getattr(script, "filename", script) or ""), repr(sorted(attributes.items()))


def dedupe_scripts(app, pagename, templatename, context, doctree):
    seen = set()
    kept = []
    for script in context.get("script_files", []):
        if _key(script) not in seen:
            seen.add(_key(script))
            kept.append(script)
    context["script_files"][:] = kept    # in place: handlers after this one (e.g. MathJax) add to this list


def setup(app):
    # Early: the duplicates are there before any handler runs, and this event stops at the first handler
    # that returns a value, so a late handler might never be called.
    app.connect("html-page-context", dedupe_scripts, priority=100)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
