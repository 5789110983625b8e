import datetime as dt

from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from guichet.core import nir as nir_rules
from guichet.insured.enums import (
    CssKind,
    PatientShareExemptionKind,
    Regime,
    Relationship,
    Sex,
    VitaleStatus,
)

NIR13_PATTERN = r"^[1278][0-9]{4}[0-9AB]{2}[0-9]{6}$"


class Fund(models.Model):
    """A health-insurance fund (caisse), e.g. CPAM de l'Ain, code d'organisme 01 011 1411."""

    code = models.CharField("code d'organisme", max_length=9, unique=True)
    name = models.CharField("nom", max_length=120)
    address_line1 = models.CharField("adresse", max_length=120, blank=True)
    address_line2 = models.CharField("complément d'adresse", max_length=120, blank=True)
    postal_code = models.CharField("code postal", max_length=5, blank=True)
    city = models.CharField("commune", max_length=80, blank=True)
    phone = models.CharField("téléphone", max_length=20, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[0-9]{9}$"), name="fund_code_9_digits"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def code_display(self) -> str:
        """'01 011 1411': régime, caisse, centre."""
        return f"{self.code[:2]} {self.code[2:5]} {self.code[5:]}"


POSTAL_CODE_MESSAGE = "Le code postal comporte 5 chiffres, par exemple 01000."


class Agency(models.Model):
    """A fund's agence, where members are received ("Agence de AMBERIEU-EN-BUGEY"). A closed
    agency is kept (open=False) for the history and the appointments that named it."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="agencies")
    name = models.CharField("nom", max_length=120)
    address = models.CharField("adresse", max_length=120)
    postal_code = models.CharField(
        "code postal",
        max_length=5,
        validators=[RegexValidator(r"^[0-9]{5}$", POSTAL_CODE_MESSAGE)],
    )
    city = models.CharField("commune", max_length=80)
    phone = models.CharField("téléphone", max_length=20)
    opening_hours = models.TextField("horaires d'ouverture")
    accessible = models.BooleanField("accessible aux personnes à mobilité réduite", default=False)
    open = models.BooleanField("ouverte", default=True)

    class Meta:
        ordering = ["fund", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(postal_code__regex=r"^[0-9]{5}$"),
                name="agency_postal_code_5_digits",
                violation_error_message=POSTAL_CODE_MESSAGE,
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def open_display(self) -> str:
        return "Ouverte" if self.open else "Fermée"

    @property
    def accessible_display(self) -> str:
        return "Oui" if self.accessible else "Non"


class InsuredPersonQuerySet(models.QuerySet):
    def holders(self) -> "InsuredPersonQuerySet":
        """The assurés who open rights (ouvreurs de droits), not attached as a dependant."""
        attached = Dependent.objects.filter(detached_on__isnull=True).values("person_id")
        return self.exclude(pk__in=attached)


class InsuredPerson(models.Model):
    """A person in the registry: an assuré, or an ayant droit attached to one (see Dependent)."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="insured_persons")
    nir = models.CharField("numéro de sécurité sociale", max_length=13, unique=True)
    nir_key = models.CharField("clé", max_length=2)
    sex = models.CharField("sexe", max_length=1, choices=Sex.choices)
    birth_date = models.DateField("date de naissance")
    birth_name = models.CharField("nom de naissance", max_length=80)
    usage_name = models.CharField("nom d'usage", max_length=80, blank=True)
    first_names = models.CharField("prénoms", max_length=120)

    address_line1 = models.CharField("complément d'adresse", max_length=38, blank=True)
    address_line2 = models.CharField("numéro et voie", max_length=38, blank=True)
    address_line3 = models.CharField("lieu-dit, boîte postale", max_length=38, blank=True)
    postal_code = models.CharField("code postal", max_length=5, blank=True)
    city = models.CharField("commune", max_length=38, blank=True)

    email = models.EmailField("adresse e-mail", max_length=254, blank=True)
    email_verified_at = models.DateTimeField("e-mail vérifié le", null=True, blank=True)
    mobile_phone = models.CharField("téléphone portable", max_length=20, blank=True)
    landline_phone = models.CharField("téléphone fixe", max_length=20, blank=True)
    contact_by_email = models.BooleanField("accepte d'être contacté(e) par e-mail", default=True)
    contact_by_sms = models.BooleanField("accepte d'être contacté(e) par SMS", default=False)

    regime = models.CharField(
        "régime", max_length=16, choices=Regime.choices, default=Regime.GENERAL
    )
    partner_regime_name = models.CharField("régime partenaire", max_length=80, blank=True)
    rights_opened_on = models.DateField("droits ouverts le")
    rights_closed_on = models.DateField("droits fermés le", null=True, blank=True)
    css = models.CharField(
        "complémentaire santé solidaire",
        max_length=16,
        choices=CssKind.choices,
        default=CssKind.NONE,
    )
    css_until = models.DateField("CSS jusqu'au", null=True, blank=True)

    referring_doctor_name = models.CharField("médecin traitant", max_length=120, blank=True)
    referring_doctor_specialty = models.CharField("spécialité", max_length=80, blank=True)
    referring_doctor_declared_on = models.DateField("déclaré le", null=True, blank=True)

    iban = models.CharField("IBAN", max_length=34, blank=True)
    bic = models.CharField("BIC", max_length=11, blank=True)
    bank_account_holder = models.CharField("titulaire du compte", max_length=80, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = InsuredPersonQuerySet.as_manager()

    class Meta:
        ordering = ["birth_date", "pk"]
        indexes = [
            # the back office's search by name and birth date, within one fund
            models.Index(fields=["fund", "birth_date"], name="insured_fund_birth_date"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(nir__regex=NIR13_PATTERN), name="insured_nir_shape"
            ),
            models.CheckConstraint(
                condition=models.Q(nir_key__regex=r"^[0-9]{2}$"), name="insured_nir_key_shape"
            ),
            models.UniqueConstraint(
                Lower("email"), condition=~models.Q(email=""), name="insured_email_unique_ci"
            ),
            models.CheckConstraint(
                condition=models.Q(rights_closed_on__isnull=True)
                | models.Q(rights_closed_on__gte=models.F("rights_opened_on")),
                name="insured_rights_closed_after_opened",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def last_name(self) -> str:
        return self.usage_name or self.birth_name

    @property
    def first_name(self) -> str:
        return self.first_names.split(" ")[0] if self.first_names else ""

    @property
    def full_name(self) -> str:
        """'Renaldo ZOVI'."""
        return f"{self.first_name} {self.last_name.upper()}"

    @property
    def nir_display(self) -> str:
        return nir_rules.format_nir(self.nir, self.nir_key)

    @property
    def address_lines(self) -> list[str]:
        lines = [self.address_line1, self.address_line2, self.address_line3]
        lines.append(f"{self.postal_code} {self.city}".strip())
        return [line for line in lines if line]

    def rights_open_on(self, day: dt.date | None = None) -> bool:
        day = day or timezone.localdate()
        return self.rights_opened_on <= day and (
            self.rights_closed_on is None or day <= self.rights_closed_on
        )

    @property
    def rights_open(self) -> bool:
        return self.rights_open_on()

    @property
    def is_ame(self) -> bool:
        return self.regime == Regime.AME

    @property
    def has_css(self) -> bool:
        return self.css != CssKind.NONE and (
            self.css_until is None or self.css_until >= timezone.localdate()
        )

    @property
    def iban_masked(self) -> str:
        """'FR76 •••• 0189': enough to recognise one's account, not to copy it."""
        return f"{self.iban[:4]} •••• {self.iban[-4:]}" if self.iban else ""

    @property
    def age(self) -> int:
        today = timezone.localdate()
        return (
            today.year
            - self.birth_date.year
            - ((today.month, today.day) < (self.birth_date.month, self.birth_date.day))
        )


class Dependent(models.Model):
    """An ayant droit: a person attached to an assuré (a child may be attached to both parents)."""

    holder = models.ForeignKey(InsuredPerson, on_delete=models.CASCADE, related_name="dependents")
    person = models.ForeignKey(InsuredPerson, on_delete=models.CASCADE, related_name="attachments")
    relationship = models.CharField("lien", max_length=16, choices=Relationship.choices)
    attached_on = models.DateField("rattaché(e) le")
    detached_on = models.DateField("détaché(e) le", null=True, blank=True)

    class Meta:
        ordering = ["person__birth_date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["holder", "person"], name="dependent_once_per_holder"),
            models.CheckConstraint(
                condition=~models.Q(holder=models.F("person")), name="dependent_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} (ayant droit de {self.holder})"


class VitaleCard(models.Model):
    person = models.ForeignKey(InsuredPerson, on_delete=models.CASCADE, related_name="vitale_cards")
    serial_number = models.CharField("numéro de série", max_length=20)
    issued_on = models.DateField("délivrée le")
    status = models.CharField(
        "état", max_length=16, choices=VitaleStatus.choices, default=VitaleStatus.ACTIVE
    )

    class Meta:
        ordering = ["-issued_on", "-pk"]

    def __str__(self) -> str:
        return f"Carte Vitale {self.serial_number} ({self.get_status_display()})"


class EuropeanCard(models.Model):
    """A CEAM: free, individual, valid two years."""

    person = models.ForeignKey(
        InsuredPerson, on_delete=models.CASCADE, related_name="european_cards"
    )
    card_number = models.CharField("numéro de carte", max_length=20)
    issued_on = models.DateField("délivrée le")
    valid_until = models.DateField("valable jusqu'au")

    class Meta:
        ordering = ["-valid_until", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__gt=models.F("issued_on")),
                name="ceam_valid_after_issue",
            )
        ]

    def __str__(self) -> str:
        return f"CEAM {self.card_number} valable jusqu'au {self.valid_until:%d/%m/%Y}"

    @property
    def is_valid(self) -> bool:
        return self.valid_until >= timezone.localdate()


class PatientShareExemption(models.Model):
    """An exonération du ticket modérateur: a dated period during which the fund pays the whole
    tariff of the person's care (for an ALD, of the care of that condition). What the condition
    is never enters the registry: it is health data that no page of Guichet needs (ADR 0029)."""

    person = models.ForeignKey(
        InsuredPerson,
        on_delete=models.CASCADE,
        related_name="patient_share_exemptions",
        db_index=False,  # exemption_tm_once_per_start's index starts with the person
    )
    kind = models.CharField("motif", max_length=32, choices=PatientShareExemptionKind.choices)
    start_on = models.DateField("depuis le")
    end_on = models.DateField("jusqu'au", null=True, blank=True)  # None: no end known yet
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["person", "start_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_on__isnull=True)
                | models.Q(end_on__gte=models.F("start_on")),
                name="exemption_tm_ends_after_start",
                violation_error_message="La fin de l'exonération précède son début.",
            ),
            models.UniqueConstraint(
                fields=["person", "kind", "start_on"], name="exemption_tm_once_per_start"
            ),
        ]

    def __str__(self) -> str:
        return f"Exonération du ticket modérateur : {self.period_display}"

    def covers(self, day: dt.date | None = None) -> bool:
        day = day or timezone.localdate()
        return self.start_on <= day and (self.end_on is None or day <= self.end_on)

    @property
    def is_current(self) -> bool:
        return self.covers()

    @property
    def status_display(self) -> str:
        """'En cours', 'À venir' or 'Terminée', today."""
        if self.is_current:
            return "En cours"
        return "À venir" if self.start_on > timezone.localdate() else "Terminée"

    @property
    def period_display(self) -> str:
        """'affection de longue durée (ALD) depuis le 12/03/2021 jusqu'au 11/03/2031'."""
        until = f" jusqu'au {self.end_on:%d/%m/%Y}" if self.end_on else ""
        return f"{self.get_kind_display()} depuis le {self.start_on:%d/%m/%Y}{until}"
