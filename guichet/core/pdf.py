"""PDF documents drawn straight on ReportLab's canvas (ADR 0041): the fund's header, the member,
headings, paragraphs and tables that break across pages, page numbers; one embedded font
(DejaVu Sans, Latin subset, shipped in core/fonts with its licence)."""

import datetime as dt
import functools
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

import zxingcpp
from django.conf import settings
from reportlab.lib.colors import Color, black, white
from reportlab.lib.pagesizes import A4
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject

FONTS = Path(__file__).resolve().parent / "fonts"
REGULAR, BOLD = "DejaVuSans", "DejaVuSans-Bold"
BLUE = Color(0.0, 0.27, 0.55)
SHADE = Color(0.9, 0.93, 0.97)
RULE = Color(0.75, 0.8, 0.88)
WIDTH, HEIGHT = A4
MARGIN = 18 * mm
BOTTOM = 20 * mm
QR_MASK = 0  # the mask zxing-cpp picks for most of our signed codes (ADR 0063)
# zxing-cpp's symbol has one byte a module, 0 for dark; as bits, 1 for dark.
_DARK_BITS = bytes.maketrans(b"\x00\xff", b"10")
_DARK_RUN = re.compile("1+")


@functools.cache
def _runs_of_bytes(first_module: int) -> list[str]:
    """For each byte value, its dark runs as "x Y w 1 re" lines, its first module at x =
    first_module and the row's number left as Y: a row's path is then 1 lookup per 8 modules,
    where formatting each run anew cost 1.5 ms a QR code. A run that crosses two bytes is two
    touching rectangles of the same path, which fill as one."""
    return [
        "".join(
            f"{first_module + run.start()} Y {run.end() - run.start()} 1 re\n"
            for run in _DARK_RUN.finditer(f"{byte:08b}")
        )
        for byte in range(256)
    ]


# ReportLab keeps each document's font subset in the shared TTFont object: two threads drawing
# at once corrupt it (IndexError in glyphPos). One document at a time per process.
_LOCK = threading.Lock()


def serialized[F: Callable](function: F) -> F:
    """Run a function that builds a document while no other thread of this process builds one."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with _LOCK:
            return function(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def _register_fonts() -> None:
    if REGULAR not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(REGULAR, str(FONTS / "DejaVuSans-Latin.ttf")))
        pdfmetrics.registerFont(TTFont(BOLD, str(FONTS / "DejaVuSans-Bold-Latin.ttf")))


@dataclass(frozen=True)
class Column:
    title: str
    width: float  # share of the text width
    align: str = "left"  # or "right"


class Lines:
    """Strings placed one by one in a single text object. A drawString each opens, places and
    closes a text object of its own: three times the cost, and most of a table's."""

    def __init__(self, canvas: Canvas):
        self.canvas = canvas
        self.text: PDFTextObject = canvas.beginText()
        self.style: tuple[str, float, Color] | None = None

    def add(
        self, x: float, y: float, line: str, *, font: str = REGULAR, size: float = 9,
        color: Color = black, align: str = "left",
    ) -> None:  # fmt: skip
        """`line` with its left end (or its right end, for align="right") at x, on baseline y."""
        if self.style != (font, size, color):
            self.text.setFont(font, size)
            self.text.setFillColor(color)
            self.style = (font, size, color)
        if align == "right":
            x -= pdfmetrics.stringWidth(line, font, size)
        # What setTextOrigin and textOut write, without the cursor bookkeeping we never read.
        self.text._code.append(f"1 0 0 1 {fp_str(x, y)} Tm {self.text._formatText(line)}")

    def draw(self) -> None:
        self.canvas.drawText(self.text)
        self.canvas.setFillColor(black)


class _NumberedCanvas(Canvas):
    """Writes "Page N sur M" once the number of pages is known."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []

    def showPage(self):
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self.setFont(REGULAR, 8)
            self.setFillColor(black)
            self.drawRightString(WIDTH - MARGIN, 10 * mm, f"Page {number} sur {total}")
            Canvas.showPage(self)
        Canvas.save(self)


class Document:
    """A document with the fund's header and the member's block on the first page."""

    def __init__(self, *, title: str, author: str, subject: str = ""):
        _register_fonts()
        self.buffer = BytesIO()
        self.canvas = _NumberedCanvas(self.buffer, pagesize=A4, pageCompression=1, lang="fr-FR")
        self.canvas.setViewerPreference("DisplayDocTitle", "true")
        self.canvas.setTitle(title)
        self.canvas.setAuthor(author)
        self.canvas.setSubject(subject or title)
        self.canvas.setCreator("Guichet")
        self.title = title
        self.footer = ""
        self.y = HEIGHT - MARGIN
        self.text_width = WIDTH - 2 * MARGIN

    # --- blocks ----------------------------------------------------------------------------------
    def letterhead(
        self, *, organisation: str, fund_lines: Sequence[str], member_lines: Sequence[str],
        issued_on: dt.date,
    ) -> None:  # fmt: skip
        """The fund at the top left, the member at the top right, then the title."""
        c = self.canvas
        c.setFillColor(BLUE)
        c.rect(MARGIN, self.y - 9 * mm, 9 * mm, 9 * mm, stroke=0, fill=1)
        c.setFont(BOLD, 13)
        c.drawString(MARGIN + 12 * mm, self.y - 6.5 * mm, organisation)
        c.setFillColor(black)
        y = self.y - 15 * mm
        for index, line in enumerate(fund_lines):
            c.setFont(BOLD if index == 0 else REGULAR, 9)
            c.drawString(MARGIN, y, line)
            y -= 4.5 * mm
        left_bottom = y
        y = self.y - 15 * mm
        x = WIDTH / 2 + 10 * mm
        for index, line in enumerate(member_lines):
            c.setFont(BOLD if index == 0 else REGULAR, 10)
            c.drawString(x, y, line)
            y -= 5 * mm
        self.y = min(left_bottom, y) - 6 * mm
        c.setFont(BOLD, 15)
        c.setFillColor(BLUE)
        for line in self._wrap(self.title, BOLD, 15, self.text_width):
            c.drawString(MARGIN, self.y, line)
            self.y -= 7 * mm
        c.setFillColor(black)
        c.setFont(REGULAR, 9)
        c.drawString(MARGIN, self.y, f"Édité le {issued_on:%d/%m/%Y}")
        self.y -= 8 * mm

    def heading(self, text: str) -> None:
        lines = self._wrap(text, BOLD, 11, self.text_width)
        self.ensure(10 * mm + 5 * mm * len(lines))
        drawn = Lines(self.canvas)
        for line in lines:
            drawn.add(MARGIN, self.y, line, font=BOLD, size=11, color=BLUE)
            self.y -= 5 * mm
        drawn.draw()
        self.y -= 1 * mm

    def paragraph(self, text: str, *, size: float = 9.5, bold: bool = False) -> None:
        font = BOLD if bold else REGULAR
        lines = Lines(self.canvas)
        for line in self._wrap(text, font, size, self.text_width):
            if self.y - (size * 0.5 * mm + 2 * mm) < BOTTOM:
                lines.draw()
                self.new_page()
                lines = Lines(self.canvas)
            lines.add(MARGIN, self.y, line, font=font, size=size)
            self.y -= size * 0.45 * mm + 1.6 * mm
        lines.draw()
        self.y -= 1 * mm

    def key_values(self, pairs: Sequence[tuple[str, str]], *, size: float = 9.5) -> None:
        for key, value in pairs:
            self.ensure(6 * mm)
            self.canvas.setFont(REGULAR, size)
            self.canvas.drawString(MARGIN, self.y, key)
            self.canvas.setFont(BOLD, size)
            self.canvas.drawRightString(MARGIN + self.text_width, self.y, value)
            self.y -= 5.5 * mm
        self.y -= 1 * mm

    def table(
        self, columns: Sequence[Column], rows: Sequence[Sequence[str]], *, size: float = 8
    ) -> None:
        """A table with a shaded header, repeated on each page it spreads over."""
        widths = [column.width * self.text_width for column in columns]
        self.ensure(14 * mm)
        self._table_header(columns, widths, size)
        for row in rows:
            cells = [
                self._wrap(str(value), REGULAR, size, width - 2 * mm) or [""]
                for value, width in zip(row, widths, strict=True)
            ]
            height = max(len(lines) for lines in cells) * (size * 0.45 * mm + 1.2 * mm) + 1.8 * mm
            if self.y - height < BOTTOM:
                self.new_page()
                self._table_header(columns, widths, size)
            x = MARGIN
            text = Lines(self.canvas)
            for lines, width, column in zip(cells, widths, columns, strict=True):
                y = self.y - size * 0.35 * mm - 1 * mm
                left = x + width - 1 * mm if column.align == "right" else x + 1 * mm
                for line in lines:
                    text.add(left, y, line, size=size, align=column.align)
                    y -= size * 0.45 * mm + 1.2 * mm
                x += width
            text.draw()
            self.y -= height
            self.canvas.setStrokeColor(RULE)
            self.canvas.line(MARGIN, self.y, MARGIN + self.text_width, self.y)
        self.y -= 4 * mm

    def _table_header(self, columns, widths, size) -> None:
        height = size * 0.45 * mm + 4 * mm
        self.canvas.setFillColor(SHADE)
        self.canvas.rect(MARGIN, self.y - height, self.text_width, height, stroke=0, fill=1)
        text = Lines(self.canvas)
        x = MARGIN
        baseline = self.y - height + 1.6 * mm
        for column, width in zip(columns, widths, strict=True):
            left = x + width - 1 * mm if column.align == "right" else x + 1 * mm
            text.add(left, baseline, column.title, font=BOLD, size=size, align=column.align)
            x += width
        text.draw()
        self.y -= height

    def qr_code(self, text: str, *, size: float, x: float = MARGIN) -> None:
        """A QR code (level M) drawn as black rectangles at the left, its top at the cursor."""
        # zxing-cpp's C++ encoder (ADR 0062) with its mask fixed (ADR 0063): 0.2 ms, where
        # letting it score the 8 masks took 1.6 ms, a tenth of an attestation.
        symbol = zxingcpp.create_barcode(
            text, zxingcpp.BarcodeFormat.QRCode, ec_level="M", data_mask=QR_MASK
        )
        image = symbol.to_image(scale=1, add_quiet_zones=False)
        count = image.shape[1]
        modules = memoryview(image).tobytes().translate(_DARK_BITS)
        module = size / count
        padding = "0" * (-count % 8)
        runs = [_runs_of_bytes(first) for first in range(0, count, 8)]
        rows = []  # one "x y w h re" per run of dark modules, in module units, rows downwards
        for row, start in enumerate(range(0, len(modules), count)):
            bits = int(modules[start : start + count] + padding.encode(), 2)
            packed = bits.to_bytes(len(runs))
            rows.append(
                "".join([of[byte] for of, byte in zip(runs, packed, strict=True)]).replace(
                    "Y", str(row)
                )
            )
        c = self.canvas
        c.saveState()
        c.setFillColor(black)
        c.transform(module, 0, 0, -module, x, self.y)  # origin at the top left, y downwards
        c._code.append("".join(rows) + "f")  # one path: 1 000 rect() calls cost 6 ms
        c.restoreState()

    # --- pages -----------------------------------------------------------------------------------
    def ensure(self, height: float) -> None:
        if self.y - height < BOTTOM:
            self.new_page()

    def new_page(self) -> None:
        self._draw_footer()
        self.canvas.showPage()
        self.y = HEIGHT - MARGIN
        self.canvas.setFont(REGULAR, 8)
        self.canvas.setFillColor(BLUE)
        self.canvas.drawString(MARGIN, self.y, self.title)
        self.canvas.setFillColor(black)
        self.y -= 8 * mm

    def _draw_footer(self) -> None:
        if self.footer:
            self.canvas.setFont(REGULAR, 7.5)
            self.canvas.setFillColor(black)
            self.canvas.drawString(MARGIN, 10 * mm, self.footer)

    def finish(self) -> bytes:
        self._draw_footer()
        self.canvas.showPage()
        self.canvas.save()
        return self.buffer.getvalue()

    @staticmethod
    def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
        if (
            "\n" not in text
            and not text.startswith(" ")  # the loop below drops leading spaces
            and pdfmetrics.stringWidth(text, font, size) <= width
        ):
            return [text]  # most table cells: one measure instead of one per word
        # Each word measured once (TrueType widths add up, we never kern), not each line so far.
        space = pdfmetrics.stringWidth(" ", font, size)
        lines = []
        for paragraph in text.split("\n"):
            current, current_width = "", 0.0
            for word in paragraph.split(" "):
                word_width = pdfmetrics.stringWidth(word, font, size)
                if not current:
                    current, current_width = word, word_width
                elif current_width + space + word_width <= width:
                    current, current_width = f"{current} {word}", current_width + space + word_width
                else:
                    lines.append(current)
                    current, current_width = word, word_width
            lines.append(current)
        return lines


def member_document(
    *, title: str, member, issued_on: dt.date, organisation: str | None = None
) -> Document:
    """A document to a member: their fund's letterhead (with its code), their name, NIR and
    address, the title; `organisation` defaults to GUICHET_ORGANISATION_NAME."""
    organisation = organisation or settings.GUICHET_ORGANISATION_NAME
    document = Document(title=title, author=organisation)
    fund = member.fund
    fund_lines = [fund.name, fund.address_line1, f"{fund.postal_code} {fund.city}".strip()]
    if fund.phone:
        fund_lines.append(f"Téléphone : {fund.phone}")
    fund_lines.append(f"Code organisme : {fund.code_display}")
    document.letterhead(
        organisation=organisation,
        fund_lines=[line for line in fund_lines if line],
        member_lines=[
            member.full_name.upper(),
            f"N° de sécurité sociale : {member.nir_display}",
            *member.address_lines,
        ],
        issued_on=issued_on,
    )
    document.footer = f"{fund.name} — {title}"
    return document


__all__ = ["Column", "Document", "Lines", "member_document", "white"]
