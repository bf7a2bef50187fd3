"""Markdown → sanitized HTML for articles (markdown-it-py, then nh3 with an allow-list)."""

from urllib.parse import urlsplit

import nh3
from markdown_it import MarkdownIt

# CommonMark plus tables and strikethrough; raw HTML in the source is escaped by markdown-it
# ("html": False) and whatever still gets through is cleaned by nh3 below.
_MD = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable(["table", "strikethrough"])

TAGS = {
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "blockquote",
    "ul", "ol", "li", "strong", "em", "s", "del", "code", "pre", "a", "img",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "th": {"style"},
    "td": {"style"},
    "ol": {"start"},
    "code": {"class"},
}
URL_SCHEMES = {"http", "https", "mailto"}


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        return value if _is_safe_image(value) else None
    if attribute == "style":
        return (
            value if value in {"text-align:left", "text-align:center", "text-align:right"} else None
        )
    if tag == "code" and attribute == "class":
        return value if value.startswith("language-") else None
    return value


def _is_safe_image(url: str) -> bool:
    """Images only from this site (relative) or over https."""
    parts = urlsplit(url.strip())
    if parts.scheme:
        return parts.scheme == "https" and bool(parts.netloc)
    return not parts.netloc  # no protocol-relative //host/… either


def render_markdown(source: str) -> str:
    html = _MD.render(source or "")
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener nofollow",
        attribute_filter=_filter_attribute,
    )


def clean_snippet(html: str) -> str:
    """A search snippet: text with ``<mark>`` only."""
    return nh3.clean(html or "", tags={"mark"}, attributes={})
