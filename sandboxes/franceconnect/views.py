"""The sandbox's endpoints, at FranceConnect v2's paths (/api/v2/...), and its pages."""

import logging

from authlib.oauth2 import OAuth2Error
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sandboxes.franceconnect import keys
from sandboxes.franceconnect.identities import BY_KEY, CLAIM_LABELS, IDENTITIES, claim_names
from sandboxes.franceconnect.provider import (
    ACR_VALUES,
    RequestProtector,
    SignedUserInfo,
    server,
    the_client,
)

logger = logging.getLogger(__name__)
CHOSEN = "identity"  # the identity chosen in this browser: FranceConnect's SSO session
MIN_RANDOM = 32  # state and nonce: at least 32 characters (FranceConnect's Y030007 otherwise)


def _error_page(request: HttpRequest, code: str, message: str, status: int = 400) -> HttpResponse:
    logger.info("refused authorize request code=%s message=%s", code, message)
    return render(
        request,
        "franceconnect_sandbox/error.html",
        {"code": code, "message": message},
        status=status,
    )


@require_GET
def home_view(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "franceconnect_sandbox/home.html",
        {"issuer": settings.ISSUER, "identities": IDENTITIES, "client": the_client()},
    )


@require_GET
def discovery_view(request: HttpRequest) -> JsonResponse:
    issuer = settings.ISSUER
    return JsonResponse(
        {
            "issuer": issuer,
            "authorization_endpoint": f"{issuer}/authorize",
            "token_endpoint": f"{issuer}/token",
            "userinfo_endpoint": f"{issuer}/userinfo",
            "jwks_uri": f"{issuer}/jwks",
            "end_session_endpoint": f"{issuer}/session/end",
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code"],
            "subject_types_supported": ["pairwise"],
            "scopes_supported": [
                "openid", "given_name", "family_name", "birthdate", "gender", "birthplace",
                "birthcountry", "email", "preferred_username", "identite_pivot", "profile", "birth",
            ],
            "claims_supported": ["sub", *CLAIM_LABELS],
            "acr_values_supported": list(ACR_VALUES),
            "id_token_signing_alg_values_supported": [settings.SIGNING_ALG],
            "userinfo_signing_alg_values_supported": [settings.SIGNING_ALG],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
            "request_parameter_supported": False,
            "claims_parameter_supported": False,
        }
    )  # fmt: skip


@require_GET
def jwks_view(request: HttpRequest) -> JsonResponse:
    return JsonResponse(keys.public_jwks())


@require_http_methods(["GET", "POST"])
def authorize_view(request: HttpRequest) -> HttpResponse:
    """The chooser of test identities, then the consent page; both post back here, with the
    authorize request's parameters still in the query string."""
    try:
        grant = server.get_consent_grant(request)
    except OAuth2Error as error:
        return _error_page(request, error.error, error.description or "Requête invalide.")
    data = grant.request.payload.data
    for name in ("state", "nonce"):
        if len(data.get(name, "")) < MIN_RANDOM:
            return _error_page(
                request,
                "Y030007",
                f"Le paramètre « {name} » doit comporter au moins 32 caractères.",
            )
    if not set(data.get("acr_values", "").split()) & set(ACR_VALUES):
        return _error_page(
            request, "Y030007", "Le paramètre « acr_values » est obligatoire (eidas1)."
        )

    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action == "cancel":  # the user gives up: access_denied back to the service provider
        return server.create_authorization_response(request, grant_user=None, grant=grant)
    if action == "change":
        request.session.pop(CHOSEN, None)
    if action == "choose":
        if request.POST.get("identity") in BY_KEY:
            request.session[CHOSEN] = request.POST["identity"]
        else:
            return _choose(request, error="Choisissez une identité de test dans la liste.")
    identity = BY_KEY.get(request.session.get(CHOSEN, ""))
    if identity is None:
        return _choose(request)
    if action == "consent":
        return server.create_authorization_response(request, grant_user=identity, grant=grant)
    claims = identity.claims()
    shown = [
        (CLAIM_LABELS[name], claims[name] or "(vide)")
        for name in claim_names(data.get("scope", ""))
    ]
    return render(
        request,
        "franceconnect_sandbox/consent.html",
        {"identity": identity, "claims": shown, "client": grant.client},
    )


def _choose(request: HttpRequest, error: str = "") -> HttpResponse:
    return render(
        request,
        "franceconnect_sandbox/choose.html",
        {"identities": IDENTITIES, "error": error, "client": the_client()},
        status=400 if error else 200,
    )


@csrf_exempt  # a back-channel call authenticated by the client's secret
@require_POST
def token_view(request: HttpRequest) -> HttpResponse:
    return server.create_token_response(request)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def userinfo_view(request: HttpRequest) -> HttpResponse:
    """The userinfo as a JWT signed like the id_token (application/jwt), as FranceConnect v2's."""
    endpoint = SignedUserInfo(server=server, resource_protector=RequestProtector(request))
    oauth_request = server.create_oauth2_request(request)
    try:
        return server.handle_response(*endpoint(oauth_request))
    except OAuth2Error as error:
        return server.handle_error_response(oauth_request, error)


@require_GET
def end_session_view(request: HttpRequest) -> HttpResponse:
    """RP-initiated logout: forget the identity chosen, then back to the service provider."""
    try:
        end_request = server.validate_endpoint_request("end_session", request)
    except OAuth2Error as error:
        return _error_page(request, error.error, error.description or "Requête invalide.")
    response = server.create_endpoint_response("end_session", end_request)
    if response is not None:
        return response
    return render(request, "franceconnect_sandbox/logged_out.html")
