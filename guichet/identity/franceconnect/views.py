"""FranceConnect's screens: start, callback, the account-creation step, the return from logout.

Every failure ends on a French page that says what happened and what to do, with a row in the
audit journal: never a 500.
"""

import hmac
import logging
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods

from guichet.core.forms import posted
from guichet.core.http import actor_of, login_rate_limited
from guichet.identity import forms, services
from guichet.identity.enums import FranceConnectPurpose
from guichet.identity.franceconnect.client import get_client
from guichet.identity.franceconnect.errors import MESSAGES, Failure, FranceConnectError
from guichet.identity.franceconnect.pivot import PivotIdentity
from guichet.identity.middleware import LAST_SEEN
from guichet.identity.models import Account
from guichet.identity.pending import await_email_code
from guichet.insured import selectors as insured_selectors

logger = logging.getLogger(__name__)

SESSION_STATE = "fc_state"
SESSION_LOGOUT_STATE = "fc_logout_state"
SESSION_SIGNUP = "fc_signup"
# The id_token of the FranceConnect session under way: the hint its logout needs.
SESSION_ID_TOKEN = "fc_id_token"
SIGNUP_MAX_AGE = 15 * 60


def is_enabled() -> bool:
    return bool(settings.FC_DISCOVERY_URL)


def _failure_page(
    request: HttpRequest, failure: Failure, detail: str = "", *, status: int = 200
) -> HttpResponse:
    services.record_failure(actor=actor_of(request), failure=failure, detail=detail)
    logger.info("franceconnect failure=%s detail=%s", failure, detail)
    title, text = MESSAGES[failure]
    return render(
        request,
        "identity/franceconnect_problem.html",
        {
            "title": title,
            "paragraphs": [text],
            "retry": failure not in (Failure.DISABLED, Failure.TOO_MANY),
        },
        status=status,
    )


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def _returned_state(request: HttpRequest, session_key: str) -> str:
    """The state FranceConnect brought back, if this browser's session is the one that sent it."""
    state = request.GET.get("state", "")
    expected = request.session.pop(session_key, "")
    if not (state and expected):
        return ""
    # Compared as bytes: compare_digest refuses str with non-ASCII characters ("?state=é").
    same = hmac.compare_digest(state.encode(errors="replace"), expected.encode())
    return state if same else ""


@login_not_required
@require_http_methods(["GET", "POST"])
def start_view(request: HttpRequest) -> HttpResponse:
    """GET: the page of the button; POST: off to FranceConnect, with a fresh state and nonce."""
    if request.method == "GET":
        return render(request, "identity/franceconnect.html", {"enabled": is_enabled()})
    client = get_client()
    if client is None:
        return _failure_page(request, Failure.DISABLED)
    if login_rate_limited(request, "franceconnect"):  # each round trip writes two rows
        return _failure_page(request, Failure.TOO_MANY, status=429)
    row = services.begin_round_trip(
        purpose=FranceConnectPurpose.LOGIN, actor=actor_of(request), next_url=_safe_next(request)
    )
    try:
        url = client.authorization_url(state=row.state, nonce=row.nonce)
    except FranceConnectError as error:
        return _failure_page(request, error.failure, error.detail, status=503)
    request.session[SESSION_STATE] = row.state
    return redirect(url)


@login_not_required
@require_GET
def callback_view(request: HttpRequest) -> HttpResponse:
    """FranceConnect sends the browser back here, with a code or an error, and our state."""
    state = _returned_state(request, SESSION_STATE)
    if not state:
        return _failure_page(request, Failure.STATE, "state is not this browser's", status=400)
    row = services.use_state(state=state, purpose=FranceConnectPurpose.LOGIN)
    if row is None:
        return _failure_page(request, Failure.STATE, "state unknown, used or expired", status=400)
    error = request.GET.get("error", "")
    if error:
        failure = Failure.DENIED if error == "access_denied" else Failure.PROVIDER_ERROR
        return _failure_page(
            request, failure, f"{error}: {request.GET.get('error_description', '')}"
        )
    code = request.GET.get("code", "")
    client = get_client()
    if not code:
        return _failure_page(request, Failure.PROVIDER_ERROR, "no code", status=400)
    if client is None:
        return _failure_page(request, Failure.DISABLED)
    try:
        tokens = client.exchange_code(code=code)
        claims = client.verify_id_token(tokens.id_token, nonce=row.nonce)
        userinfo = client.fetch_userinfo(access_token=tokens.access_token, sub=claims["sub"])
        identity = PivotIdentity.from_claims(userinfo)
    except FranceConnectError as failure:
        return _failure_page(request, failure.failure, failure.detail, status=502)
    except Exception:  # a bug of ours or a surprise of theirs: still a clear page, and a trace
        logger.exception("franceconnect callback failed unexpectedly")
        return _failure_page(request, Failure.UNAVAILABLE, "unexpected error", status=502)

    request.session[SESSION_ID_TOKEN] = tokens.id_token
    actor = actor_of(request)
    match = services.match_identity(identity=identity, actor=actor)
    if match.kind == services.MatchKind.ACCOUNT:
        assert match.account is not None
        return _open_session(request, match.account, next_url=row.next_url)
    if match.kind == services.MatchKind.CREATE:
        assert match.person is not None
        request.session[SESSION_SIGNUP] = {
            "person": match.person.pk,
            "email": identity.email,
            "name": identity.display_name,
            "at": time.time(),
        }
        return redirect("identity:franceconnect_signup")
    return render(
        request,
        "identity/franceconnect_no_match.html",
        {"match": match, "name": identity.display_name, "several": match.kind == "several"},
    )


