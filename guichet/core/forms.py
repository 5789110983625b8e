"""Form rendering and fields shared by every app: labels above fields, errors next to them."""

from django import forms
from django.forms.renderers import DjangoTemplates

REQUIRED_MESSAGE = "Ce champ est obligatoire."


class GuichetFormRenderer(DjangoTemplates):
    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"


class GuichetForm(forms.Form):
    """A form whose error messages speak plain French and whose labels carry no colon."""

    label_suffix = ""
    mark_required = False  # True: each required label says "(champ obligatoire)"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        django_default = str(forms.Field.default_error_messages["required"])
        for field in self.fields.values():
            if str(field.error_messages.get("required", django_default)) == django_default:
                field.error_messages["required"] = REQUIRED_MESSAGE


class FrenchDateField(forms.DateField):
    """A date typed as JJ/MM/AAAA: a plain text box, which every assistive technology reads well."""

    widget = forms.DateInput(
        format="%d/%m/%Y", attrs={"inputmode": "numeric", "autocomplete": "bday"}
    )
    input_formats = ["%d/%m/%Y", "%d%m%Y", "%d-%m-%Y", "%d.%m.%Y", "%d %m %Y", "%Y-%m-%d"]
    default_error_messages = {
        "invalid": "Saisissez une date au format JJ/MM/AAAA, par exemple 25/02/1983."
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "Au format JJ/MM/AAAA, par exemple 25/02/1983.")
        super().__init__(**kwargs)


def posted(request):
    """The form data of a POST (even an empty one, which must show "Ce champ est obligatoire."),
    None for a GET so that the form is shown unbound."""
    return request.POST if request.method == "POST" else None
