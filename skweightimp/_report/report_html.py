"""Render a report, described as plain data, to one self-contained HTML page.

The page opens offline: styles are inline, images are ``data:`` URIs, there is no script
and no link to anything outside the page. This module is pure string work (no Keras, no
matplotlib, no pandas), so it is tested on hand-made documents.

A :class:`Document` holds headline facts and :class:`Section` objects; a section holds an
explanation (how to read it) and items: :class:`Table`, :class:`Image` and plain
paragraphs (``str``). Text is escaped; in explanations and paragraphs, ```code``` spans
become ``<code>`` and a blank line starts a new paragraph.
"""

import base64
import html
import math
import re
from dataclasses import dataclass, field
from numbers import Integral, Real

__all__ = ["Document", "Image", "Section", "Table", "format_value", "render_html"]


@dataclass
class Table:
    """A table: one labelled row per entry.

    Parameters
    ----------
    columns : list of str
        Column headers (the row labels' header is ``index_name``).
    rows : list of (label, values)
        One label and one value per column for each row.
    index_name : str, default=""
        Header of the row labels.
    highlight : str or None, default=None
        A column to emphasise (the report's main importance).
    bars : list of str, default=[]
        Columns drawn with an in-cell bar proportional to the value (signed values get
        a different colour when negative).
    caption : str, default=""
        Text above the table.
    key_value : bool, default=False
        A list of settings (label, value) rather than data: values are left-aligned
        whatever their type.

    Examples
    --------
    >>> from skweightimp._report.report_html import Document, Section, Table, render_html
    >>> table = Table(
    ...     ["importance", "rank"],
    ...     [("age", [0.75, 1]), ("color", [0.25, 2])],
    ...     index_name="feature",
    ...     highlight="importance",
    ...     bars=["importance"],
    ... )
    >>> page = render_html(Document("Demo", sections=[Section("scores", "Scores", items=[table])]))
    >>> page.count('<th scope="row">'), '<td class="num main barcell">' in page
    (2, True)
    """

    columns: list
    rows: list
    index_name: str = ""
    highlight: str = None
    bars: list = field(default_factory=list)
    caption: str = ""
    key_value: bool = False


@dataclass
class Image:
    """A picture embedded in the page as a ``data:`` URI.

    Parameters
    ----------
    data : bytes
        The encoded image (PNG, GIF, ...).
    mime : str
        Its media type, e.g. ``"image/png"``.
    alt : str
        Text for readers who cannot see it.
    caption : str, default=""
        Shown under the picture.

    Examples
    --------
    >>> from skweightimp._report.report_html import Document, Image, Section, render_html
    >>> gif = b"GIF89a"  # the bytes of an image file, e.g. from savefig(format="png")
    >>> image = Image(gif, "image/gif", alt="Weights over the epochs", caption="Epoch 1 to 3")
    >>> page = render_html(Document("Demo", sections=[Section("pictures", "Pictures",
    ...                                                       items=[image])]))
    >>> '<img src="data:image/gif;base64,R0lGODlh" alt="Weights over the epochs">' in page
    True
    >>> "<figcaption>Epoch 1 to 3</figcaption>" in page
    True
    """

    data: bytes
    mime: str
    alt: str
    caption: str = ""


@dataclass
class Section:
    """A titled part of the report.

    Parameters
    ----------
    id : str
        Anchor of the section (letters, digits, ``-``), linked from the contents.
    title : str
        Heading.
    explanation : str, default=""
        How to read the section, shown under the heading.
    items : list of Table, Image or str, default=[]
        The content, in order; a ``str`` is a paragraph.

    Examples
    --------
    >>> from skweightimp._report.report_html import Document, Section, render_html
    >>> section = Section(
    ...     "method", "How it works",
    ...     explanation="The weights are read after every epoch.",
    ...     items=["A paragraph with `code`.\\n\\nA second paragraph."],
    ... )
    >>> page = render_html(Document("Demo", sections=[section]))
    >>> '<section id="method">' in page, '<a href="#method">How it works</a>' in page
    (True, True)
    >>> '<p class="how">The weights are read after every epoch.</p>' in page
    True
    >>> page.count("<p>"), "<code>code</code>" in page
    (2, True)
    """

    id: str
    title: str
    explanation: str = ""
    items: list = field(default_factory=list)


