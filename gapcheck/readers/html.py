"""HTML reader: the policy text of a web page, with headings, list items and table rows as lines.

Two extractions of the same page are compared:

- the *main content* found by trafilatura (a maintained boilerplate remover, lxml-based), and
- all *visible text*, read with the standard library's tokenizer (no depth limit: libxml2 stops at
  256 levels of nesting, html.parser does not), which drops scripts, styles, navigation, embedded
  objects and form controls but keeps the text inside forms (ASP.NET wraps a whole page in one).

The output is always made of the visible text's own lines (one formatting for every page), and
trafilatura decides only where the policy starts and ends on a page with substantial boilerplate
around it (a main content between `MAIN_SHARE` and `NEARLY_ALL` of the visible text): the visible
lines from its first to its last matched block are kept, so nothing it drops *inside* the policy is
lost. A main content that is a small share of the page is a wrong pick (a consent dialog, a teaser,
a page it could not read), and a report on it would say "missing" for requirements the page meets;
one that is nearly all of the page leaves nothing worth trimming, and what it trims from a clean
page is policy text (a trailing heading, a short line). Extra navigation text costs far less than
lost policy text.

Cookie banners and consent dialogs are removed from both before anything else: elements whose id,
class or aria-label name a consent manager (OneTrust, Cookiebot, ...) or say cookie/consent plus
banner/notice/dialog..., and dialogs (role=dialog/alertdialog, aria-modal) whose text speaks of
cookies. Neither extraction opens a URL: trafilatura gets an already-parsed tree and no URL, and
the lxml parser runs with network access off.

Lines: a heading `## Title` (so the segmenter sees it), a list item `- item`, a table row
`| cell | cell |` (a legal-bases table reads row by row), one blank line between other blocks.
"""

from __future__ import annotations

import logging
import re
from html.parser import HTMLParser
from typing import Any

from gapcheck.readers.text import Extracted, decode, one_line

__all__ = ["HTML_SUFFIXES", "MAIN_SHARE", "NEARLY_ALL", "RAW_FACTOR", "html_to_text", "looks_like_html", "page_in",
           "read"]

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
#: A web page may be this many times the text limit: markup, inline styles and scripts are most of
#: a real page (a 2.2 MB page held 120 KB of text); the extracted text is held to the limit itself.
RAW_FACTOR = 10

#: The main content must hold this share of the page's visible text (in characters). Policy pages
#: measured: 60-95% when trafilatura finds the policy (navigation and footers are short beside a
#: 5-40 KB policy), under 20% when it picks the wrong block. 40% sits between the two.
MAIN_SHARE = 0.4
#: A main content with this share of the visible text or more leaves nothing worth trimming.
NEARLY_ALL = 0.8
#: A banner or dialog longer than this is content (a "Cookie notice" section of the policy), not a
#: pop-up, unless its attributes name a consent-manager product.
MAX_BANNER_CHARS = 4000

Block = tuple[str, str]  # (kind, line): kind is heading, para, item or row


#: A page's own start inside something else: a web framework's route file that returns the page
#: ("const html = `<!DOCTYPE html>"), or a note pasted above a saved page.
_EMBEDDED_PAGE = re.compile(r"""(?:^|[`'"=(>\s])(<(?:!doctype\s+html|html))\b""", re.IGNORECASE)
_PAGE_END = re.compile(r"</html\s*>", re.IGNORECASE)


def looks_like_html(text: str, strict: bool = False) -> bool:
    """A web page whatever its name; `strict` (for .txt/.md) needs the page to start like one, or
    to open near the top and run to its closing tag with a body between: read as text, its
    markup would be quoted as evidence and its headings would not scope the sections under them."""
    return page_in(text, strict) is not None


def page_in(text: str, strict: bool = False) -> str | None:
    """The web page `text` holds (as looks_like_html decides), without the code or note around a page
    embedded near its top, which is not the policy; None when it holds none."""
    head = text[:2048].lstrip().lower()
    if head.startswith(("<!doctype html", "<html")):
        return text
    span = _embedded_page(text)
    if span is not None:
        return text[span[0]:span[1]]
    return text if not strict and "<body" in head else None


def _embedded_page(text: str) -> tuple[int, int] | None:
    """Where a page opened near the top of something else starts and ends, if it has a body."""
    m = _EMBEDDED_PAGE.search(text, 0, 4096)
    if m is None:
        return None
    end = _PAGE_END.search(text, m.end())
    if end is None or "<body" not in text[m.end():end.start()].lower():
        return None
    return m.start(1), end.end()


