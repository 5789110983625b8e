"""The agents' login: e-mail and password, then the authenticator app's code (or enrolling one)."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from guichet.backoffice import forms
from guichet.core.forms import posted
from guichet.core.http import actor_of, login_rate_limited
from guichet.core.templatetags.guichet import time_fr
from guichet.identity import services, totp
from guichet.identity.middleware import LAST_SEEN
from guichet.identity.models import Account
from guichet.identity.perms import is_agent
from guichet.identity.services import AgentStep

PENDING = "pending_agent_login"
PENDING_MAX_AGE = 10 * 60
TOO_MANY = "Trop de tentatives ont été faites depuis ce poste. Patientez quelques minutes avant de réessayer."
STEP_URLS = {
    AgentStep.SECOND_FACTOR: "backoffice:second_factor",
    AgentStep.ENROL: "backoffice:enrol",
    AgentStep.CHOOSE_PASSWORD: "backoffice:choose_password",
}


def _limited(request: HttpRequest, group: str) -> bool:
    return login_rate_limited(request, group)


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/agents/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("backoffice:home")


def _locked_message(locked_until) -> str:
    return (
        "Par sécurité, l'accès à ce compte est bloqué après 5 erreurs. "
        f"Vous pourrez réessayer à partir de {time_fr(locked_until)}, "
        "ou demandez à votre superviseur de le débloquer."
    )


def _pending(request: HttpRequest, step: AgentStep) -> tuple[dict, Account] | tuple[None, None]:
    pending = request.session.get(PENDING)
    if (
        not pending
        or pending.get("step") != step
        or time.time() - pending.get("at", 0) > PENDING_MAX_AGE
    ):
        return None, None
    account = (
        Account.objects.select_related("agent_profile__fund").filter(pk=pending["account"]).first()
    )
    if account is None or not account.is_active:
        return None, None
    return pending, account


def _start_over(request: HttpRequest) -> HttpResponse:
    request.session.pop(PENDING, None)
    messages.info(request, "Saisissez à nouveau votre adresse e-mail et votre mot de passe.")
    return redirect("backoffice:login")


def _go_to_step(
    request: HttpRequest, account: Account, step: AgentStep, next_url: str
) -> HttpResponse:
    request.session[PENDING] = {
        "account": account.pk,
        "step": str(step),
        "at": time.time(),
        "next": next_url,
    }
    return redirect(STEP_URLS[step])


def _sign_in(request: HttpRequest, account: Account, *, method: str) -> None:
    next_url = request.session.get(PENDING, {}).get("next") or reverse("backoffice:home")
    account = services.complete_login(account=account, actor=actor_of(request), method=method)
    login(request, account, backend="guichet.identity.backends.AccountBackend")
    request.session[LAST_SEEN] = int(time.time())
    request.session["agent_next"] = next_url


def _after_sign_in(request: HttpRequest) -> HttpResponse:
    return redirect(request.session.pop("agent_next", None) or "backoffice:home")


@login_not_required
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    if is_agent(request.user):
        return redirect("backoffice:home")
    form = forms.AgentLoginForm(posted(request))
    if request.method == "POST" and _limited(request, "agent-login"):
        form.is_valid()
        form.add_error(None, TOO_MANY)
    elif request.method == "POST" and form.is_valid():
        result = services.check_agent_credentials(
            identifier=form.cleaned_data["email"],
            password=form.cleaned_data["password"],
            actor=actor_of(request),
        )
        if result.step in STEP_URLS:
            return _go_to_step(request, result.account, result.step, _safe_next(request))
        if result.step == AgentStep.LOCKED:
            form.add_error(None, _locked_message(result.locked_until))
        else:
            tries = result.attempts_left
            form.add_error(
                None,
                "L'adresse e-mail ou le mot de passe est incorrect. "
                f"Il vous reste {tries} essai{'s' if tries > 1 else ''} avant le blocage temporaire de l'accès.",
            )
    return render(
        request, "backoffice/login.html", {"form": form, "next": request.GET.get("next", "")}
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def choose_password_view(request: HttpRequest) -> HttpResponse:
    pending, account = _pending(request, AgentStep.CHOOSE_PASSWORD)
    if pending is None:
        return _start_over(request)
    form = forms.ChoosePasswordForm(posted(request), email=account.identifier)
    if request.method == "POST" and form.is_valid():
        account = services.choose_agent_password(
            account=account, password=form.cleaned_data["password"], actor=actor_of(request)
        )
        messages.success(request, "Votre mot de passe est enregistré.")
        step = AgentStep.SECOND_FACTOR if account.agent_profile.has_totp else AgentStep.ENROL
        return _go_to_step(request, account, step, pending["next"])
    return render(request, "backoffice/choose_password.html", {"form": form})


@login_not_required
@require_http_methods(["GET", "POST"])
def enrol_view(request: HttpRequest) -> HttpResponse:
    pending, account = _pending(request, AgentStep.ENROL)
    if pending is None:
        return _start_over(request)
    try:
        secret = services.start_totp_enrolment(account=account, actor=actor_of(request))
    except services.IdentityError:
        return _go_to_step(request, account, AgentStep.SECOND_FACTOR, pending["next"])
    form = forms.EnrolForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            enrolment = services.confirm_totp_enrolment(
                account=account, code=form.cleaned_data["code"], actor=actor_of(request)
            )
        except services.IdentityError as error:
            form.add_error("code", str(error))
        else:
            _sign_in(request, account, method="password+totp_enrolment")
            request.session.pop(PENDING, None)
            # Shown once, in this answer only: never stored in clear, nor in the session.
            return render(
                request,
                "backoffice/recovery_codes.html",
                {"codes": enrolment.recovery_codes, "next": request.session.get("agent_next", "")},
            )
    uri = totp.provisioning_uri(
        secret=secret,
        account_name=account.identifier,
        issuer=f"{settings.GUICHET_SITE_NAME} agents",
    )
    return render(
        request,
        "backoffice/enrol.html",
        {"form": form, "qr_code": totp.qr_code_data_uri(uri), "secret": totp.grouped(secret)},
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def second_factor_view(request: HttpRequest) -> HttpResponse:
    pending, account = _pending(request, AgentStep.SECOND_FACTOR)
    if pending is None:
        return _start_over(request)
    form = forms.SecondFactorForm(posted(request))
    if request.method == "POST" and form.is_valid():
        result = services.verify_second_factor(
            account=account, code=form.cleaned_data["code"], actor=actor_of(request)
        )
        if result.ok:
            _sign_in(request, account, method="password+totp")
            request.session.pop(PENDING, None)
            if result.recovery_codes_left is not None:
                left = result.recovery_codes_left
                messages.warning(
                    request,
                    f"Vous vous êtes connecté(e) avec un code de secours : il vous en reste {left}. "
                    "Si vous avez perdu votre téléphone, demandez à votre superviseur de réinitialiser "
                    "votre double authentification.",
                )
            return _after_sign_in(request)
        if result.locked_until is not None:
            request.session.pop(PENDING, None)
            messages.error(request, _locked_message(result.locked_until))
            return redirect("backoffice:login")
        tries = result.attempts_left
        form.add_error(
            "code",
            f"Ce code n'est pas le bon. Il vous reste {tries} essai{'s' if tries > 1 else ''}.",
        )
    return render(request, "backoffice/second_factor.html", {"form": form})


@login_not_required
@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        services.record_logout(account=request.user, actor=actor_of(request))
    logout(request)
    messages.success(request, "Vous êtes déconnecté(e) de l'espace agents.")
    return redirect("backoffice:login")