@dataclass
class Document:
    """The whole report.

    Parameters
    ----------
    title : str
        Page title and main heading.
    subtitle : str, default=""
        A line under the heading.
    summary : list of (label, value), default=[]
        Headline facts shown as cards at the top.
    notes : list of str, default=[]
        Warnings a reader should see before the details.
    sections : list of Section, default=[]
        The body.
    footer : str, default=""
        A line at the bottom.

    Examples
    --------
    >>> import os, tempfile
    >>> from skweightimp._report.output import write_atomic
    >>> from skweightimp._report.report_html import Document, Section, render_html
    >>> document = Document(
    ...     "Feature importance",
    ...     subtitle="A demonstration",
    ...     summary=[("rows", 200), ("R²", 0.91234)],
    ...     notes=["Only 3 epochs: a short trajectory."],
    ...     sections=[Section("data", "Data", items=["200 rows, 3 features."])],
    ...     footer="Made by skweightimp",
    ... )
    >>> page = render_html(document)
    >>> page.startswith("<!DOCTYPE html>"), '<div class="value">0.9123</div>' in page
    (True, True)
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = os.path.join(folder, "report.html")
    ...     write_atomic(path, page)
    ...     os.listdir(folder)
    ['report.html']
    """

    title: str
    subtitle: str = ""
    summary: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    sections: list = field(default_factory=list)
    footer: str = ""


def format_value(value):
    """Text of a table cell: integers as they are, other numbers to 4 significant digits.

    Examples
    --------
    >>> from skweightimp._report.report_html import format_value
    >>> format_value(3), format_value(0.123456), format_value(float("nan")), format_value("a")
    ('3', '0.1235', '–', 'a')
    """
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Integral):
        return str(int(value))
    if isinstance(value, Real):
        value = float(value)
        if math.isnan(value):
            return "–"
        if value == 0:
            return "0"
        if value.is_integer() and abs(value) < 1e6:
            return str(int(value))
        return f"{value:.4g}"
    return str(value)


_CODE = re.compile(r"`([^`]+)`")


def _inline(text):
    return _CODE.sub(r"<code>\1</code>", html.escape(str(text)))


def _paragraphs(text, css_class=None):
    attribute = f' class="{css_class}"' if css_class else ""
    blocks = [block.strip() for block in re.split(r"\n\s*\n", str(text)) if block.strip()]
    return "\n".join(f"<p{attribute}>{_inline(' '.join(block.split()))}</p>" for block in blocks)


def _anchor(text):
    anchor = re.sub(r"[^A-Za-z0-9-]+", "-", str(text)).strip("-").lower()
    return anchor or "section"


def _number(value):
    return isinstance(value, Real) and not isinstance(value, bool)


def _header(text):
    # Long snake_case headers may wrap after an underscore instead of widening the table.
    return html.escape(str(text)).replace("_", "_<wbr>")


