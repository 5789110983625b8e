"""Reading a document back as its recipient would: its text with pypdf, its 2D code with an
independent decoder (zbar, not zxing-cpp which encodes it) on the page rendered by PDFium
(ADR 0062)."""

import io
import re

import pypdfium2
from pypdf import PdfReader
from pyzbar import pyzbar

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
        for symbol in pyzbar.decode(image, symbols=[pyzbar.ZBarSymbol.QRCODE]):
            found.append(symbol.data.decode("ascii"))
    document.close()
    return found


new_pem_key = signing.new_private_pem
