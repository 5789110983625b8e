"""The signed-in agent's own account ("Mon compte"): their password, their second factors and
their recovery codes. Every change is journaled by the identity services."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from guichet.backoffice import forms
from guichet.backoffice.perms import Capability, agent_required
from guichet.core.forms import posted
from guichet.core.http import actor_of
from guichet.identity import selectors as identity_selectors
from guichet.identity import services as identity_services


@agent_required(Capability.HOME)
@require_GET
def my_account_view(request: HttpRequest) -> HttpResponse:
    account = request.user
    return render(
        request,
        "backoffice/my_account.html",
        {
            "profile": account.agent_profile,
            "factors": identity_selectors.agent_second_factors(account=account),
        },
    )


@agent_required(Capability.HOME)
@require_http_methods(["GET", "POST"])
def my_password_view(request: HttpRequest) -> HttpResponse:
    form = forms.ChangePasswordForm(posted(request), account=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            account = identity_services.change_agent_password(
                account=request.user,
                current=form.cleaned_data["current"],
                password=form.cleaned_data["password"],
                actor=actor_of(request),
            )
        except identity_services.IdentityError as error:
            form.add_error("current", str(error))
        else:
            update_session_auth_hash(request, account)  # this session stays signed in
            messages.success(request, "Votre mot de passe est modifié.")
            return redirect("backoffice:my_account")
    return render(request, "backoffice/my_password.html", {"form": form})


@agent_required(Capability.HOME)
@require_http_methods(["GET", "POST"])
def my_recovery_codes_view(request: HttpRequest) -> HttpResponse:
    form = forms.ConfirmWithPasswordForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            codes = identity_services.regenerate_recovery_codes(
                account=request.user, current=form.cleaned_data["current"], actor=actor_of(request)
            )
        except identity_services.IdentityError as error:
            form.add_error("current", str(error))
        else:
            # Shown once, in this answer only: never stored in clear, nor in the session.
            return render(
                request,
                "backoffice/recovery_codes.html",
                {"codes": codes, "next": "", "regenerated": True},
            )
    return render(request, "backoffice/my_recovery_codes.html", {"form": form})
