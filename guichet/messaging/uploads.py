"""The members' attachments, checked by their content, never by their name alone (ADR 0050).

A file is accepted only when its first bytes say PDF, JPEG or PNG (filetype), its extension says
the same, a PDF parses (pypdf) and holds no JavaScript nor action that launches anything, and an
image decodes completely (Pillow) within a sane number of pixels.
"""

import warnings
from dataclasses import dataclass
from io import BytesIO

import filetype
from django.conf import settings
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

ALLOWED = {
    "application/pdf": ("PDF", {".pdf"}),
    "image/jpeg": ("JPEG", {".jpg", ".jpeg"}),
    "image/png": ("PNG", {".png"}),
}
# Keys of a PDF dictionary that run something: JavaScript, a program, a form submission.
ACTIVE_KEYS = {"/JS", "/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/RichMedia"}
MAX_PDF_OBJECTS = 200_000
MAX_PIXELS = 40_000_000


class AttachmentRefused(Exception):
    """The file cannot be accepted; the message says why, in French, for the member."""


@dataclass(frozen=True)
class CheckedFile:
    filename: str
    content: bytes
    content_type: str


def _extension(filename: str) -> str:
    return "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""


def check_attachment(*, filename: str, content: bytes) -> CheckedFile:
    """The file as it will be stored, or AttachmentRefused with the reason."""
    limit = settings.GUICHET_ATTACHMENT_MAX_BYTES
    if not content:
        raise AttachmentRefused(f"Le fichier « {filename} » est vide.")
    if len(content) > limit:
        raise AttachmentRefused(
            f"Le fichier « {filename} » dépasse la taille maximale de {limit // (1024 * 1024)} Mo."
        )
    kind = filetype.guess(content)
    if kind is None or kind.mime not in ALLOWED:
        raise AttachmentRefused(
            f"Le fichier « {filename} » n'est ni un PDF, ni une image JPEG ou PNG."
        )
    label, extensions = ALLOWED[kind.mime]
    if _extension(filename) not in extensions:
        raise AttachmentRefused(
            f"Le fichier « {filename} » est en réalité un fichier {label} : son nom ne correspond "
            f"pas à son contenu. Renommez-le avec l'extension {sorted(extensions)[0]}."
        )
    if kind.mime == "application/pdf":
        _check_pdf(filename, content)
    else:
        _check_image(filename, content, label)
    return CheckedFile(filename=filename, content=content, content_type=kind.mime)


def _check_pdf(filename: str, content: bytes) -> None:
    try:
        reader = PdfReader(BytesIO(content), strict=False)
        if reader.is_encrypted:
            raise AttachmentRefused(
                f"Le fichier « {filename} » est protégé par un mot de passe : envoyez-le sans protection."
            )
        if _has_active_content(reader):
            raise AttachmentRefused(
                f"Le fichier « {filename} » contient du JavaScript ou des actions automatiques : "
                "pour votre sécurité et celle de la caisse, il est refusé. Enregistrez-le de nouveau "
                "en PDF (par exemple avec « Imprimer en PDF ») puis joignez cette copie."
            )
    except AttachmentRefused:
        raise
    except Exception as error:  # any parsing failure: the file is not a readable PDF
        raise AttachmentRefused(f"Le fichier « {filename} » n'est pas un PDF lisible.") from error


def _has_active_content(reader: PdfReader) -> bool:
    """Walk every object reachable from the trailer, looking for a key that runs something."""
    pending: list = [reader.trailer]
    seen: set[tuple[int, int]] = set()
    visited = 0
    while pending:
        node = pending.pop()
        visited += 1
        if visited > MAX_PDF_OBJECTS:
            return True  # too convoluted to vouch for
        if isinstance(node, IndirectObject):
            key = (node.idnum, node.generation)
            if key in seen:
                continue
            seen.add(key)
            node = node.get_object()
        if isinstance(node, DictionaryObject):
            if ACTIVE_KEYS & set(node.keys()):
                return True
            if node.get("/S") in ("/JavaScript", "/Launch"):
                return True
            pending.extend(node.values())
        elif isinstance(node, ArrayObject):
            pending.extend(node)
    return False


def _check_image(filename: str, content: bytes, label: str) -> None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(BytesIO(content)) as image:
                if image.width * image.height > MAX_PIXELS:
                    raise AttachmentRefused(
                        f"L'image « {filename} » est trop grande : réduisez-la avant de l'envoyer."
                    )
                image.load()  # decodes every pixel: a truncated or forged image fails here
    except AttachmentRefused:
        raise
    except Exception as error:
        raise AttachmentRefused(
            f"L'image « {filename} » est illisible : elle ne peut pas être décodée comme {label}."
        ) from error