def read(data: bytes, source: str = "<html>") -> Extracted:
    """The common reader interface: decode (any common encoding), then extract the policy text."""
    html = decode(data, source)
    return Extracted(html_to_text(html), (), "html", page_title(html))


_TITLE = re.compile(r"<title\b[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)


def page_title(html: str) -> str | None:
    """The page's <title> (unescaped, one line, at most 120 characters): navigation and sidebar rows
    that come first in the extracted text make a poor title for the report."""
    import html as htmllib

    m = _TITLE.search(html, 0, 200_000)
    if not m:
        return None
    t = " ".join(htmllib.unescape(re.sub(r"<[^>]*>", "", m.group(1))).split())
    return t[:120] or None


#: Server template code left in a page's source ("<?= $this->element("nav-dark") ?>"): a parser takes it for a
#: processing instruction and ends it at the first ">", leaving its tail as text; shown whole as text instead,
#: so the drafting check can name it.
_SERVER_CODE = re.compile(r"<\?(?:php\b|=)[^\n]*?\?>", re.IGNORECASE)


def html_to_text(html: str) -> str:
    """Policy text of a page: the visible text, trimmed to the part trafilatura finds to be the
    main content when the page has substantial boilerplate around it."""
    if "<?" in html:
        import html as htmllib

        html = _SERVER_CODE.sub(lambda m: htmllib.escape(m.group(0), quote=False), html)
    visible = _visible_blocks(html)
    main = _main_blocks(html)
    return _join(_choose(main, visible))


def _choose(main: list[Block] | None, visible: list[Block]) -> list[Block]:
    """The blocks to keep: always the visible text's own blocks (one formatting for every page).

    trafilatura only decides where the policy starts and ends: its main content is matched back to
    the visible blocks and the span from the first to the last match is kept, so a heading or a
    short line that trafilatura drops *inside* the policy is not lost. Its answer is not used when
    it is a small share of the page (`MAIN_SHARE`: a wrong pick) or nearly all of it
    (`NEARLY_ALL`: nothing worth trimming, and what it trims from a clean page is policy text).
    """
    if not main:
        return visible
    m, v = _chars(main), _chars(visible)
    if m < MAIN_SHARE * v or m >= NEARLY_ALL * v:
        return visible
    keys = {_key(line) for _, line in main}
    hits = [i for i, (_, line) in enumerate(visible) if _key(line) in keys]
    if not hits:
        return visible
    a, b = hits[0], hits[-1]
    while a > 0 and visible[a - 1][0] == "heading":  # the title above the first paragraph
        a -= 1
    if all(kind == "heading" for kind, _ in visible[b + 1:]):  # trailing headings with nothing after
        b = len(visible) - 1
    return _header_above(visible, a) + visible[a:b + 1]


#: "Last updated: January 2023", "Effective date: 1 May 2024": the notice's own date line.
_DATE_LINE = re.compile(r"^\W*(?:last\s+(?:updated?|modified|revised|changed)|effective(?:\s+date)?|updated(?:\s+on)?|"
                        r"revised(?:\s+on)?|version\s+date)\b[^\n]{0,40}?\b(?:19|20)\d\d\b\W*$", re.IGNORECASE)
_POLICY_HEADING = re.compile(r"\b(?:privacy|data\s+protection|cookie)\b[^\n]{0,30}\b(?:policy|notice|statement)\b|"
                             r"^\W*(?:privacy|policy)\W*$", re.IGNORECASE)


def _dated_header(blocks: list[Block]) -> list[Block]:
    """What to keep of a page header or footer: its date line and the policy heading just above it, when it
    has a date line; nothing otherwise (menus, logos, sign-in links)."""
    for i, (_kind, line) in enumerate(blocks):
        if len(line) <= 120 and _DATE_LINE.match(_PREFIX.sub("", line)):
            head = [blocks[i - 1]] if i > 0 and blocks[i - 1][0] == "heading" and \
                _POLICY_HEADING.search(blocks[i - 1][1]) else []
            return head + [blocks[i]]
    return []


def _header_above(visible: list[Block], a: int) -> list[Block]:
    """The notice's own header when a block trafilatura skipped (links to sections, a search box) stands
    between it and the first paragraph kept: its title and its "Last updated" line are the notice's, and
    without them the report says the notice has no date. Only a date line (and the policy heading just
    above it) within the few blocks before the kept span is taken."""
    return _dated_header(visible[max(0, a - 15):a])


_PREFIX = re.compile(r"^(?:#{1,6} |- )")


def _key(line: str) -> str:
    """A line without its heading or bullet mark, for matching the two extractions' blocks."""
    return _PREFIX.sub("", line).casefold()


def _chars(blocks: list[Block]) -> int:
    return sum(len(line) for _, line in blocks)


def _join(blocks: list[Block]) -> str:
    """One blank line between blocks; list items and table rows stay together, like .docx."""
    out: list[str] = []
    prev = ""
    for kind, line in blocks:
        if out and not (kind == prev and kind in ("item", "row")):
            out.append("")
        out.append(line)
        prev = kind
    return "\n".join(out) + "\n" if out else ""


def _norm(s: str) -> str:
    return " ".join(one_line(s).split())


# --------------------------------------------------------------------------- consent banners

_VENDOR = re.compile(r"onetrust|optanon|cookiebot|cybotcookie|cookieyes|cky-consent|didomi|usercentrics|trustarc"
                     r"|truste[-_]|osano|iubenda|qc-cmp|sp_message|cookiefirst|cookiehub|borlabs"
                     r"|complianz|cmplz|klaro|tarteaucitron|consentmanager|cookie-?script|cookie-?law-?info"
                     r"|gdpr-?banner|cc-window|cc-banner", re.IGNORECASE)
_TOKEN = re.compile(r"[a-z]+")
_TOPIC = {"cookie", "cookies", "consent", "gdpr", "cmp"}
_POPUP = {"banner", "bar", "notice", "notification", "popup", "pop", "modal", "dialog", "overlay", "consent",
          "alert", "wall", "prompt", "message", "msg", "accept", "box", "layer", "window", "toast", "sdk", "manager"}
#: The same vendors also host the policy itself (iubenda_policy, cmplz-document, CookieDeclaration):
#: an element named like one of these is content, never a banner.
_CONTENT = {"policy", "document", "declaration", "statement", "privacy"}
_COOKIE_WORDS = re.compile(r"cookie|consent|tracking technolog", re.IGNORECASE)


def _consent_rule(attrs: dict[str, str]) -> str | None:
    """'vendor' (always dropped), 'banner' or 'dialog' (dropped when short / about cookies), or None."""
    names = " ".join(attrs.get(k, "") for k in ("id", "class", "aria-label", "aria-labelledby",
                                                  "aria-describedby", "data-testid"))
    tokens = set(_TOKEN.findall(names.lower()))
    if not tokens & _CONTENT:
        if _VENDOR.search(names):
            return "vendor"
        if tokens & _TOPIC and tokens & _POPUP and tokens != {"consent"}:
            return "banner"
    if attrs.get("role", "").lower() in ("dialog", "alertdialog") or attrs.get("aria-modal", "").lower() == "true":
        return "dialog"
    return None


def _drop(rule: str, text: str) -> bool:
    if rule == "vendor":
        return True
    if len(text) > MAX_BANNER_CHARS:
        return False
    return rule == "banner" or bool(_COOKIE_WORDS.search(text))


# --------------------------------------------------------------------------- visible text (html.parser)

_SKIP = {"script", "style", "noscript", "template", "iframe", "frame", "frameset", "svg", "math", "object",
         "embed", "applet", "canvas", "audio", "video", "map", "head", "title", "nav", "menu", "aside",
         "button", "select", "option", "optgroup", "textarea", "datalist", "output", "dialog"}
_PAGE_CHROME = {"header", "footer"}  # dropped outside <article>/<main>, where they hold the title or a date
_BLOCK = {"p", "div", "section", "article", "main", "hr", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre",
          "address", "figure", "figcaption", "body", "html", "li", "h1", "h2", "h3", "h4", "h5", "h6", "caption",
          "summary", "details", "form", "fieldset", "legend", "header", "footer", "table", "center"}
_VOID = {"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed", "source", "track", "wbr",
         "param", "keygen"}


class _Visible(HTMLParser):
    """Visible text as blocks; never deeper than a list of open states, whatever the nesting."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[Block] = []
        self.cur: list[str] = []
        self.kind = "para"
        self.prefix = ""
        self.skip_stack: list[str] = []
        self.captures: list[list[Any]] = []  # [tag, depth, index into out, rule]
        self.content = 0  # open <article>/<main> elements
        self.rows: list[list[str] | None] = []  # per open table: the cells of the row being read
        self.cell_open: list[bool] = []  # per open table: whether a cell of that row is being read

    # ---- output
    def _flush(self) -> None:
        line = _norm("".join(self.cur))
        if line:
            self.out.append((self.kind, self.prefix + line))
        self.cur, self.kind, self.prefix = [], "para", ""

    def _end_cell(self) -> None:
        row = self.rows[-1] if self.rows else None
        if row is not None:
            if self.cell_open[-1]:
                row.append(_norm("".join(self.cur)))
            self.cur = []  # text between cells (whitespace, stray text) is not a cell
            self.cell_open[-1] = False

    def _end_row(self) -> None:
        if self.rows and self.rows[-1] is not None:
            self._end_cell()
            cells = self.rows[-1] or []
            self.rows[-1] = None
            if any(cells):
                self.out.append(("row", "| " + " | ".join(cells) + " |"))

    def _leave_row_mode(self) -> None:
        """Block content inside a cell: a layout table, read as blocks rather than as one row."""
        row = self.rows[-1] if self.rows else None
        if row is not None:
            self.rows[-1] = None
            self.cell_open[-1] = False
            for cell in row:
                if cell:
                    self.out.append(("para", cell))

    # ---- parsing
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            self.handle_startendtag(tag, attrs)
            return
        if self.skip_stack:
            self.skip_stack.append(tag)
            return
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag in _SKIP:
            self.skip_stack.append(tag)
            return
        for cap in self.captures:
            if cap[0] == tag:
                cap[1] += 1
        # page chrome outside <article>/<main> is dropped, except the notice's own title and date line that a
        # page may put in a <header> of its own ("<header class='policy-header'><h1>PRIVACY POLICY</h1><p>Last
        # updated: January 2023</p>")
        rule = "chrome" if tag in _PAGE_CHROME and not self.content else _consent_rule(a)
        if rule is not None:
            self._flush()
            self.captures.append([tag, 1, len(self.out), rule])
        if tag in ("article", "main"):
            self.content += 1
        if tag == "table":
            self._flush()
            self.rows.append(None)
            self.cell_open.append(False)
            return
        if tag == "tr" and self.rows:
            self._end_row()
            self._flush()
            self.rows[-1] = []
            return
        if tag in ("td", "th"):
            if self.rows and self.rows[-1] is not None:
                self._end_cell()
                self.cell_open[-1] = True
            else:
                self._flush()
            return
        if tag in _BLOCK:
            self._leave_row_mode()
            # <li><p>text</p></li>: the paragraph is the item's first line and keeps its "- "
            in_item = self.kind == "item" and not "".join(self.cur).strip()
            self._flush()
            if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                self.kind, self.prefix = "heading", "#" * int(tag[1]) + " "
            elif tag == "li" or (in_item and tag in ("p", "div")):
                self.kind, self.prefix = "item", "- "

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "hr") and not self.skip_stack:
            if self.rows and self.rows[-1] is not None:
                self.cur.append(" ")
            else:
                kind = self.kind
                self._flush()
                if kind == "item":  # a line break inside a list item continues the item
                    self.kind, self.prefix = "para", ""

    def handle_endtag(self, tag: str) -> None:
        if self.skip_stack:
            if tag in self.skip_stack:
                while self.skip_stack and self.skip_stack.pop() != tag:
                    pass
            return
        if tag in ("article", "main"):
            self.content = max(0, self.content - 1)
        if tag == "tr" and self.rows:
            self._end_row()
        elif tag == "table" and self.rows:
            self._end_row()
            self.rows.pop()
            self.cell_open.pop()
        elif tag in _BLOCK:
            if not (self.rows and self.rows[-1] is not None):
                self._flush()
        for cap in self.captures:  # every open capture counted this tag's start: all count its end
            if cap[0] == tag:
                cap[1] -= 1
        for i in range(len(self.captures) - 1, -1, -1):
            if self.captures[i][1] <= 0:
                self._flush()
                self._decide(i)

    def _decide(self, i: int) -> None:
        _, _, start, rule = self.captures.pop(i)
        if rule == "chrome":
            self.out[start:] = _dated_header(self.out[start:])
            return
        text = " ".join(line for _, line in self.out[start:])
        if _drop(rule, text):
            del self.out[start:]

    def handle_data(self, data: str) -> None:
        if not self.skip_stack:
            self.cur.append(data)

    def finish(self) -> list[Block]:
        self.close()
        while self.rows:
            self._end_row()
            self.rows.pop()
            self.cell_open.pop()
        self._flush()
        while self.captures:  # never closed: decide on what it holds
            self._decide(len(self.captures) - 1)
        return self.out


def _visible_blocks(html: str) -> list[Block]:
    parser = _Visible()
    parser.feed(html)
    return parser.finish()


# --------------------------------------------------------------------------- main content (trafilatura)

#: Removed before trafilatura sees the tree: what the visible text drops too (trafilatura would keep
#: <template> text, and its fallback extractors keep navigation).
_REMOVE = ["nav", "menu", "aside", "dialog", "script", "style", "noscript", "template", "iframe", "frame",
           "frameset", "svg", "math", "object", "embed", "applet", "canvas", "audio", "video", "button",
           "select", "option", "optgroup", "textarea", "datalist", "input", "output"]
#: Unwrapped (tag gone, text kept): trafilatura drops forms, fieldsets, labels and <time> elements,
#: and with them a whole ASP.NET page or the date in "Last updated: <time>...</time>".
_UNWRAP = ["form", "fieldset", "legend", "label", "time"]


def _main_blocks(html: str) -> list[Block] | None:
    """trafilatura's main content as blocks, or None when it finds none (or is not installed)."""
    try:
        import lxml.etree
        import lxml.html
        import trafilatura
    except ImportError:  # pragma: no cover - a core dependency; the visible text still works
        return None
    # trafilatura logs the pages it gives up on ("discarding data", "empty HTML tree"); for us that
    # only means the visible text is used, and stderr must stay one line on error (exit 2) or empty.
    for name in ("trafilatura", "htmldate", "courlan", "justext", "readability"):
        logging.getLogger(name).setLevel(logging.CRITICAL + 1)
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True,
                                  collect_ids=False, default_doctype=False)
    try:
        tree = lxml.html.document_fromstring(html.encode("utf-8", errors="replace"), parser=parser)
    except (lxml.etree.ParserError, ValueError):
        return None
    lxml.etree.strip_elements(tree, *_REMOVE, with_tail=False)
    lxml.etree.strip_tags(tree, *_UNWRAP)
    for el in list(tree.iter("header", "footer")):  # page chrome, as in the visible text
        if el.getparent() is not None and next(el.iterancestors("article", "main"), None) is None:
            el.drop_tree()
    for el in list(tree.iter("*")):
        rule = _consent_rule({k.lower(): v for k, v in el.attrib.items()})
        if rule is not None and el.getparent() is not None and _drop(rule, _norm(el.text_content())):
            el.drop_tree()
    try:
        doc = trafilatura.bare_extraction(tree, include_tables=True, include_formatting=True, include_comments=False,
                                          include_links=False, include_images=False, with_metadata=False,
                                          favor_recall=True, deduplicate=False)
    except (ValueError, TypeError, AttributeError, RecursionError):  # pragma: no cover - defensive
        return None
    body = getattr(doc, "body", None)
    if body is None:
        return None
    blocks: list[Block] = []
    _walk_main(body, blocks)
    return blocks


