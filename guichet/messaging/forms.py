"""The member's forms: a question to the fund ("J'ai une question"), a reply in a thread."""

from django import forms
from django.conf import settings

from guichet.core.forms import GuichetForm
from guichet.messaging.models import Topic
from guichet.messaging.uploads import AttachmentRefused, CheckedFile, check_attachment

SUBJECT_MAX = 120
BODY_MAX = 4000
MAX_ATTACHMENTS = 3


def _attachment_field(number: int) -> forms.FileField:
    megabytes = settings.GUICHET_ATTACHMENT_MAX_BYTES // (1024 * 1024)
    return forms.FileField(
        label=f"Pièce jointe {number} (facultative)",
        required=False,
        help_text=f"PDF, JPEG ou PNG, {megabytes} Mo au maximum.",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )


class MessageFilesForm(GuichetForm):
    """The text and up to 3 files, each checked by its content."""

    body = forms.CharField(
        label="Votre message",
        max_length=BODY_MAX,
        help_text=f"{BODY_MAX:_} caractères au maximum.".replace("_", " "),
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    attachment_1 = _attachment_field(1)
    attachment_2 = _attachment_field(2)
    attachment_3 = _attachment_field(3)

    def _clean_attachment(self, name: str) -> CheckedFile | None:
        upload = self.cleaned_data.get(name)
        if not upload:
            return None
        if upload.size > settings.GUICHET_ATTACHMENT_MAX_BYTES:
            megabytes = settings.GUICHET_ATTACHMENT_MAX_BYTES // (1024 * 1024)
            raise forms.ValidationError(
                f"Le fichier « {upload.name} » dépasse la taille maximale de {megabytes} Mo."
            )
        try:
            return check_attachment(filename=upload.name, content=upload.read())
        except AttachmentRefused as refusal:
            raise forms.ValidationError(str(refusal)) from None

    def clean_attachment_1(self) -> CheckedFile | None:
        return self._clean_attachment("attachment_1")

    def clean_attachment_2(self) -> CheckedFile | None:
        return self._clean_attachment("attachment_2")

    def clean_attachment_3(self) -> CheckedFile | None:
        return self._clean_attachment("attachment_3")

    def attachments(self) -> list[CheckedFile]:
        names = [f"attachment_{number}" for number in range(1, MAX_ATTACHMENTS + 1)]
        return [self.cleaned_data[name] for name in names if self.cleaned_data.get(name)]


class QuestionForm(MessageFilesForm):
    topic = forms.ModelChoiceField(
        label="Sujet de votre demande",
        queryset=Topic.objects.filter(active=True),
        empty_label="Choisissez un sujet",
        error_messages={"invalid_choice": "Choisissez un sujet dans la liste."},
    )
    subject = forms.CharField(
        label="Objet",
        max_length=SUBJECT_MAX,
        help_text=f"{SUBJECT_MAX} caractères au maximum.",
    )

    field_order = ["topic", "subject", "body"]


class ReplyForm(MessageFilesForm):
    pass


def _position_field() -> forms.IntegerField:
    return forms.IntegerField(
        label="Ordre d'affichage",
        min_value=0,
        max_value=1000,
        help_text="Les lignes sont proposées du plus petit nombre au plus grand.",
        error_messages={"invalid": "Saisissez un nombre entier, par exemple 10."},
    )


class TopicForm(GuichetForm):
    """A superviseur edits a topic of "J'ai une question" (back office, reference data)."""

    mark_required = True
    label = forms.CharField(label="Libellé", max_length=120)
    position = _position_field()
    active = forms.BooleanField(label="Proposé aux assurés", required=False)


class ReplyTemplateForm(GuichetForm):
    """A superviseur edits a reply template (back office, reference data)."""

    mark_required = True
    title = forms.CharField(label="Titre", max_length=120)
    body = forms.CharField(label="Texte", max_length=BODY_MAX, widget=forms.Textarea)
    position = _position_field()
    active = forms.BooleanField(label="Proposé aux agents", required=False)


class AnswerForm(MessageFilesForm):
    """An agent's answer to a member's thread, with files if need be (a form to fill in…)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].label = "Votre réponse"
        self.fields[
            "body"
        ].help_text = (
            "L'assuré la lira dans sa messagerie ; l'e-mail qui le prévient ne la contient pas."
        )
        self.fields["body"].widget.attrs["rows"] = 12


class NoteForm(GuichetForm):
    """An internal note between agents."""

    note = forms.CharField(
        label="Note interne",
        max_length=2000,
        help_text="Visible des seuls agents de la caisse, jamais de l'assuré.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class PaymentInformationForm(GuichetForm):
    enabled = forms.BooleanField(
        label="Recevoir chaque semaine l'e-mail « Information de paiement »",
        required=False,
        help_text="Il vous dit quels jours des paiements vous concernant ont été faits, sans "
        "leurs montants, pour que vous repériez vite un paiement que vous ne reconnaissez pas.",
    )
