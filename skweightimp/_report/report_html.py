"""Render a report, described as plain data, to one self-contained HTML page.

The page opens offline: styles are inline, images are ``data:`` URIs, there is no script
and no link to anything outside the page. The page is a Jinja2 template with
autoescaping (``templates/report.html``, its tables and figures in ``templates/items.html``,
its style sheet in ``templates/report.css``); this module only turns the document into
what the templates draw (no Keras, no matplotlib, no pandas), so it is tested on
hand-made documents.

A :class:`Document` holds headline facts and :class:`Section` objects; a section holds an
explanation (how to read it) and items: :class:`Table`, :class:`Image` and plain
paragraphs (``str``). Text is escaped; in explanations and paragraphs, ```code``` spans
become ``<code>`` and a blank line starts a new paragraph.
"""

import base64
import functools
import html
import math
import re
from dataclasses import dataclass, field
from numbers import Integral, Real

import jinja2
from markupsafe import Markup

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


def _escape(value):
    # Every ``{{ value }}`` of the templates passes through here (the environment's
    # ``finalize``) before autoescaping: html.escape, the escaping the page has always
    # used (``&#x27;``, not markupsafe's ``&#39;``). Markup (the filters' and the macros'
    # output, the style sheet) is already safe and passes unchanged.
    if isinstance(value, Markup):
        return value
    return Markup(html.escape(str(value)))


def _inline(text):
    return Markup(_CODE.sub(r"<code>\1</code>", html.escape(str(text))))


def _blocks(text):
    """The paragraphs of ``text`` (split at blank lines), each on one line."""
    blocks = [block.strip() for block in re.split(r"\n\s*\n", str(text)) if block.strip()]
    return [" ".join(block.split()) for block in blocks]


def _anchor(text):
    anchor = re.sub(r"[^A-Za-z0-9-]+", "-", str(text)).strip("-").lower()
    return anchor or "section"


def _number(value):
    return isinstance(value, Real) and not isinstance(value, bool)


def _header(text):
    # Long snake_case headers may wrap after an underscore instead of widening the table.
    return Markup(html.escape(str(text)).replace("_", "_<wbr>"))


def _table_view(table):
    """What the table macro draws: the header and, per cell, its classes, text and bar."""
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
    rows = []
    for label, values in table.rows:
        cells = []
        for i, value in enumerate(values):
            classes = []
            if _number(value) and not table.key_value:
                classes.append("num")
            if i == highlight:
                classes.append("main")
            cell = {"classes": classes, "text": format_value(value), "width": None}
            scale = bar_scale.get(i)
            if scale and _number(value) and math.isfinite(float(value)):
                cell["width"] = f"{100.0 * abs(float(value)) / scale:.1f}"
                cell["negative"] = float(value) < 0
                classes.append("barcell")
            cells.append(cell)
        rows.append((str(label), cells))
    return {
        "kind": "table",
        "caption": table.caption,
        "key_value": table.key_value,
        "index_name": table.index_name,
        # A plain list of settings needs no header row.
        "header": None
        if table.key_value and not table.index_name
        else [(column, i == highlight) for i, column in enumerate(table.columns)],
        "rows": rows,
    }


def _item_view(item):
    if isinstance(item, Table):
        return _table_view(item)
    if isinstance(item, Image):
        return {
            "kind": "image",
            "mime": item.mime,
            "encoded": base64.b64encode(item.data).decode("ascii"),
            "alt": item.alt,
            "caption": item.caption,
        }
    if isinstance(item, str):
        return {"kind": "text", "text": item}
    raise TypeError(f"A section item must be a Table, an Image or a str; got {type(item)}.")


@functools.cache
def _environment():
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("skweightimp._report", "templates"),
        autoescape=True,
        finalize=_escape,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    environment.filters.update(
        inline=_inline, blocks=_blocks, header=_header, format_value=format_value
    )
    return environment


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
        views = [_item_view(item) for item in section.items]
        sections.append(
            (anchor, {"title": section.title, "explanation": section.explanation, "items": views})
        )
    environment = _environment()
    css = environment.loader.get_source(environment, "report.css")[0]
    return environment.get_template("report.html").render(
        document=document, sections=sections, css=Markup(css)
    )
