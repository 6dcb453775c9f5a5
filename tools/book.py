"""`python -m tools.book build ...` is `jupyter-book build ...`, minus one import it never uses.

jupyter-book imports jsonschema, which compiles the IRI grammars of rfc3987_syntax at import: about 0.7 s of a
3-5 s build, for a string format that jupyter-book's config schema does not use (coursework.skip_iri_grammars).
`make book` and the browser test both build the site with this command."""

import sys

from coursework import skip_iri_grammars

skip_iri_grammars()

from jupyter_book.cli.main import main  # noqa: E402 (after the skip, on purpose)

if __name__ == "__main__":
    sys.exit(main())