def _render_table(table):
    bar_scale = {}
    for column in table.bars:
        if column in table.columns:
            position = table.columns.index(column)
            values = [
                abs(float(row[1][position]))
                for row in table.rows
                if _number(row[1][position]) and math.isfinite(float(row[1][position]))
            ]
            bar_scale[position] = max(values, default=0.0)
    highlight = table.columns.index(table.highlight) if table.highlight in table.columns else None

    out = []
    if table.caption:
        out.append(f'<p class="caption">{_inline(table.caption)}</p>')
    kind = ' class="kv"' if table.key_value else ""
    out.append(f'<div class="table-wrap"><table{kind}>')
    if not (table.key_value and not table.index_name):
        # A plain list of settings needs no header row.
        header = [f'<th scope="col">{_header(table.index_name)}</th>']
        for i, column in enumerate(table.columns):
            css = ' class="main"' if i == highlight else ""
            header.append(f'<th scope="col"{css}>{_header(column)}</th>')
        out.append("<thead><tr>" + "".join(header) + "</tr></thead>")
    out.append("<tbody>")
    for label, values in table.rows:
        cells = [f'<th scope="row">{html.escape(str(label))}</th>']
        for i, value in enumerate(values):
            classes = []
            if _number(value) and not table.key_value:
                classes.append("num")
            if i == highlight:
                classes.append("main")
            css = f' class="{" ".join(classes)}"' if classes else ""
            text = html.escape(format_value(value))
            scale = bar_scale.get(i)
            if scale and _number(value) and math.isfinite(float(value)):
                width = 100.0 * abs(float(value)) / scale
                sign = " neg" if float(value) < 0 else ""
                text = (
                    f'<span class="bar{sign}" style="width:{width:.1f}%"></span>'
                    f'<span class="val">{text}</span>'
                )
                css = css[:-1] + ' barcell"' if css else ' class="barcell"'
            cells.append(f"<td{css}>{text}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table></div>")
    return "\n".join(out)


def _render_image(image):
    encoded = base64.b64encode(image.data).decode("ascii")
    mime = html.escape(image.mime)
    parts = [
        "<figure>",
        f'<img src="data:{mime};base64,{encoded}" alt="{html.escape(image.alt)}">',
    ]
    if image.caption:
        parts.append(f"<figcaption>{_inline(image.caption)}</figcaption>")
    parts.append("</figure>")
    return "\n".join(parts)


def _render_item(item):
    if isinstance(item, Table):
        return _render_table(item)
    if isinstance(item, Image):
        return _render_image(item)
    if isinstance(item, str):
        return _paragraphs(item)
    raise TypeError(f"A section item must be a Table, an Image or a str; got {type(item)}.")


_CSS = """
:root { --ink: #1d2733; --muted: #5b6775; --line: #d9dee4; --accent: #2f6fa7;
  --soft: #f3f6f9; --warn: #fff6db; --warn-line: #e5c24a; --bar: #9cc3e6; --neg: #f2a6a6; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff;
  font: 16px/1.55 -apple-system, "Segoe UI", Roboto, "DejaVu Sans", Helvetica, Arial, sans-serif; }
main { max-width: 1400px; margin: 0 auto; padding: 24px 28px 48px; }
header h1 { font-size: 1.9rem; margin: 0.2em 0 0.1em; }
header .subtitle { color: var(--muted); margin: 0 0 1em; }
h2 { font-size: 1.4rem; margin: 2.2em 0 0.4em; padding-bottom: 0.2em;
  border-bottom: 2px solid var(--line); }
p { margin: 0.5em 0; max-width: 78ch; }
p.how { color: var(--muted); background: var(--soft); border-left: 4px solid var(--accent);
  padding: 0.5em 0.9em; max-width: none; }
code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.9em;
  background: var(--soft); padding: 0 0.25em; border-radius: 3px; }
nav.toc { background: var(--soft); border: 1px solid var(--line); border-radius: 6px;
  padding: 0.6em 1em; margin: 1em 0; }
nav.toc ol { margin: 0.2em 0; padding-left: 1.4em; columns: 2; }
nav.toc a { color: var(--accent); text-decoration: none; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 1em 0; }
.card { flex: 1 1 140px; border: 1px solid var(--line); border-radius: 6px;
  padding: 0.6em 0.9em; background: #fff; }
.card .label { color: var(--muted); font-size: 0.85rem; }
.card .value { font-size: 1.25rem; font-weight: 600; overflow-wrap: anywhere; }
.notes { background: var(--warn); border: 1px solid var(--warn-line); border-radius: 6px;
  padding: 0.5em 1em; }
.notes p { margin: 0.3em 0; max-width: none; }
.table-wrap { overflow-x: auto; margin: 0.8em 0 1.2em; }
table { border-collapse: collapse; font-size: 0.9rem; }
p.caption { color: var(--muted); margin: 1em 0 0.2em; }
th, td { padding: 0.3em 0.45em; border-bottom: 1px solid var(--line); text-align: left;
  white-space: nowrap; }
thead th { background: var(--soft); border-bottom: 2px solid var(--line); white-space: normal;
  vertical-align: bottom; max-width: 7em; }
table.kv td { white-space: normal; overflow-wrap: anywhere; max-width: 60ch; }
table.kv thead th { max-width: none; }
tbody tr:nth-child(even) { background: #fafbfc; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
th.main, td.main { background: #eaf2fa; font-weight: 600; }
td.barcell { position: relative; min-width: 5em; }
td.barcell .bar { position: absolute; left: 0; top: 15%; height: 70%; background: var(--bar);
  opacity: 0.65; border-radius: 0 2px 2px 0; }
td.barcell .bar.neg { background: var(--neg); }
td.barcell .val { position: relative; }
figure { margin: 1em 0 1.6em; }
figure img { max-width: 100%; height: auto; border: 1px solid var(--line); border-radius: 4px; }
figcaption { color: var(--muted); font-size: 0.9rem; margin-top: 0.3em; }
footer { color: var(--muted); font-size: 0.85rem; margin-top: 3em;
  border-top: 1px solid var(--line); padding-top: 0.8em; }
@media print { nav.toc { display: none; } h2 { break-after: avoid; }
  figure { break-inside: avoid; } }
"""


