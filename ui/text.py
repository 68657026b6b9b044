"""User text (titles, handles, file names) shown as text, never as Markdown or HTML."""

from __future__ import annotations

import re

import pandas as pd

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:&=])")
# Streamlit reads some forms in the text Markdown leaves once the escapes are taken off: links
# (www.x.com, http://x, a@b.c: remark-gfm), icons and emoji (:material/home:, :smile:) and arrows
# (->, <=, --). An invisible word joiner (U+2060) inside each form keeps it text: after a colon
# that a letter, digit or "/" follows, after the "@" of an address, between "www" and its dot, and
# between two of - < > = ~. Nothing else changes, so a handle ("@brand.x") copies as it shows.
_WORD_JOINER = "\u2060"
_STREAMLIT_FORMS = re.compile(
    r"(?<=:)(?=[\w/])|(?<=[\w.+\-]@)|(?i:(?<=www)(?=\\\.))|(?<=[-<>=~])(?=\\[-<>=~])"
)


def escape_md(text: object) -> str:
    """`text` with every Markdown/HTML-significant character escaped, for labels and captions: it
    shows as written, never as a link, an icon, a heading, a code block or markup.

    >>> escape_md("**bold** <b>")
    '\\\\*\\\\*bold\\\\*\\\\* \\\\<b\\\\>'
    """
    cleaned = re.sub("\r\n?", "\n", str(text).replace("\x00", ""))  # a lone CR breaks a line too
    # Bidirectional overrides can make a file name read backwards; show them as visible marks.
    cleaned = re.sub("[\u202a-\u202e\u2066-\u2069]", "\ufffd", cleaned)
    # A line that starts with four spaces is a code block: leading blanks carry nothing in a label.
    cleaned = re.sub(r"(?m)^[ \t]+", "", cleaned)
    return _STREAMLIT_FORMS.sub(_WORD_JOINER, _MARKDOWN_SPECIAL.sub(r"\\\1", cleaned))


def markdown_table(frame: pd.DataFrame) -> str:
    """A table of text as Markdown, every cell escaped (`escape_md`: a "|" stays inside its cell)
    and on one line; a missing value is an empty cell.

    For tables that only explain: Streamlit draws it with the page's text, where `st.table` and
    `st.dataframe` need ~0.8-1.3 MB of scripts of their own before anything on a first page shows.

    >>> print(markdown_table(pd.DataFrame({"KPI": ["Like rate"], "How": ["likes | views"]})))
    | KPI | How |
    | --- | --- |
    | Like rate | likes \\| views |
    """

    def cell(value: object) -> str:
        return "" if pd.isna(value) else " ".join(escape_md(value).split())

    lines = [
        "| " + " | ".join(cell(c) for c in frame.columns) + " |",
        "| " + " | ".join("---" for _ in frame.columns) + " |",
    ]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join(lines)