def _open_session(request: HttpRequest, account: Account, *, next_url: str = "") -> HttpResponse:
    """FranceConnect is the proof: the member is in, without the e-mailed code."""
    id_token = request.session.get(SESSION_ID_TOKEN, "")
    if request.user.is_authenticated and request.user.pk != account.pk:
        logout(request)
    account = services.log_in(account=account, actor=actor_of(request))
    login(request, account, backend="guichet.identity.backends.AccountBackend")
    request.session[SESSION_ID_TOKEN] = id_token
    request.session[LAST_SEEN] = int(time.time())
    return redirect(next_url or settings.LOGIN_REDIRECT_URL)


@login_not_required
@require_http_methods(["GET", "POST"])
def signup_view(request: HttpRequest) -> HttpResponse:
    """Create the account: only what FranceConnect did not give is asked."""
    pending = request.session.get(SESSION_SIGNUP)
    person = None
    if pending and time.time() - pending.get("at", 0) <= SIGNUP_MAX_AGE:
        person = insured_selectors.find_for_account_creation_by_id(person_id=pending["person"])
    if person is None:
        request.session.pop(SESSION_SIGNUP, None)
        messages.info(
            request,
            "Cette étape a expiré. Identifiez-vous à nouveau avec FranceConnect pour créer votre compte.",
        )
        return redirect("identity:signup")
    fc_email = pending.get("email", "")
    form = forms.FranceConnectSignupForm(
        posted(request), initial={"email": fc_email, "email_confirm": fc_email}, person=person
    )
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if not insured_selectors.email_is_free(email=email, except_person=person):
            form.add_error("email", services.EMAIL_TAKEN)
        else:
            try:
                created = services.create_account(
                    person=person,
                    email=email,
                    personal_code=form.cleaned_data["new_code"],
                    actor=actor_of(request),
                )
            except services.CreationRefused as error:
                form.add_error(None, str(error))
            else:
                request.session.pop(SESSION_SIGNUP, None)
                messages.success(
                    request,
                    "Votre compte est créé. Vous vous connecterez désormais avec FranceConnect"
                    + (
                        " ou avec votre numéro de sécurité sociale et votre code personnel."
                        if form.cleaned_data["new_code"]
                        else "."
                    ),
                )
                # In, since FranceConnect proved who they are; their e-mail is proven by its code.
                response = _open_session(
                    request, created.account, next_url=reverse("identity:change_email_confirm")
                )
                challenge = created.email_challenge
                await_email_code(request, challenge_id=challenge.pk, email=challenge.email)
                return response
    return render(
        request,
        "identity/franceconnect_signup.html",
        {"form": form, "person": person, "name": pending.get("name", ""), "fc_email": fc_email},
    )


def end_session_redirect(request: HttpRequest, id_token: str) -> HttpResponse | None:
    """After Guichet's own logout: the browser goes to FranceConnect's end-session, which ends
    FranceConnect's session too and comes back to `logout_return_view`. None if it cannot."""
    client = get_client()
    if client is None:
        return None
    row = services.begin_round_trip(purpose=FranceConnectPurpose.LOGOUT, actor=actor_of(request))
    try:
        url = client.end_session_url(id_token=id_token, state=row.state)
    except FranceConnectError as error:
        services.record_failure(actor=actor_of(request), failure=error.failure, detail=error.detail)
        messages.warning(
            request,
            "FranceConnect ne répond pas : fermez votre navigateur pour terminer aussi votre session "
            "FranceConnect.",
        )
        return None
    request.session[SESSION_LOGOUT_STATE] = row.state
    return redirect(url)


@login_not_required
@require_GET
def logout_return_view(request: HttpRequest) -> HttpResponse:
    """FranceConnect ended its session and sends the browser back with our state."""
    state = _returned_state(request, SESSION_LOGOUT_STATE)
    if not services.finish_logout(state=state, actor=actor_of(request)):
        messages.warning(
            request,
            "La fin de votre session FranceConnect n'a pas pu être confirmée : fermez votre "
            "navigateur pour en sortir complètement.",
        )
    return redirect("identity:logout")