_MAIN_BLOCKS = {"p", "head", "list", "table", "quote", "code"}


def _text_lines(el: Any) -> list[str]:
    """The text of an element, split at its <lb/> line breaks."""
    parts: list[str] = []
    for node in el.iter():
        if node is not el and node.tag == "lb":
            parts.append("\n")
        elif node is el or node.tag not in ("list", "table"):
            parts.append(node.text or "")
        if node is not el:
            parts.append(node.tail or "")
    return [s for s in (_norm(x) for x in "".join(parts).split("\n")) if s]


def _walk_main(el: Any, blocks: list[Block]) -> None:
    for child in el:
        tag = child.tag
        if tag == "head":
            rend = child.get("rend") or "h2"
            level = int(rend[1]) if len(rend) == 2 and rend[1].isdigit() else 2
            text = _norm("".join(child.itertext()))
            if text:
                blocks.append(("heading", "#" * max(1, min(level, 6)) + " " + text))
        elif tag == "list":
            for item in child.iter("item"):
                line = _norm(" ".join(_item_text(item)))
                if line:
                    blocks.append(("item", "- " + line))
        elif tag == "table":
            for row in child.findall("row"):
                cells = row.findall("cell")
                if any(sub.tag in _MAIN_BLOCKS for c in cells for sub in c):
                    for c in cells:  # a layout row (cells hold paragraphs): its cells are blocks
                        lead = _norm(c.text or "")
                        if lead:
                            blocks.append(("para", lead))
                        _walk_main(c, blocks)
                    continue
                texts = [_norm("".join(c.itertext())) for c in cells]
                if any(texts):
                    blocks.append(("row", "| " + " | ".join(texts) + " |"))
        elif tag in ("p", "quote", "code", "hi", "ref", "del"):
            blocks.extend(("para", line) for line in _text_lines(child))
        elif len(child):
            _walk_main(child, blocks)
        else:
            text = _norm("".join(child.itertext()))
            if text:
                blocks.append(("para", text))


def _item_text(item: Any) -> list[str]:
    """A list item's own text, without the items of a list nested in it (they get their own lines)."""
    parts = [item.text or ""]
    for sub in item:
        if sub.tag != "list":
            parts.append("".join(sub.itertext()))
        parts.append(sub.tail or "")
    return parts
