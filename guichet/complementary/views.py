"""The overlap of complementary insurers, for the member: the login dialog (also a page), the
choice for every person at once, its confirmation, then the satisfaction rating (seed 003)."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from guichet.complementary import forms, selectors, services
from guichet.complementary.prompt import LATER
from guichet.core.forms import posted
from guichet.core.http import actor_of
from guichet.identity.perms import member_required

PICKED = "complementary_choice"  # the choice waiting for its confirmation


@member_required
def notice_view(request: HttpRequest) -> HttpResponse:
    """The dialog as a page: where the home page's dialog leads without JavaScript."""
    situation = selectors.situation_of(holder=request.user.insured_person)
    return render(request, "complementary/notice.html", {"situation": situation})


@member_required
@require_POST
def later_view(request: HttpRequest) -> HttpResponse:
    request.session[LATER] = True
    return redirect("home:index")


@member_required
@require_http_methods(["GET", "POST"])
def choice_view(request: HttpRequest) -> HttpResponse:
    situation = selectors.situation_of(holder=request.user.insured_person)
    if not situation.may_choose:
        return render(request, "complementary/notice.html", {"situation": situation})
    picked = request.session.get(PICKED, {})
    initial = {forms.person_field(int(k)): v for k, v in picked.get("kept", {}).items()}
    form = forms.ChoiceForm(
        posted(request),
        situation=situation,
        initial={**initial, "empreinte": situation.fingerprint},
    )
    if request.method == "POST" and form.is_valid():
        request.session[PICKED] = {
            "kept": {str(k): v for k, v in form.kept.items()},
            "fingerprint": form.cleaned_data["empreinte"],
        }
        return redirect("complementary:confirm")
    return render(request, "complementary/choice.html", {"form": form, "situation": situation})


@member_required
@require_http_methods(["GET", "POST"])
def confirm_view(request: HttpRequest) -> HttpResponse:
    holder = request.user.insured_person
    picked = request.session.get(PICKED)
    if not picked:
        return redirect("complementary:choice")
    kept = {int(k): v for k, v in picked["kept"].items()}
    if request.method == "POST":
        try:
            created = services.submit_choice(
                holder=holder, kept=kept, fingerprint=picked["fingerprint"], actor=actor_of(request)
            )
        except services.ChoiceRefused as refusal:
            request.session.pop(PICKED, None)
            messages.error(request, str(refusal))
            return redirect("complementary:choice")
        request.session.pop(PICKED, None)
        return redirect("complementary:sent", created.pk)
    situation = selectors.situation_of(holder=holder)
    contracts = selectors.contracts_by_id(ids=kept.values())
    rows = [(o.person, contracts.get(kept.get(o.person.pk, 0))) for o in situation.overlaps]
    return render(request, "complementary/confirm.html", {"rows": rows})


@member_required
@require_http_methods(["GET", "POST"])
def sent_view(request: HttpRequest, request_id: int) -> HttpResponse:
    selection = selectors.request_of_member(
        holder=request.user.insured_person, request_id=request_id
    )
    if selection is None:
        raise Http404("Cette demande n'existe pas.")
    form = forms.RatingForm(posted(request))
    if request.method == "POST" and form.is_valid():
        services.rate_service(
            request=selection,
            rating=form.cleaned_data["note"],
            comment=form.cleaned_data["commentaire"],
            actor=actor_of(request),
        )
        messages.success(request, "Merci, votre avis a bien été enregistré.")
        return redirect("complementary:sent", selection.pk)
    return render(request, "complementary/sent.html", {"selection": selection, "form": form})
