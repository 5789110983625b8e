"""Sample files made on the spot: real PDFs and images, and the bad ones the checks must refuse."""

from io import BytesIO

from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject


def pdf(*, javascript: str = "") -> bytes:
    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    if javascript:  # run when the page opens: an additional action, hidden in the page
        action = DictionaryObject(
            {
                NameObject("/S"): NameObject("/JavaScript"),
                NameObject("/JS"): TextStringObject(javascript),
            }
        )
        page[NameObject("/AA")] = DictionaryObject({NameObject("/O"): writer._add_object(action)})
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def image(kind: str = "PNG", size: tuple[int, int] = (40, 30)) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", size, (0, 90, 160)).save(buffer, kind)
    return buffer.getvalue()


def broken_jpeg() -> bytes:
    """A JPEG whose header is right and whose picture is cut short."""
    whole = image("JPEG", (400, 300))
    return whole[: len(whole) // 3]


EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200
