"""core.pdf's drawing shortcuts give what the plain ReportLab calls gave."""

import re

import pytest
import zxingcpp
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfmetrics

from guichet.core.pdf import BOLD, REGULAR, Document, Lines

RECTANGLE = re.compile(r"^(\d+) (\d+) (\d+) 1 re$", re.MULTILINE)


def dark_modules(text: str) -> set[tuple[int, int]]:
    """The (column, row) of each dark module of the QR code zxing-cpp makes of text, mask 0."""
    symbol = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level="M", data_mask=0)
    image = symbol.to_image(scale=1, add_quiet_zones=False)
    width = image.shape[1]
    modules = memoryview(image).tobytes()
    return {(index % width, index // width) for index, value in enumerate(modules) if value == 0}


@pytest.mark.parametrize("length", [10, 120, 380, 700])  # versions 1 to 20: 21 to 97 modules
def test_the_qr_codes_path_paints_exactly_its_dark_modules(length):
    text = ("DC04GUIC" * 100)[:length]
    document = Document(title="QR", author="Guichet")

    document.qr_code(text, size=100)

    [path] = [code for code in document.canvas._code if " re\n" in code]
    painted = [
        (x + dx, int(y))
        for x_text, y, width in RECTANGLE.findall(path)
        for x in [int(x_text)]
        for dx in range(int(width))
    ]
    assert len(painted) == len(set(painted))  # no module painted twice
    assert set(painted) == dark_modules(text)


def test_lines_place_right_aligned_text_so_that_it_ends_at_x():
    document = Document(title="Lignes", author="Guichet")
    lines = Lines(document.canvas)

    lines.add(100, 50, "Montant", font=BOLD, size=8, align="right")
    lines.add(20, 40, "Bénéficiaire", font=REGULAR, size=9)
    lines.draw()

    code = "\n".join(document.canvas._code)
    right = 100 - pdfmetrics.stringWidth("Montant", BOLD, 8)
    assert f"1 0 0 1 {fp_str(right, 50)} Tm" in code and 62 < right < 63
    assert "1 0 0 1 20 40 Tm" in code
