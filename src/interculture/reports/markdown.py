"""An expert's Markdown as safe HTML: rendered (CommonMark, raw HTML off), then sanitised by nh3."""

import nh3
from markdown_it import MarkdownIt

_markdown = MarkdownIt("commonmark", {"html": False})
ALLOWED_TAGS = {
    "p",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "a",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "code",
    "br",
}


# The section's own title is an h2: an expert's headings sit below it (# -> h3, ## -> h4...).
_DEMOTE = {f"h{n}": f"h{min(n + 2, 6)}" for n in range(1, 7)}


def markdown_html(text: str) -> str:
    tokens = _markdown.parse(text)
    for token in tokens:
        if token.tag in _DEMOTE and token.type in ("heading_open", "heading_close"):
            token.tag = _DEMOTE[token.tag]
    html = _markdown.renderer.render(tokens, _markdown.options, {})
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes={"a": {"href"}}, link_rel="noopener")
