"""A message as a PDF ("TÉLÉCHARGER EN PDF"): the fund's header and the text as shown."""

import datetime as dt

from django.conf import settings
from django.utils import timezone

from guichet.core.pdf import member_document, serialized
from guichet.messaging.enums import Sender
from guichet.messaging.models import Message


@serialized
def message_pdf(*, message: Message, issued_on: dt.date) -> bytes:
    organisation = settings.GUICHET_ORGANISATION_NAME
    document = member_document(
        title=message.subject, organisation=organisation, member=message.person, issued_on=issued_on
    )
    sent_at = timezone.localtime(message.sent_at)
    sender = organisation if message.sender == Sender.FUND else message.person.full_name
    document.key_values([("De", sender), ("Date", f"{sent_at:%d/%m/%Y} à {sent_at:%H:%M}")])
    document.paragraph(message.body)
    names = [attachment.filename for attachment in message.attachments.all()]
    if names:
        document.heading("Pièces jointes")
        for name in names:
            document.paragraph(f"• {name}")
    return document.finish()
