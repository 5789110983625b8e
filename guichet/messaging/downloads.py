"""How a message's file leaves Guichet, for its owner (member pages) or an agent (back office)."""

from django.http import FileResponse


def attachment_response(attachment) -> FileResponse:
    """The file as a download, never shown inline: the browser must not run it."""
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.filename,
        content_type=attachment.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
