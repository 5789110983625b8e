"""Finding a member of the agent's fund, reading their file on tabs, acting on their account."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from guichet.backoffice import file_tabs, forms
from guichet.backoffice.common import SERVICE_OF_ROLE, fund_of, paginate, query_without_page
from guichet.backoffice.perms import Capability, agent_required, can
from guichet.core.forms import posted
from guichet.core.http import actor_of
from guichet.core.selectors import FILE_VIEWED
from guichet.core.services import record_audit
from guichet.identity import selectors as identity_selectors
from guichet.identity import services as identity_services
from guichet.insured import selectors as insured_selectors
from guichet.payments import selectors as payment_selectors
from guichet.payments.enums import CopaymentStatus
from guichet.workqueues import selectors as work_selectors


@agent_required(Capability.HOME)
def home_view(request: HttpRequest) -> HttpResponse:
    fund = fund_of(request)
    profile = request.user.agent_profile
    summaries = []
    if can(request.user, Capability.WORK_QUEUES):
        roles = None if can(request.user, Capability.ASSIGN_WORK) else {profile.role}
        summaries = work_selectors.queue_summaries(fund=fund, roles=roles)
    return render(
        request,
        "backoffice/home.html",
        {"form": forms.SearchForm(), "summaries": summaries, "profile": profile, "fund": fund},
    )


@agent_required(Capability.SEARCH_MEMBERS)
def search_view(request: HttpRequest) -> HttpResponse:
    searched = any(request.GET.get(name) for name in ("nir", "last_name", "birth_date", "email"))
    form = forms.SearchForm(request.GET if searched else None)
    page = None
    if searched and form.is_valid():
        fund = fund_of(request)
        data = form.cleaned_data
        persons = insured_selectors.search_persons(
            fund_id=fund.pk,
            nir13=data["nir"],
            last_name=data["last_name"],
            birth_date=data["birth_date"],
            email=data["email"],
        )
        page = paginate(request, persons)
        record_audit(
            actor=actor_of(request),
            action="member.searched",
            criteria=form.criteria,
            results=page.paginator.count,
        )
    return render(
        request,
        "backoffice/search.html",
        {"form": form, "page": page, "query": query_without_page(request)},
    )


def _person_or_404(request: HttpRequest, person_id: int):
    person = insured_selectors.person_of_fund(fund_id=fund_of(request).pk, person_id=person_id)
    if person is None:
        raise Http404("Cet assuré n'est pas dans votre caisse.")
    return person


def _journal_look(request: HttpRequest, person, tab: str, **details):
    """Every look is journaled; the member will read the fund and the service, not the agent.
    Returns the agent's fund."""
    fund = fund_of(request)
    record_audit(
        actor=actor_of(request),
        action=FILE_VIEWED,
        person_id=person.pk,
        tab=tab,
        fund=fund.name,
        service=SERVICE_OF_ROLE.get(request.user.agent_profile.role, "Caisse"),
        **details,
    )
    return fund


@agent_required(Capability.VIEW_MEMBER_FILE)
def member_file_view(request: HttpRequest, person_id: int, tab: str = "identite") -> HttpResponse:
    person = _person_or_404(request, person_id)
    tabs = file_tabs.tabs_for(request.user)
    current = next((t for t in tabs if t.slug == tab), None)
    if current is None:
        raise Http404("Cet onglet n'existe pas.")
    fund = _journal_look(request, person, current.slug)
    context = file_tabs.FileContext(request=request, person=person, fund=fund)
    return render(
        request,
        "backoffice/member_file.html",
        {"person": person, "tabs": tabs, "tab": current, **current.data(context)},
    )


@agent_required(Capability.VIEW_MEMBER_FILE)
@require_GET
def member_payment_view(request: HttpRequest, person_id: int, payment_id: int) -> HttpResponse:
    person = _person_or_404(request, person_id)
    detail = payment_selectors.payment_detail_of_file(person=person, payment_id=payment_id)
    if detail is None:
        raise Http404("Ce paiement n'est pas dans le dossier de cet assuré.")
    _journal_look(request, person, "paiements", payment=detail.payment.external_id)
    return render(
        request,
        "backoffice/member_payment.html",
        {
            "person": person,
            "detail": detail,
            "payment": detail.payment,
            "statuses": CopaymentStatus,
        },
    )


ACTIONS = {
    "unlock": {
        "capability": Capability.UNLOCK_ACCOUNT,
        "service": identity_services.unlock_account,
        "form": forms.ReasonForm,
        "title": "Débloquer le compte",
        "button": "Débloquer le compte",
        "intro": "L'assuré pourra de nouveau se connecter avec son code personnel. Il en est informé par e-mail.",
        "done": "Le compte est débloqué. L'assuré en est informé par e-mail.",
    },
    "provisional_code": {
        "capability": Capability.SEND_PROVISIONAL_CODE,
        "service": identity_services.send_provisional_code,
        "form": forms.ReasonForm,
        "title": "Envoyer un nouveau code provisoire",
        "button": "Envoyer le code provisoire",
        "intro": "Un code provisoire valable 72 heures est envoyé à l'adresse e-mail du dossier ; "
        "l'assuré choisira ensuite un nouveau code personnel.",
        "done": "Un nouveau code provisoire a été envoyé à l'assuré par e-mail.",
    },
    "close": {
        "capability": Capability.CLOSE_ACCOUNT,
        "service": identity_services.close_account_by_fund,
        "form": forms.CloseAccountForm,
        "title": "Fermer le compte en ligne",
        "button": "Fermer le compte",
        "intro": "L'assuré ne pourra plus se connecter ; son dossier, ses droits et ses paiements ne "
        "changent pas, et il pourra créer à nouveau son compte. Il en est informé par e-mail.",
        "done": "Le compte est fermé. L'assuré en est informé par e-mail.",
    },
}


def _account_action(request: HttpRequest, person_id: int, action: str) -> HttpResponse:
    spec = ACTIONS[action]
    person = _person_or_404(request, person_id)
    account = identity_selectors.account_of_person(person_id=person.pk)
    if account is None:
        raise Http404("Cet assuré n'a pas de compte en ligne.")
    form = spec["form"](posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            spec["service"](
                account=account, reason=form.cleaned_data["reason"], actor=actor_of(request)
            )
        except identity_services.IdentityError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, spec["done"])
            return redirect("backoffice:member_file_tab", person.pk, "compte")
    return render(
        request,
        "backoffice/account_action.html",
        {"person": person, "account": account, "form": form, "spec": spec},
    )


def _action_view(action: str):
    @agent_required(ACTIONS[action]["capability"])
    @require_http_methods(["GET", "POST"])
    def view(request: HttpRequest, person_id: int) -> HttpResponse:
        return _account_action(request, person_id, action)

    view.__name__ = f"{action}_view"
    return view


unlock_view = _action_view("unlock")
provisional_code_view = _action_view("provisional_code")
close_account_view = _action_view("close")
