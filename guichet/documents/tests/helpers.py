"""Reading a document back as its recipient would: its text with pypdf, its 2D code with an
independent decoder (zxing-cpp) on the page rendered by PDFium (ADR 0061)."""

import io
import re

import pypdfium2
import zxingcpp
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from pypdf import PdfReader


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


def new_pem_key() -> str:
    """A fresh P-256 private key, as GUICHET_DOCUMENT_SIGNING_KEY holds it."""
    return (
        ec.generate_private_key(ec.SECP256R1())
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )
