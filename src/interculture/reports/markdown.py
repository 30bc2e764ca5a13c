"""An expert's Markdown as safe HTML: rendered (CommonMark, raw HTML off), then sanitised by nh3."""

import nh3
from markdown_it import MarkdownIt

_markdown = MarkdownIt("commonmark", {"html": False})
ALLOWED_TAGS = {"p", "ul", "ol", "li", "strong", "em", "a", "h3", "h4", "blockquote", "code", "br"}


def markdown_html(text: str) -> str:
    return nh3.clean(
        _markdown.render(text), tags=ALLOWED_TAGS, attributes={"a": {"href"}}, link_rel="noopener"
    )
