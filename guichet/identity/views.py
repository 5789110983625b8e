"""Identity screens: log in, e-mail code, choose a code, code oublié, create an account, log out."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from guichet.core.forms import posted
from guichet.core.http import actor_of, login_rate_limited
from guichet.core.templatetags.guichet import time_fr
from guichet.identity import forms, services
from guichet.identity.enums import ChallengePurpose
from guichet.identity.franceconnect import views as franceconnect_views
from guichet.identity.middleware import LAST_SEEN
from guichet.identity.models import Account
from guichet.identity.pending import SESSION_EMAIL_CHANGE, await_email_code
from guichet.identity.perms import is_member, member_required
from guichet.identity.services import LoginStep
from guichet.insured import selectors as insured_selectors

DEVICE_COOKIE = "guichet_appareil"
DEVICE_COOKIE_AGE = 400 * 24 * 3600
PENDING = "pending_login"
PENDING_MAX_AGE = 15 * 60
SIGNUP = "signup"
SIGNUP_IBAN_TRIES = 3
MAX_CODE_RESENDS = 3
TOO_MANY = (
    "Trop de tentatives ont été faites depuis votre connexion internet. "
    "Patientez quelques minutes avant de réessayer."
)


def _limited(request: HttpRequest, group: str) -> bool:
    return login_rate_limited(request, group)


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


BROWSERS = (("Edg/", "Edge"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Safari/", "Safari"))
SYSTEMS = (("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"), ("Windows", "Windows"),
           ("Mac OS", "Mac"), ("Linux", "Linux"))  # fmt: skip


def _device_label(request: HttpRequest) -> str:
    """'Chrome sur Android': how the member will recognise this device in a list."""
    agent = request.META.get("HTTP_USER_AGENT", "")
    browser = next((label for key, label in BROWSERS if key in agent), "Navigateur")
    system = next((label for key, label in SYSTEMS if key in agent), "système inconnu")
    return f"{browser} sur {system}"


def _sign_in(
    request: HttpRequest, account: Account, *, method: str, device_token: str = ""
) -> HttpResponse:
    """Open the member's session (a new session key) and go where they were heading."""
    target = request.session.get(PENDING, {}).get("next") or _safe_next(request)
    account = services.complete_login(account=account, actor=actor_of(request), method=method)
    login(request, account, backend="guichet.identity.backends.AccountBackend")
    request.session.pop(PENDING, None)
    request.session[LAST_SEEN] = int(time.time())
    response = redirect(target)
    if device_token:
        response.set_cookie(
            DEVICE_COOKIE,
            device_token,
            max_age=DEVICE_COOKIE_AGE,
            secure=settings.SECURE_COOKIES,
            httponly=True,
            samesite="Lax",
        )
    return response


def _pending(request: HttpRequest, step: str) -> tuple[dict, Account] | tuple[None, None]:
    """The login under way in this browser (at most 15 minutes old) and its account."""
    pending = request.session.get(PENDING)
    if (
        not pending
        or pending.get("step") != step
        or time.time() - pending.get("at", 0) > PENDING_MAX_AGE
    ):
        return None, None
    account = Account.objects.select_related("insured_person").filter(pk=pending["account"]).first()
    return (pending, account) if account is not None and account.is_active else (None, None)


