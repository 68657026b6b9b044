"""User text (titles, handles, file names) shown as text, never as Markdown or HTML."""

from __future__ import annotations

import re

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:])")


def escape_md(text: object) -> str:
    """`text` with every Markdown/HTML-significant character escaped, for labels and captions.

    >>> escape_md("**bold** <b>")
    '\\\\*\\\\*bold\\\\*\\\\* \\\\<b\\\\>'
    """
    cleaned = str(text).replace("\x00", "")
    # Bidirectional overrides can make a file name read backwards; show them as visible marks.
    cleaned = re.sub("[\u202a-\u202e\u2066-\u2069]", "\ufffd", cleaned)
    return _MARKDOWN_SPECIAL.sub(r"\\\1", cleaned)
