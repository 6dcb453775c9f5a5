"""The first plugin `make test` loads (`-p tools.pytest_startup`, before the installed plugins).

nbval imports nbformat, and nbformat's jsonschema compiles the IRI grammars of rfc3987_syntax: about 0.7 s of CPU
in each of pytest's three processes (the controller and two workers), for a string format that notebook validation
never checks. The grader skips it the same way (coursework.skip_iri_grammars). Running pytest without this plugin
gives the same results, a little later."""

from coursework import skip_iri_grammars

skip_iri_grammars()
