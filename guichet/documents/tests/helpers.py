"""Reading a document back as its recipient would: its text with pypdf, its 2D code with an
independent decoder (zxing-cpp) on the page rendered by PDFium (ADR 0061)."""

import io
import re

import pypdfium2
import zxingcpp
from pypdf import PdfReader

from guichet.documents import signing


def read(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return re.sub(
        r"[\s\u00a0\u202f]+", " ", "\n".join(page.extract_text() for page in reader.pages)
    )


def decode_2d_codes(content: bytes) -> list[str]:
    """The text of every QR code printed in the PDF, read at 150 dpi like a scan."""
    found = []
    document = pypdfium2.PdfDocument(content)
    for page in document:
        image = page.render(scale=150 / 72, grayscale=True).to_pil()
        for barcode in zxingcpp.read_barcodes(
            image, formats=zxingcpp.BarcodeFormat.QRCode, text_mode=zxingcpp.TextMode.Plain
        ):
            found.append(barcode.text)
    document.close()
    return found


new_pem_key = signing.new_private_pem
