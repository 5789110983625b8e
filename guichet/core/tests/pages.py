"""What a test reads of a page, shared by the apps' view tests."""

import html
import re


def page_html(response) -> str:
    """The page as a reader sees its characters: the HTML with its entities decoded."""
    return html.unescape(response.content.decode())


def page_words(response, *, tidy_punctuation: bool = False) -> str:
    """What a person reads: tags out, blanks collapsed (and, if asked, no blank before . or ,)."""
    words = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))
    return re.sub(r" ([.,])", r"\1", words) if tidy_punctuation else words
