"""The OIDC adapter: provider endpoints, Apple's client secret, code exchange and ID token checks.

Google's endpoints come from its discovery document, Apple's from settings (its issuer by default).
Both are cached per process: the discovery document for an hour, the JWKS by platform/auth/jwks.py
(refetched on an unknown kid, at most every 30 s).
"""

from __future__ import annotations

import base64
import hashlib
import time
from dataclasses import dataclass
from typing import Any

import httpx
import structlog
from joserfc.errors import JoseError
from joserfc.jwk import ECKey

from reservo.platform.auth.jose import JoseFailure, sign_jws, verify_jws
from reservo.platform.auth.jwks import RemoteJwks
from reservo.services.user.errors import (
    InvalidIdToken,
    ProviderError,
    ProviderNotConfigured,
    SocialSignInFailed,
)
from reservo.services.user.settings import UserSettings

log = structlog.get_logger(__name__)

PROVIDERS = ("google", "apple")
GOOGLE_ISSUERS = {"https://accounts.google.com", "accounts.google.com"}
ID_TOKEN_ALGORITHMS = ("RS256", "ES256")
LEEWAY_SECONDS = 60
TIMEOUT = httpx.Timeout(10.0)

_discovery: dict[str, tuple[float, dict[str, Any]]] = {}
_jwks: dict[str, RemoteJwks] = {}


@dataclass(frozen=True, slots=True)
class Endpoints:
    authorize: str
    token: str
    jwks: str
    issuers: frozenset[str]


@dataclass(frozen=True, slots=True)
class IdClaims:
    subject: str
    email: str | None
    email_verified: bool
    is_private_email: bool
    name: str | None


def configured(settings: UserSettings) -> list[str]:
    out = []
    if settings.google_client_id and settings.google_client_secret:
        out.append("google")
    if (
        settings.apple_client_id
        and settings.apple_team_id
        and settings.apple_key_id
        and settings.apple_private_key
    ):
        out.append("apple")
    return out


