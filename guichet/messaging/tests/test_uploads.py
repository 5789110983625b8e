"""Attachments are checked by their content, not by their name."""

import pytest

from guichet.messaging.tests import files
from guichet.messaging.uploads import AttachmentRefused, check_attachment


@pytest.mark.parametrize(
    ("filename", "content", "content_type"),
    [
        ("ordonnance.pdf", files.pdf(), "application/pdf"),
        ("photo.JPG", files.image("JPEG"), "image/jpeg"),
        ("photo.jpeg", files.image("JPEG"), "image/jpeg"),
        ("scan.png", files.image("PNG"), "image/png"),
    ],
)
def test_pdf_jpeg_and_png_are_accepted_with_their_real_type(filename, content, content_type):
    checked = check_attachment(filename=filename, content=content)
    assert (checked.filename, checked.content_type, checked.content) == (
        filename, content_type, content
    )  # fmt: skip


@pytest.mark.parametrize(
    ("filename", "content", "reason"),
    [
        ("scan.pdf", files.image("PNG"), "est en réalité un fichier PNG"),
        ("facture.png", files.pdf(), "est en réalité un fichier PDF"),
        ("facture.pdf", files.EXECUTABLE, "n'est ni un PDF, ni une image JPEG ou PNG"),
        ("note.txt", b"Bonjour, voici ma question.", "n'est ni un PDF"),
        ("piege.pdf", files.pdf(javascript="app.alert('coucou');"), "contient du JavaScript"),
        ("photo.jpg", files.broken_jpeg(), "est illisible"),
        ("faux.pdf", b"%PDF-1.7\n" + b"\x00garbage" * 50, "n'est pas un PDF lisible"),
        ("vide.pdf", b"", "est vide"),
        ("image.gif", files.image("GIF"), "n'est ni un PDF"),
    ],
)
def test_bad_files_are_refused_with_a_clear_reason(filename, content, reason):
    with pytest.raises(AttachmentRefused, match=reason):
        check_attachment(filename=filename, content=content)


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.GUICHET_ATTACHMENT_MAX_BYTES = 1024 * 1024
    content = files.pdf() + b"%" * (1024 * 1024)
    with pytest.raises(AttachmentRefused, match="dépasse la taille maximale de 1 Mo"):
        check_attachment(filename="gros.pdf", content=content)