def render_html(document):
    """Return the complete HTML page of ``document``.

    Parameters
    ----------
    document : Document
        What to show.

    Returns
    -------
    str
        A standalone HTML5 page: inline CSS, images as ``data:`` URIs, no script.

    Examples
    --------
    >>> from skweightimp._report.report_html import Document, Section, Table, render_html
    >>> page = render_html(Document(
    ...     "Demo",
    ...     sections=[Section("numbers", "Numbers", "Read `a` first.",
    ...                       [Table(["value"], [("a", [1.5])])])],
    ... ))
    >>> "<code>a</code>" in page and 'href="#numbers"' in page
    True
    """
    sections = []
    seen = set()
    for section in document.sections:
        anchor = _anchor(section.id)
        while anchor in seen:
            anchor += "-x"
        seen.add(anchor)
        sections.append((anchor, section))

    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(document.title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        "<main>",
        "<header>",
        f"<h1>{html.escape(document.title)}</h1>",
    ]
    if document.subtitle:
        parts.append(f'<p class="subtitle">{_inline(document.subtitle)}</p>')
    parts.append("</header>")
    if document.summary:
        parts.append('<div class="cards">')
        for label, value in document.summary:
            parts.append(
                f'<div class="card"><div class="label">{html.escape(str(label))}</div>'
                f'<div class="value">{html.escape(format_value(value))}</div></div>'
            )
        parts.append("</div>")
    if document.notes:
        parts.append('<div class="notes" role="note">')
        parts.extend(_paragraphs(note) for note in document.notes)
        parts.append("</div>")
    if sections:
        parts.append('<nav class="toc"><strong>Contents</strong><ol>')
        parts.extend(
            f'<li><a href="#{anchor}">{html.escape(section.title)}</a></li>'
            for anchor, section in sections
        )
        parts.append("</ol></nav>")
    for anchor, section in sections:
        parts.append(f'<section id="{anchor}">')
        parts.append(f"<h2>{html.escape(section.title)}</h2>")
        if section.explanation:
            parts.append(_paragraphs(section.explanation, "how"))
        parts.extend(_render_item(item) for item in section.items)
        parts.append("</section>")
    if document.footer:
        parts.append(f"<footer>{_inline(document.footer)}</footer>")
    parts += ["</main>", "</body>", "</html>", ""]
    return "\n".join(parts)
