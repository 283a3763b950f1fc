"""HTML: the page's main text (navigation, footers, scripts and styles removed)."""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser

from communique.readers.text import DecodeFailure, decode_text

_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE
)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""")
_SUPERSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "big5": "big5hkscs",
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
}
_BOILERPLATE = (
    "script, style, noscript, template, svg, nav, footer, header, aside, form, iframe, "
    "button, select, object, embed, canvas"
)
_BLOCKS = (
    "h1, h2, h3, h4, h5, h6, p, li, dt, dd, td, th, caption, pre, blockquote, figcaption, address"
)
_SPACE = re.compile(r"[ \t\r\f\v\u00a0]+")
_NEWLINES = re.compile(r"\s*\n\s*")
_TABLE_RULE = re.compile(r"\|?(?:\s*:?-{3,}:?\s*\|)+\s*:?-*:?\s*")


def decode_html(data: bytes) -> tuple[str, str]:
    """Bytes to markup: BOM or UTF-8 first, a declared charset when it decodes, then detection."""
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return decode_text(data)
    # Valid UTF-8 with non-ASCII bytes is no accident, whatever an old <meta> says.
    try:
        text = data.decode("utf-8")
        if "\x00" not in text:
            return text, "utf-8"
    except UnicodeDecodeError:
        pass
    head = data[:4096]
    m = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    if m:
        declared = m.group(1).decode("ascii", "replace").lower()
        # As browsers do: a declared legacy charset means its superset.
        codec = _SUPERSETS.get(declared, declared)
        try:
            return data.decode(codec), codec
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_text(data)


def html_text(markup: str) -> tuple[str, str | None]:
    """Main text as blank-line separated paragraphs, and the page's <title>."""
    tree = LexborHTMLParser(markup)
    title_node = tree.css_first("title")
    title = " ".join(title_node.text().split()) if title_node else None
    # trafilatura keeps everything of a short page, menus included: the
    # boilerplate goes first, whatever extracts the text afterwards.
    for node in tree.css(_BOILERPLATE):
        node.decompose()
    text = _trafilatura(tree.html or "") or fallback_text(tree)
    if not text.strip():
        raise DecodeFailure("no text in HTML page")
    return text, title or None


def _trafilatura(markup: str) -> str:
    import trafilatura

    out = trafilatura.extract(
        markup,
        include_formatting=False,
        include_comments=False,
        include_tables=True,
        include_links=False,
        include_images=False,
        output_format="txt",
    )
    if not out:
        return ""
    # One line per block in trafilatura's text: make each block a paragraph, and
    # each cell of its Markdown-like table rows ("| a | b |") one too.
    blocks: list[str] = []
    for line in out.split("\n"):
        line = _SPACE.sub(" ", line).strip()
        if _TABLE_RULE.fullmatch(line):
            continue
        if line.startswith("|") and line.endswith("|") and len(line) > 1:
            blocks.extend(cell.strip() for cell in line[1:-1].split("|"))
        else:
            blocks.append(line)
    return "\n\n".join(block for block in blocks if block)


def fallback_text(tree: LexborHTMLParser) -> str:
    """Block-level text (boilerplate already removed), when trafilatura finds no main content."""
    root = tree.body or tree.root
    if root is None:
        return ""
    for br in root.css("br"):
        br.replace_with("\n")
    blocks: list[str] = []
    nodes = root.css(_BLOCKS)
    for node in nodes:
        # The innermost blocks carry the text; outer ones would repeat it.
        # (lexbor's css() on a node includes the node itself.)
        if len(node.css(_BLOCKS)) > 1:
            continue
        text = _SPACE.sub(" ", node.text(deep=True, separator="")).strip()
        if text:
            blocks.append(_NEWLINES.sub(" ", text))
    if blocks:
        return "\n\n".join(blocks)
    text = root.text(deep=True, separator="")
    lines = [_SPACE.sub(" ", line).strip() for line in text.split("\n")]
    return "\n\n".join(line for line in lines if line)
