import datetime as dt

from django.db import models
from django.utils import timezone

from guichet.core.statemachine import StateMachine
from guichet.messaging.enums import (
    EmailStatus,
    MessageKind,
    NotificationKind,
    Sender,
    ThreadStatus,
)


class OutboundEmailQuerySet(models.QuerySet):
    def due(self, now=None) -> "OutboundEmailQuerySet":
        """Pending e-mails whose next attempt time has come."""
        return self.filter(status=EmailStatus.PENDING, next_attempt_at__lte=now or timezone.now())


class OutboundEmail(models.Model):
    """The outbox: every e-mail Guichet sends is written here first, in the same transaction as
    the change it announces, then delivered by a task that retries (ADR 0003)."""

    to = models.EmailField("destinataire")
    subject = models.CharField("objet", max_length=200)
    body = models.TextField("texte", blank=True)
    template = models.CharField(max_length=64)
    person_id = models.BigIntegerField(null=True, blank=True)  # the member it concerns, if any
    status = models.CharField(
        max_length=16, choices=EmailStatus.choices, default=EmailStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    body_redacted = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = OutboundEmailQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due"),
            models.Index(fields=["-created_at", "-id"], name="outbox_newest_first"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to}"


def yes_no(value: bool) -> str:
    return "Oui" if value else "Non"


class Topic(models.Model):
    """A subject a member may write about ("J'ai une question"): reference data of the funds."""

    label = models.CharField("libellé", max_length=120, unique=True)
    position = models.PositiveSmallIntegerField("ordre d'affichage", default=0)
    active = models.BooleanField("proposé aux assurés", default=True)

    class Meta:
        ordering = ["position", "label"]

    def __str__(self) -> str:
        return self.label

    @property
    def active_display(self) -> str:
        return yes_no(self.active)


class Thread(StateMachine):
    """A conversation between a member and the fund: one message from the fund, or a member's
    question with the agents' answers. A question waits for an answer; a member's reply to an
    answer makes it wait again."""

    TRANSITIONS = {
        ThreadStatus.WAITING: {ThreadStatus.ANSWERED},
        ThreadStatus.ANSWERED: {ThreadStatus.WAITING},
    }
    AUDIT_PREFIX = "message_thread"

    person = models.ForeignKey(
        "insured.InsuredPerson", on_delete=models.CASCADE, related_name="message_threads"
    )
    subject = models.CharField("objet", max_length=200)
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, null=True, blank=True)
    started_by = models.CharField(max_length=8, choices=Sender.choices)
    status = models.CharField(
        max_length=16, choices=ThreadStatus.choices, default=ThreadStatus.ANSWERED
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.subject

    def audit_person_id(self) -> int | None:
        return self.person_id


class Draft(models.Model):
    """What a member was writing to the fund, kept when they leave the page (one per member)."""

    person = models.OneToOneField(
        "insured.InsuredPerson", on_delete=models.CASCADE, related_name="message_draft"
    )
    topic = models.ForeignKey(Topic, on_delete=models.SET_NULL, null=True, blank=True)
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField(blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.subject or "(brouillon)"


class MessageQuerySet(models.QuerySet):
    def visible_to(self, person) -> "MessageQuerySet":
        """The member's own messages that they have not deleted: another's id is a 404."""
        return self.filter(person=person, deleted_at__isnull=True)

    def received(self) -> "MessageQuerySet":
        return self.filter(sender=Sender.FUND)

    def unread(self) -> "MessageQuerySet":
        return self.filter(sender=Sender.FUND, read_at__isnull=True)

    def expired(self, now: dt.datetime) -> "MessageQuerySet":
        return self.filter(expires_at__lte=now)


class Message(models.Model):
    """One message of a thread, from the fund or from the member, kept until `expires_at`."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages")
    person = models.ForeignKey(
        "insured.InsuredPerson", on_delete=models.CASCADE, related_name="messages"
    )  # the member whose inbox holds it, the thread's person
    sender = models.CharField("expéditeur", max_length=8, choices=Sender.choices)
    agent_id = models.BigIntegerField(null=True, blank=True)  # the agent who wrote an answer
    kind = models.CharField(max_length=32, default=MessageKind.INFO)
    subject = models.CharField("objet", max_length=200)
    body = models.TextField("texte")
    sent_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()
    deleted_at = models.DateTimeField(null=True, blank=True)  # deleted by the member

    objects = MessageQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at", "-pk"]
        indexes = [
            models.Index(fields=["person", "-sent_at"], name="message_inbox"),
            models.Index(fields=["expires_at"], name="message_expiry"),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def kind_label(self) -> str:
        return MessageKind(self.kind).label if self.kind in MessageKind.values else "Information"

    @property
    def is_unread(self) -> bool:
        return self.sender == Sender.FUND and self.read_at is None


class Attachment(models.Model):
    """A file joined to a message, kept through Django's storage API under a name of our own
    (no extension, so never served or run as what its name claims)."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField("nom du fichier", max_length=120)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    file = models.FileField(upload_to="messaging/", max_length=200)
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.filename


class NotificationQuerySet(models.QuerySet):
    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """A short notice on the member's home page, with a link to where to act; not a message."""

    person = models.ForeignKey(
        "insured.InsuredPerson", on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=32, default=NotificationKind.INFO)
    text = models.CharField("texte", max_length=300)
    url = models.CharField("lien", max_length=300)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["person", "-created_at"], name="notification_list")]

    def __str__(self) -> str:
        return self.text

    @property
    def kind_label(self) -> str:
        if self.kind in NotificationKind.values:
            return NotificationKind(self.kind).label
        return NotificationKind.INFO.label


class ReplyTemplate(models.Model):
    """A ready answer an agent starts from, then adapts (reference data of the funds)."""

    title = models.CharField("titre", max_length=120, unique=True)
    body = models.TextField("texte")
    position = models.PositiveSmallIntegerField("ordre d'affichage", default=0)
    active = models.BooleanField("proposé aux agents", default=True)

    class Meta:
        ordering = ["position", "title"]

    def __str__(self) -> str:
        return self.title

    @property
    def active_display(self) -> str:
        return yes_no(self.active)


class InternalNote(models.Model):
    """What agents write to each other about a thread; never shown to the member."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="notes")
    agent_id = models.BigIntegerField()
    body = models.TextField("note")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.body[:50]


class NoticePreference(models.Model):
    """A member's choice about the weekly "Information de paiement" e-mail (sent unless refused),
    and when it last went, so that a week is never told twice."""

    person = models.OneToOneField(
        "insured.InsuredPerson", on_delete=models.CASCADE, related_name="notice_preference"
    )
    payment_information = models.BooleanField(default=True)
    payment_information_sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.person_id}: {self.payment_information}"