@login_not_required
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    if is_member(request.user):
        return redirect(settings.LOGIN_REDIRECT_URL)
    form = forms.LoginForm(posted(request))
    locked = False
    if request.method == "POST" and _limited(request, "login"):
        form.is_valid()
        form.add_error(None, TOO_MANY)
    elif request.method == "POST" and form.is_valid():
        result = services.check_member_credentials(
            nir13=form.cleaned_data["nir"],
            code=form.cleaned_data["code"],
            device_token=request.COOKIES.get(DEVICE_COOKIE, ""),
            actor=actor_of(request),
        )
        if result.step == LoginStep.DONE:
            return _sign_in(request, result.account, method="code")
        if result.step in (LoginStep.EMAIL_CODE, LoginStep.CHOOSE_CODE):
            request.session[PENDING] = {
                "account": result.account.pk,
                "step": str(result.step),
                "at": time.time(),
                "challenge": result.challenge.pk if result.challenge else None,
                "resends": 0,
                "next": _safe_next(request),
            }
            return redirect(
                "identity:email_code"
                if result.step == LoginStep.EMAIL_CODE
                else "identity:choose_code"
            )
        if result.step == LoginStep.LOCKED:
            locked = True
            form.add_error(
                None,
                "Par sécurité, l'accès à ce compte est bloqué après 5 codes erronés. "
                f"Vous pourrez réessayer à partir de {time_fr(result.locked_until)}. "
                "Si vous avez oublié votre code, utilisez « Code oublié ? » pour en recevoir un nouveau.",
            )
        else:
            tries = result.attempts_left
            form.add_error(
                None,
                "Le numéro de sécurité sociale ou le code saisi est incorrect. "
                f"Il vous reste {tries} essai{'s' if tries > 1 else ''} avant le blocage temporaire de l'accès.",
            )
    return render(
        request,
        "identity/login.html",
        {"form": form, "next": request.GET.get("next", ""), "locked": locked},
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def email_code_view(request: HttpRequest) -> HttpResponse:
    pending, account = _pending(request, LoginStep.EMAIL_CODE)
    if pending is None:
        messages.info(
            request, "Saisissez à nouveau votre numéro de sécurité sociale et votre code."
        )
        return redirect("identity:login")
    form = forms.EmailCodeForm(posted(request))
    if request.method == "POST" and request.POST.get("action") == "resend":
        if pending["resends"] >= MAX_CODE_RESENDS:
            messages.error(
                request, "Vous avez demandé le nombre maximum de codes. Reconnectez-vous plus tard."
            )
        else:
            challenge = services.send_email_challenge(
                account=account, purpose=ChallengePurpose.LOGIN, actor=actor_of(request)
            )
            pending.update(challenge=challenge.pk, resends=pending["resends"] + 1, at=time.time())
            request.session[PENDING] = pending
            messages.success(request, "Un nouveau code de sécurité vient de vous être envoyé.")
        return redirect("identity:email_code")
    if request.method == "POST" and form.is_valid():
        result = services.verify_email_challenge(
            challenge_id=pending["challenge"],
            code=form.cleaned_data["code"],
            actor=actor_of(request),
        )
        if result.ok:
            token = services.trust_device(
                account=account, label=_device_label(request), actor=actor_of(request)
            )
            return _sign_in(request, account, method="code+email", device_token=token)
        if result.expired:
            request.session.pop(PENDING, None)
            messages.error(
                request,
                "Ce code de sécurité n'est plus valable (trop d'essais ou plus de 15 minutes). "
                "Reconnectez-vous pour en recevoir un nouveau.",
            )
            return redirect("identity:login")
        tries = result.attempts_left
        form.add_error(
            "code",
            f"Ce code n'est pas le bon. Il vous reste {tries} essai{'s' if tries > 1 else ''}.",
        )
    return render(
        request, "identity/email_code.html", {"form": form, "email": account.insured_person.email}
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def choose_code_view(request: HttpRequest) -> HttpResponse:
    pending, account = _pending(request, LoginStep.CHOOSE_CODE)
    if pending is None:
        messages.info(
            request,
            "Votre code provisoire ne sert qu'une fois et cette étape a expiré : demandez-en un nouveau "
            "avec « Code oublié ? » ou, si vous venez de créer votre compte, en recommençant sa création.",
        )
        return redirect("identity:login")
    form = forms.NewCodeForm(posted(request), person=account.insured_person)
    if request.method == "POST" and form.is_valid():
        actor = actor_of(request)
        account = services.choose_personal_code(
            account=account, code=form.cleaned_data["new_code"], actor=actor
        )
        token = services.trust_device(account=account, label=_device_label(request), actor=actor)
        messages.success(
            request,
            "Votre code personnel est enregistré. Utilisez-le pour vos prochaines connexions.",
        )
        return _sign_in(request, account, method="provisional_code", device_token=token)
    return render(request, "identity/choose_code.html", {"form": form})


@login_not_required
@require_http_methods(["GET", "POST"])
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        id_token = request.session.get(franceconnect_views.SESSION_ID_TOKEN, "")
        if request.user.is_authenticated:
            services.record_logout(account=request.user, actor=actor_of(request))
        logout(request)
        if id_token:  # a FranceConnect session: end it too, at FranceConnect
            response = franceconnect_views.end_session_redirect(request, id_token)
            if response is not None:
                return response
        return redirect("identity:logout")
    return render(request, "identity/logged_out.html")


@login_not_required
@require_http_methods(["GET", "POST"])
def forgot_code_view(request: HttpRequest) -> HttpResponse:
    form = forms.ForgotCodeForm(posted(request))
    if request.method == "POST" and _limited(request, "forgot"):
        form.is_valid()
        form.add_error(None, TOO_MANY)
    elif request.method == "POST" and form.is_valid():
        services.request_code_reset(
            nir13=form.cleaned_data["nir"],
            birth_date=form.cleaned_data["birth_date"],
            actor=actor_of(request),
        )
        return redirect("identity:forgot_code_sent")
    return render(request, "identity/forgot_code.html", {"form": form})


@login_not_required
def forgot_code_sent_view(request: HttpRequest) -> HttpResponse:
    return render(request, "identity/forgot_code_sent.html")


@login_not_required
@require_http_methods(["GET", "POST"])
def unlock_request_view(request: HttpRequest) -> HttpResponse:
    """A locked-out member asks their fund to unlock them (a work item for its agents)."""
    form = forms.ForgotCodeForm(posted(request))
    if request.method == "POST" and _limited(request, "unlock-request"):
        form.is_valid()
        form.add_error(None, TOO_MANY)
    elif request.method == "POST" and form.is_valid():
        services.request_unlock(
            nir13=form.cleaned_data["nir"],
            birth_date=form.cleaned_data["birth_date"],
            actor=actor_of(request),
        )
        # The same answer whatever happened: it never tells whether an account exists or is locked.
        return render(request, "identity/unlock_request_sent.html")
    return render(request, "identity/unlock_request.html", {"form": form})


# --- Account creation ----------------------------------------------------------------------------


def _signup_person(request: HttpRequest, step: str):
    state = request.session.get(SIGNUP)
    if not state or state.get("step") != step:
        return None
    return insured_selectors.find_for_account_creation_by_id(person_id=state["person"])


@login_not_required
@require_http_methods(["GET", "POST"])
def signup_identity_view(request: HttpRequest) -> HttpResponse:
    form = forms.SignupIdentityForm(posted(request))
    refusal = None
    if request.method == "POST" and _limited(request, "signup"):
        form.is_valid()
        form.add_error(None, TOO_MANY)
    elif request.method == "POST" and form.is_valid():
        person = insured_selectors.find_for_account_creation(nir13=form.cleaned_data["nir"])
        if person is None or not form.matches(person):
            services.record_audit_signup(actor=actor_of(request), outcome="no_match")
            form.add_error(
                None,
                "Ces informations ne nous permettent pas de vous identifier. Vérifiez votre nom (de naissance "
                "ou d'usage), votre numéro de sécurité sociale, votre date de naissance et le code postal de "
                "l'adresse connue de votre caisse. Si elles sont exactes, contactez votre caisse.",
            )
        else:
            try:
                services.check_creation_eligibility(person=person)
            except services.CreationRefused as error:
                services.record_audit_signup(
                    actor=actor_of(request), outcome=error.reason, person_id=person.pk
                )
                refusal = error
            else:
                request.session[SIGNUP] = {"person": person.pk, "step": "iban", "tries": 0}
                return redirect("identity:signup_iban")
    return render(request, "identity/signup_identity.html", {"form": form, "refusal": refusal})


@login_not_required
@require_http_methods(["GET", "POST"])
def signup_iban_view(request: HttpRequest) -> HttpResponse:
    person = _signup_person(request, "iban")
    if person is None:
        return redirect("identity:signup")
    if not person.iban:
        return render(request, "identity/signup_no_iban.html", {"person": person})
    form = forms.SignupIbanForm(posted(request))
    if request.method == "POST" and form.is_valid():
        state = request.session[SIGNUP]
        if services.iban_suffix_matches(person=person, suffix=form.cleaned_data["iban_suffix"]):
            request.session[SIGNUP] = {**state, "step": "email"}
            return redirect("identity:signup_email")
        state["tries"] += 1
        services.record_audit_signup(
            actor=actor_of(request), outcome="iban_mismatch", person_id=person.pk
        )
        if state["tries"] >= SIGNUP_IBAN_TRIES:
            request.session.pop(SIGNUP, None)
            messages.error(
                request,
                "Les 7 derniers caractères de l'IBAN ne correspondent pas, après 3 essais. Vérifiez-les sur "
                "votre RIB et recommencez, ou contactez votre caisse si votre compte bancaire a changé.",
            )
            return redirect("identity:signup")
        request.session[SIGNUP] = state
        left = SIGNUP_IBAN_TRIES - state["tries"]
        form.add_error(
            "iban_suffix",
            "Ces caractères ne correspondent pas au compte bancaire connu de votre caisse. "
            f"Il vous reste {left} essai{'s' if left > 1 else ''}.",
        )
    return render(request, "identity/signup_iban.html", {"form": form})


@login_not_required
@require_http_methods(["GET", "POST"])
def signup_email_view(request: HttpRequest) -> HttpResponse:
    person = _signup_person(request, "email")
    if person is None:
        return redirect("identity:signup")
    form = forms.EmailForm(posted(request))
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if not insured_selectors.email_is_free(email=email, except_person=person):
            form.add_error("email", services.EMAIL_TAKEN)
        else:
            try:
                services.create_member_account(person=person, email=email, actor=actor_of(request))
            except services.CreationRefused as error:
                form.add_error(None, str(error))
            else:
                request.session[SIGNUP] = {"person": person.pk, "step": "done", "email": email}
                return redirect("identity:signup_done")
    return render(request, "identity/signup_email.html", {"form": form})


@login_not_required
def signup_done_view(request: HttpRequest) -> HttpResponse:
    state = request.session.get(SIGNUP)
    if not state or state.get("step") != "done":
        return redirect("identity:signup")
    return render(request, "identity/signup_done.html", {"email": state["email"]})


# --- Help pages ----------------------------------------------------------------------------------


@login_not_required
def nir_help_view(request: HttpRequest) -> HttpResponse:
    return render(request, "identity/help_nir.html")


@login_not_required
def franceconnect_help_view(request: HttpRequest) -> HttpResponse:
    return render(request, "identity/franceconnect_help.html")


# --- Account settings (reached from "Mes informations") ------------------------------------------


@member_required
@require_http_methods(["GET", "POST"])
def change_code_view(request: HttpRequest) -> HttpResponse:
    if not request.user.has_usable_password():  # an account opened with FranceConnect
        return _choose_first_code(request)
    form = forms.ChangeCodeForm(posted(request), person=request.user.insured_person)
    if request.method == "POST" and form.is_valid():
        try:
            account = services.change_personal_code(
                account=request.user,
                current=form.cleaned_data["current_code"],
                new=form.cleaned_data["new_code"],
                actor=actor_of(request),
            )
        except services.IdentityError as error:
            form.add_error("current_code", str(error))
        else:
            update_session_auth_hash(request, account)
            messages.success(request, "Votre code personnel a été modifié.")
            return redirect("insured:information")
    return render(request, "identity/change_code.html", {"form": form})


def _choose_first_code(request: HttpRequest) -> HttpResponse:
    form = forms.NewCodeForm(posted(request), person=request.user.insured_person)
    if request.method == "POST" and form.is_valid():
        try:
            account = services.choose_first_personal_code(
                account=request.user, code=form.cleaned_data["new_code"], actor=actor_of(request)
            )
        except services.IdentityError as error:
            form.add_error(None, str(error))
        else:
            update_session_auth_hash(request, account)
            messages.success(
                request,
                "Votre code personnel est enregistré : vous pouvez aussi vous connecter avec votre "
                "numéro de sécurité sociale.",
            )
            return redirect("insured:information")
    return render(request, "identity/change_code.html", {"form": form, "first_code": True})


@member_required
@require_http_methods(["GET", "POST"])
def change_email_view(request: HttpRequest) -> HttpResponse:
    person = request.user.insured_person
    form = forms.NewEmailForm(posted(request))
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].strip().lower()
        if email == person.email and person.email_verified_at:
            form.add_error("email", "C'est déjà votre adresse e-mail.")
        elif not insured_selectors.email_is_free(email=email, except_person=person):
            form.add_error("email", services.EMAIL_TAKEN)
        else:
            challenge = services.send_email_challenge(
                account=request.user,
                purpose=ChallengePurpose.EMAIL_CHANGE,
                actor=actor_of(request),
                email=email,
            )
            await_email_code(request, challenge_id=challenge.pk, email=email)
            return redirect("identity:change_email_confirm")
    return render(request, "identity/change_email.html", {"form": form, "person": person})


@member_required
@require_POST
def confirm_email_view(request: HttpRequest) -> HttpResponse:
    """The address on file, never proven (an account created with FranceConnect): its code."""
    person = request.user.insured_person
    if not person.email or person.email_verified_at:
        return redirect("insured:information")
    challenge = services.send_email_challenge(
        account=request.user,
        purpose=ChallengePurpose.EMAIL_CHANGE,
        actor=actor_of(request),
        email=person.email,
    )
    await_email_code(request, challenge_id=challenge.pk, email=person.email)
    return redirect("identity:change_email_confirm")


@member_required
@require_http_methods(["GET", "POST"])
def change_email_confirm_view(request: HttpRequest) -> HttpResponse:
    state = request.session.get(SESSION_EMAIL_CHANGE)
    if not state or time.time() - state["at"] > PENDING_MAX_AGE:
        return redirect("identity:change_email")
    # The address on file, not yet proven (an account created with FranceConnect), or a new one.
    current = state["email"] == request.user.insured_person.email
    form = forms.EmailCodeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            result = services.confirm_email_change(
                account=request.user,
                challenge_id=state["challenge"],
                code=form.cleaned_data["code"],
                actor=actor_of(request),
            )
        except services.IdentityError as error:
            request.session.pop(SESSION_EMAIL_CHANGE, None)
            messages.error(request, str(error))
            return redirect("identity:change_email")
        if result.ok:
            request.session.pop(SESSION_EMAIL_CHANGE, None)
            if current:
                messages.success(request, f"Votre adresse e-mail {state['email']} est confirmée.")
                return redirect(settings.LOGIN_REDIRECT_URL)
            messages.success(request, f"Votre adresse e-mail est désormais {state['email']}.")
            return redirect("insured:information")
        if result.expired:
            request.session.pop(SESSION_EMAIL_CHANGE, None)
            messages.error(
                request, "Ce code n'est plus valable. Recommencez pour en recevoir un nouveau."
            )
            return redirect("identity:change_email")
        tries = result.attempts_left
        form.add_error(
            "code",
            f"Ce code n'est pas le bon. Il vous reste {tries} essai{'s' if tries > 1 else ''}.",
        )
    return render(
        request,
        "identity/change_email_confirm.html",
        {"form": form, "email": state["email"], "current": current},
    )


@member_required
@require_http_methods(["GET", "POST"])
def close_account_view(request: HttpRequest) -> HttpResponse:
    form = forms.CloseAccountForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.close_account(
                account=request.user, code=form.cleaned_data["code"], actor=actor_of(request)
            )
        except services.IdentityError as error:
            form.add_error("code", str(error))
        else:
            logout(request)
            messages.success(
                request, "Votre compte est fermé. Vos droits et vos remboursements ne changent pas."
            )
            return redirect("identity:logout")
    return render(
        request, "identity/close_account.html", {"form": form, "today": timezone.localdate()}
    )
