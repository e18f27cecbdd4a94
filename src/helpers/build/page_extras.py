"""Sphinx extension: what every page of the site gets besides its content.

* **The PDF edition** in the download menu: the theme's ".pdf" item only opened the browser's
  print dialog; it now links the whole book's PDF (``book.pdf``, made by
  :mod:`helpers.build.pdf` after the HTML).
* **A meta description** (for search engines and link previews): the page's first paragraph,
  cut at a word before :data:`DESCRIPTION_LENGTH` characters; pages without one (search,
  index) get the book's description.
* **How to cite**, under the footer text of every page, with a link to the PDF edition.

Listed in ``_config.yml`` (``sphinx.config.extensions``) as ``helpers.build.page_extras``.
"""

from __future__ import annotations

import html
import re

DESCRIPTION_LENGTH = 160
BOOK_DESCRIPTION = (
    "An open, executable research book on China's bank bad-loan cycle: NPL disposals, the housing "
    "market, retail-loan risk and housing-finance policy, every figure sourced and recomputed."
)
PDF_FILE = "book.pdf"

_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)
_TAG = re.compile(r"<[^>]+>")


def first_paragraph(body: str) -> str:
    """The text of the first ``<p>`` of ``body`` with some words in it, tags removed."""
    for match in _PARAGRAPH.finditer(body or ""):
        text = " ".join(html.unescape(_TAG.sub("", match.group(1))).split())
        if len(text.split()) >= 5:
            return text
    return ""


def shorten(text: str, limit: int = DESCRIPTION_LENGTH) -> str:
    """``text`` cut at the last word boundary before ``limit`` characters, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:")
    return cut + "…"


def cite_note(title: str, author: str, year: str, pdf_url: str) -> str:
    """The footer's "how to cite" paragraph, as HTML."""
    return (
        '<p class="how-to-cite"><strong>How to cite:</strong> '
        f"{html.escape(author)} ({html.escape(year)}). <em>{html.escape(title)}</em>: an executable "
        f'research book. Also as a <a href="{html.escape(pdf_url)}">PDF edition</a>. '
        "Text CC BY 4.0, code MIT; citation metadata in the repository's CITATION.cff.</p>"
    )


def _page_context(app, pagename, templatename, context, doctree):
    pathto = context["pathto"]
    pdf_url = pathto(PDF_FILE, 1)
    for group in context.get("header_buttons", []):
        for button in group.get("buttons", []):
            if button.get("label") == "download-pdf-button":
                button.clear()
                button.update(
                    {
                        "type": "link",
                        "url": pdf_url,
                        "text": "PDF (book)",
                        "tooltip": "Download the whole book as a PDF",
                        "icon": "fas fa-file-pdf",
                        "label": "download-pdf-button",
                    }
                )
    metatags = context.get("metatags", "")
    if 'name="description"' not in metatags:
        description = shorten(first_paragraph(context.get("body", ""))) or BOOK_DESCRIPTION
        context["metatags"] = (
            metatags + f'\n    <meta name="description" content="{html.escape(description)}" />'
        )
    config = app.config
    title = config.html_title or config.project  # Jupyter Book sets html_title from `title`
    context["theme_extra_footer"] = (context.get("theme_extra_footer") or "") + cite_note(
        title, config.author, str(config.copyright), pdf_url
    )


def setup(app):
    # After sphinx-book-theme builds its header buttons (priority 501).
    app.connect("html-page-context", _page_context, priority=600)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
