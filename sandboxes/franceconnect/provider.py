"""The OpenID Connect provider itself: Authlib's authorization server, grant and endpoints.

Authlib does the protocol (the authorize request's checks, the code grant, client
authentication, the id_token, the signed userinfo, RP-initiated logout); this module only says
where codes and tokens live (the cache), who the client is (settings) and who the users are
(identities).
"""

import hmac
import time
from dataclasses import dataclass, field

from authlib.integrations.django_oauth2 import AuthorizationServer, BearerTokenValidator
from authlib.integrations.django_oauth2 import ResourceProtector as DjangoResourceProtector
from authlib.oauth2.rfc6749 import AuthorizationCodeMixin, ClientMixin, TokenMixin, grants
from authlib.oidc.core import UserInfo, UserInfoEndpoint
from authlib.oidc.core.grants import OpenIDCode
from authlib.oidc.rpinitiated import EndSessionEndpoint
from django.conf import settings
from django.core.cache import cache

from sandboxes.franceconnect import keys
from sandboxes.franceconnect.identities import BY_KEY, Identity, claim_names

CODE_TTL = 60  # seconds, as FranceConnect's
TOKEN_TTL = 60
ACR_VALUES = ("eidas1", "eidas2", "eidas3")


@dataclass
class Client(ClientMixin):
    client_id: str
    client_secret: str
    client_name: str
    redirect_uris: list[str]
    post_logout_redirect_uris: list[str]
    alg: str

    @property
    def client_metadata(self) -> dict:
        return {
            "userinfo_signed_response_alg": self.alg,
            "post_logout_redirect_uris": self.post_logout_redirect_uris,
        }

    @property
    def id_token_signed_response_alg(self) -> str:
        return self.alg

    def get_client_id(self):
        return self.client_id

    def get_default_redirect_uri(self):
        return self.redirect_uris[0]

    def get_allowed_scope(self, scope):
        return scope  # FranceConnect grants what the service provider was authorised to ask

    def check_redirect_uri(self, redirect_uri):
        return redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret):
        return hmac.compare_digest(client_secret.encode(), self.client_secret.encode())

    def check_endpoint_auth_method(self, method, endpoint):
        return method in ("client_secret_post", "client_secret_basic")

    def check_response_type(self, response_type):
        return response_type == "code"

    def check_grant_type(self, grant_type):
        return grant_type == "authorization_code"


def the_client() -> Client:
    return Client(
        client_id=settings.CLIENT_ID,
        client_secret=settings.CLIENT_SECRET,
        client_name=settings.CLIENT_NAME,
        redirect_uris=settings.REDIRECT_URIS,
        post_logout_redirect_uris=settings.POST_LOGOUT_REDIRECT_URIS,
        alg=settings.SIGNING_ALG,
    )


@dataclass
class Code(AuthorizationCodeMixin):
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    nonce: str
    acr: str
    identity_key: str
    auth_time: int = field(default_factory=lambda: int(time.time()))

    def get_redirect_uri(self):
        return self.redirect_uri

    def get_scope(self):
        return self.scope

    def get_nonce(self):
        return self.nonce

    def get_auth_time(self):
        return self.auth_time

    def get_acr(self):
        return self.acr

    def get_amr(self):
        return None


@dataclass
class Token(TokenMixin):
    access_token: str
    client_id: str
    scope: str
    identity_key: str
    issued_at: int
    expires_in: int

    def check_client(self, client):
        return client.get_client_id() == self.client_id

    def get_scope(self):
        return self.scope

    def get_expires_in(self):
        return self.expires_in

    def is_expired(self):
        return self.issued_at + self.expires_in < time.time()

    def is_revoked(self):
        return False

    def get_user(self):
        return BY_KEY[self.identity_key]

    def get_client(self):
        return the_client()


class Server(AuthorizationServer):
    def __init__(self):
        super().__init__(client_model=Client, token_model=Token)

    def query_client(self, client_id):
        client = the_client()
        return client if client_id == client.client_id else None

    def save_token(self, token, request):
        item = Token(
            access_token=token["access_token"],
            client_id=request.client.client_id,
            scope=token.get("scope", ""),
            identity_key=request.user.key,
            issued_at=int(time.time()),
            expires_in=int(token.get("expires_in", TOKEN_TTL)),
        )
        cache.set(f"token:{item.access_token}", item, item.expires_in)
        return item


class CodeGrant(grants.AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_post", "client_secret_basic"]

    def save_authorization_code(self, code, request):
        data = request.payload.data
        acr = data.get("acr_values", "").split()
        item = Code(
            code=code,
            client_id=request.client.client_id,
            redirect_uri=request.payload.redirect_uri,
            scope=request.payload.scope,
            nonce=data.get("nonce", ""),
            acr=acr[0] if acr and acr[0] in ACR_VALUES else "eidas1",
            identity_key=request.user.key,
        )
        cache.set(f"code:{code}", item, CODE_TTL)
        return item

    def query_authorization_code(self, code, client):
        item = cache.get(f"code:{code}")
        return item if item is not None and item.client_id == client.client_id else None

    def delete_authorization_code(self, authorization_code):
        cache.delete(f"code:{authorization_code.code}")  # a code serves once

    def authenticate_user(self, authorization_code):
        return BY_KEY.get(authorization_code.identity_key)


class IdToken(OpenIDCode):
    """The id_token as FranceConnect v2's: sub, auth_time, acr, nonce, at_hash, aud, exp, iat, iss."""

    def __init__(self):
        super().__init__(require_nonce=True)

    def exists_nonce(self, nonce, request):
        return False

    def resolve_client_private_key(self, client):
        return keys.signing_key_set()

    def get_client_algorithm(self, client):
        return settings.SIGNING_ALG

    def get_encode_header(self, client):
        return {"alg": settings.SIGNING_ALG}

    def get_client_claims(self, client):
        return {"iss": settings.ISSUER, "aud": client.client_id, "exp": int(time.time()) + 60}

    def generate_user_info(self, user: Identity, scope):
        return UserInfo(sub=user.sub(settings.CLIENT_ID))


class SignedUserInfo(UserInfoEndpoint):
    def get_issuer(self):
        return settings.ISSUER

    def generate_user_info(self, user: Identity, scope):
        claims = user.claims()
        info = UserInfo(sub=user.sub(settings.CLIENT_ID))
        info.update({name: claims[name] for name in claim_names(scope)})
        return info

    def resolve_private_key(self):
        return keys.signing_key_set()

    def get_supported_algorithms(self):
        return [settings.SIGNING_ALG]


class EndSession(EndSessionEndpoint):
    def get_server_jwks(self):
        return keys.private_key_set()

    def get_algorithms(self):
        return [settings.SIGNING_ALG]

    def end_session(self, end_session_request):
        end_session_request.request._request.session.flush()  # forget the identity chosen


class TokenValidator(BearerTokenValidator):
    def authenticate_token(self, token_string):
        return cache.get(f"token:{token_string}")


protector = DjangoResourceProtector()
protector.register_token_validator(TokenValidator(Token))


class RequestProtector:
    """Authlib's UserInfoEndpoint asks its protector for the token without the request: this
    one knows the Django request it serves."""

    def __init__(self, request):
        self.request = request

    def acquire_token(self, scopes=None):
        return protector.acquire_token(self.request, scopes)


server = Server()
server.register_grant(CodeGrant, [IdToken()])
server.register_endpoint(EndSession)