def pkce_challenge(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


def _truthy(value: object) -> bool:
    """Apple sends booleans as "true"/"false" strings or as JSON booleans."""
    return value is True or (isinstance(value, str) and value.lower() == "true")


class OidcProvider:
    def __init__(self, name: str, settings: UserSettings, public_url: str) -> None:
        if name not in configured(settings):
            raise ProviderNotConfigured(f"Sign-in with '{name}' is not configured")
        self.name = name
        self._s = settings
        self._public_url = public_url
        self.client_id: str = (
            settings.google_client_id if name == "google" else settings.apple_client_id
        ) or ""

    @property
    def redirect_uri(self) -> str:
        return f"{self._public_url.rstrip('/')}/api/v1/auth/{self.name}/callback"

    async def endpoints(self) -> Endpoints:
        if self.name == "apple":
            base = self._s.apple_issuer.rstrip("/")
            return Endpoints(
                authorize=self._s.apple_authorize_url or f"{base}/auth/authorize",
                token=self._s.apple_token_url or f"{base}/auth/token",
                jwks=self._s.apple_jwks_url or f"{base}/auth/keys",
                issuers=frozenset({self._s.apple_issuer}),
            )
        doc = await _discover(self._s.google_discovery_url)
        try:
            issuer = str(doc["issuer"])
            issuers = GOOGLE_ISSUERS if issuer in GOOGLE_ISSUERS else {issuer}
            return Endpoints(
                str(doc["authorization_endpoint"]),
                str(doc["token_endpoint"]),
                str(doc["jwks_uri"]),
                frozenset(issuers),
            )
        except KeyError as exc:
            raise ProviderError("The provider's discovery document is incomplete") from exc

    async def authorization_url(self, *, state: str, nonce: str, code_verifier: str) -> str:
        params = {
            "client_id": self.client_id,
            "redirect_uri": self.redirect_uri,
            "response_type": "code",
            "state": state,
            "nonce": nonce,
            "code_challenge": pkce_challenge(code_verifier),
            "code_challenge_method": "S256",
        }
        if self.name == "apple":
            # Asking for name/email requires form_post: Apple POSTs code, id_token, state (and `user`).
            params |= {"scope": "name email", "response_mode": "form_post"}
        else:
            params |= {"scope": "openid email profile", "prompt": "select_account"}
        return str(httpx.URL((await self.endpoints()).authorize, params=params))

    def client_secret(self) -> str:
        if self.name == "google":
            assert self._s.google_client_secret is not None
            return self._s.google_client_secret.get_secret_value()
        # Apple: an ES256 JWT signed with the team's .p8 key, valid for 5 minutes.
        assert self._s.apple_private_key is not None
        try:
            key = ECKey.import_key(self._s.apple_private_key.get_secret_value().replace("\\n", "\n"))
        except (JoseError, ValueError) as exc:
            raise ProviderError("RESERVO_USER_APPLE_PRIVATE_KEY is not an EC private key") from exc
        now = int(time.time())
        claims = {
            "iss": self._s.apple_team_id,
            "iat": now,
            "exp": now + 300,
            "aud": self._s.apple_issuer,
            "sub": self.client_id,
        }
        return sign_jws({"kid": self._s.apple_key_id}, claims, key, "ES256")

    async def exchange(self, code: str, code_verifier: str) -> str:
        """The authorization code for an ID token (PKCE verifier and client credentials included)."""
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": self.redirect_uri,
            "client_id": self.client_id,
            "client_secret": self.client_secret(),
            "code_verifier": code_verifier,
        }
        url = (await self.endpoints()).token
        try:
            async with httpx.AsyncClient(timeout=TIMEOUT) as client:
                response = await client.post(url, data=form, headers={"Accept": "application/json"})
        except httpx.HTTPError as exc:
            log.warning("oidc.token_unreachable", provider=self.name, error=repr(exc))
            raise ProviderError(f"{self.name} could not be reached") from exc
        body = _json(response)
        if response.status_code == 400:  # invalid_grant: used/expired code, PKCE mismatch, ...
            raise SocialSignInFailed(
                f"{self.name} refused the authorization code",
                reason=str(body.get("error", "invalid_request")),
            )
        if response.status_code != 200 or not isinstance(body.get("id_token"), str):
            log.warning(
                "oidc.token_failed", provider=self.name, status=response.status_code, error=body.get("error")
            )
            raise ProviderError(f"{self.name} did not issue an ID token")
        return str(body["id_token"])

    async def verify_id_token(self, token: str, nonce: str) -> IdClaims:
        endpoints = await self.endpoints()
        jwks = _jwks.setdefault(endpoints.jwks, RemoteJwks(endpoints.jwks))
        try:
            _, claims = await verify_jws(token, ID_TOKEN_ALGORITHMS, jwks.key)
        except JoseFailure as exc:
            raise InvalidIdToken(f"ID token: {exc.reason}", reason="signature") from exc
        now = int(time.time())
        exp, iat = claims.get("exp"), claims.get("iat")
        if not isinstance(exp, int) or exp + LEEWAY_SECONDS <= now:
            raise InvalidIdToken("ID token expired", reason="expired")
        if isinstance(iat, int) and iat - LEEWAY_SECONDS > now:
            raise InvalidIdToken("ID token issued in the future", reason="iat")
        if claims.get("iss") not in endpoints.issuers:
            raise InvalidIdToken("ID token from another issuer", reason="issuer")
        aud = claims.get("aud")
        audiences = aud if isinstance(aud, list) else [aud]
        if self.client_id not in audiences or (len(audiences) > 1 and claims.get("azp") != self.client_id):
            raise InvalidIdToken("ID token for another client", reason="audience")
        if not isinstance(claims.get("nonce"), str) or claims["nonce"] != nonce:
            raise InvalidIdToken("ID token nonce does not match this sign-in", reason="nonce")
        subject = claims.get("sub")
        if not isinstance(subject, str) or not subject:
            raise InvalidIdToken("ID token has no subject", reason="subject")
        email = claims.get("email")
        return IdClaims(
            subject=subject,
            email=email.lower() if isinstance(email, str) and "@" in email else None,
            email_verified=_truthy(claims.get("email_verified")),
            is_private_email=_truthy(claims.get("is_private_email"))
            or (isinstance(email, str) and email.lower().endswith("@privaterelay.appleid.com")),
            name=claims["name"] if isinstance(claims.get("name"), str) else None,
        )


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


async def _discover(url: str) -> dict[str, Any]:
    cached = _discovery.get(url)
    if cached and time.monotonic() - cached[0] < 3600:
        return cached[1]
    try:
        async with httpx.AsyncClient(timeout=TIMEOUT) as client:
            response = await client.get(url)
        response.raise_for_status()
        doc = _json(response)
    except httpx.HTTPError as exc:
        raise ProviderError("The provider's discovery document could not be fetched") from exc
    _discovery[url] = (time.monotonic(), doc)
    return doc
