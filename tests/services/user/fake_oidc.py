"""A local fake OpenID provider (Google-like or Apple-like): a real HTTP server on 127.0.0.1.

It follows the providers' documented shapes (shared/reference/integrations.md §3-4): discovery
document and JWKS, an authorize endpoint that "signs the user in" at once, and a token endpoint that
checks the client credentials (Google: secret; Apple: ES256 client_secret JWT verified with the team
key), the redirect URI and the PKCE verifier, then returns an RS256 ID token. Apple answers with a
form_post carrying `user` (the name) only on a user's first authorization.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import parse_qs

import uvicorn
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, RSAKey
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

Tamper = Literal[
    "wrong_nonce", "wrong_audience", "expired", "tampered_signature", "unknown_kid", "wrong_issuer"
]


@dataclass
class FakeUser:
    sub: str
    email: str
    email_verified: bool = True
    first_name: str = "Ada"
    last_name: str = "Lovelace"
    is_private_email: bool = False


@dataclass
class FakeOidc:
    kind: Literal["google", "apple"]
    client_id: str = "reservo-test-client"
    client_secret: str = "google-secret-for-tests"
    team_id: str = "TEAM123456"
    key_id: str = "KEY1234567"
    team_key: ECKey = field(default_factory=lambda: ECKey.generate_key("P-256", private=True))
    # Every fake gets its own kid, as real providers do: the adapter caches keys per JWKS URL for
    # the process, and a later fake may be given a port an earlier one used.
    signing_key: RSAKey = field(
        default_factory=lambda: RSAKey.generate_key(
            2048, parameters={"kid": f"fake-rsa-{secrets.token_hex(4)}"}, private=True
        )
    )
    user: FakeUser = field(default_factory=lambda: FakeUser("sub-0001", "ada@example.com"))
    tamper: Tamper | None = None
    issuer: str = ""
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    authorized: set[str] = field(default_factory=set)  # Apple: subs that already authorized once
    token_requests: list[dict[str, str]] = field(default_factory=list)

    # -- server ---------------------------------------------------------------------------------

    def start(self) -> FakeOidc:
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        self.issuer = f"http://127.0.0.1:{sock.getsockname()[1]}"
        app = Starlette(
            routes=[
                Route("/.well-known/openid-configuration", self._discovery),
                Route("/auth/keys", self._jwks),
                Route("/auth/authorize", self._authorize),
                Route("/auth/token", self._token, methods=["POST"]),
            ]
        )
        self._server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [sock]}, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            assert time.monotonic() < deadline, "fake OIDC server did not start"
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=5)

    def settings(self) -> dict[str, Any]:
        """User service settings (RESERVO_USER_*) pointing the real adapter at this fake."""
        if self.kind == "google":
            return {
                "google_client_id": self.client_id,
                "google_client_secret": self.client_secret,
                "google_discovery_url": f"{self.issuer}/.well-known/openid-configuration",
            }
        return {
            "apple_client_id": self.client_id,
            "apple_team_id": self.team_id,
            "apple_key_id": self.key_id,
            "apple_private_key": self.team_key.as_pem(private=True).decode(),
            "apple_issuer": self.issuer,
        }

    # -- endpoints ------------------------------------------------------------------------------

    async def _discovery(self, request: Request) -> Response:
        return JSONResponse(
            {
                "issuer": self.issuer,
                "authorization_endpoint": f"{self.issuer}/auth/authorize",
                "token_endpoint": f"{self.issuer}/auth/token",
                "jwks_uri": f"{self.issuer}/auth/keys",
                "response_types_supported": ["code"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "code_challenge_methods_supported": ["S256"],
            }
        )

    async def _jwks(self, request: Request) -> Response:
        return JSONResponse(
            {"keys": [{**self.signing_key.as_dict(private=False), "use": "sig", "alg": "RS256"}]}
        )

    async def _authorize(self, request: Request) -> Response:
        q = request.query_params
        if q.get("client_id") != self.client_id or q.get("response_type") != "code":
            return JSONResponse({"error": "invalid_request"}, status_code=400)
        if q.get("code_challenge_method") != "S256" or not q.get("code_challenge") or not q.get("state"):
            return JSONResponse({"error": "invalid_request", "detail": "PKCE S256 and state required"}, 400)
        if self.kind == "apple" and q.get("response_mode") != "form_post":
            return JSONResponse({"error": "invalid_request", "detail": "scopes need form_post"}, 400)
        code = secrets.token_urlsafe(16)
        self.codes[code] = {
            "redirect_uri": q["redirect_uri"],
            "challenge": q["code_challenge"],
            "nonce": q.get("nonce"),
            "user": self.user,
            "used": False,
        }
        if self.kind == "google":
            return RedirectResponse(f"{q['redirect_uri']}?code={code}&state={q['state']}", status_code=302)
        # Apple's page auto-submits a form to redirect_uri; the test's "browser" posts these fields.
        fields = {"code": code, "state": q["state"]}
        if self.user.sub not in self.authorized:
            self.authorized.add(self.user.sub)
            name = {"firstName": self.user.first_name, "lastName": self.user.last_name}
            fields["user"] = json.dumps({"name": name, "email": self.user.email})
        return JSONResponse({"form_post": q["redirect_uri"], "fields": fields})

    def _client_ok(self, form: dict[str, str]) -> bool:
        if form.get("client_id") != self.client_id:
            return False
        if self.kind == "google":
            return form.get("client_secret") == self.client_secret
        try:  # Apple: an ES256 JWT from the team key
            token = jwt.decode(form.get("client_secret", ""), self.team_key, algorithms=["ES256"])
        except (JoseError, ValueError):
            return False
        c, now = token.claims, time.time()
        return (
            token.header.get("kid") == self.key_id
            and c.get("iss") == self.team_id
            and c.get("sub") == self.client_id
            and c.get("aud") == self.issuer
            and c.get("iat", 0) <= now + 60 < c.get("exp", 0) + 60
            and c["exp"] - c["iat"] <= 15_777_000
        )

    async def _token(self, request: Request) -> Response:
        form = {k: v[0] for k, v in parse_qs((await request.body()).decode()).items()}
        self.token_requests.append(form)
        if form.get("grant_type") != "authorization_code":
            return JSONResponse({"error": "unsupported_grant_type"}, status_code=400)
        if not self._client_ok(form):
            return JSONResponse({"error": "invalid_client"}, status_code=400)
        grant = self.codes.get(form.get("code", ""))
        if grant is None or grant["used"] or grant["redirect_uri"] != form.get("redirect_uri"):
            return JSONResponse({"error": "invalid_grant"}, status_code=400)
        verifier = form.get("code_verifier", "")
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if challenge != grant["challenge"]:
            return JSONResponse({"error": "invalid_grant", "detail": "PKCE verifier mismatch"}, 400)
        grant["used"] = True
        return JSONResponse(
            {
                "access_token": secrets.token_urlsafe(16),
                "token_type": "bearer",
                "expires_in": 3600,
                "id_token": self._id_token(grant["user"], grant["nonce"]),
            }
        )

    def _id_token(self, user: FakeUser, nonce: str | None) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.issuer if self.tamper != "wrong_issuer" else "https://evil.example",
            "sub": user.sub,
            "aud": self.client_id if self.tamper != "wrong_audience" else "someone-elses-client",
            "iat": now if self.tamper != "expired" else now - 7200,
            "exp": now + 600 if self.tamper != "expired" else now - 3600,
            "nonce": nonce if self.tamper != "wrong_nonce" else "not-the-nonce-we-sent",
            "email": user.email,
        }
        if self.kind == "apple":  # Apple sends these as strings
            claims |= {
                "email_verified": "true" if user.email_verified else "false",
                "is_private_email": "true" if user.is_private_email else "false",
                "nonce_supported": True,
            }
        else:
            claims |= {"email_verified": user.email_verified, "name": f"{user.first_name} {user.last_name}"}
        key = self.signing_key
        if self.tamper == "unknown_kid":
            key = RSAKey.generate_key(2048, parameters={"kid": "rotated-away"}, private=True)
        token = jwt.encode({"alg": "RS256", "kid": key.kid}, claims, key, algorithms=["RS256"])
        if self.tamper == "tampered_signature":
            head, body, sig = token.split(".")
            forged = {**claims, "email": "admin@reservo.example"}
            body = base64.urlsafe_b64encode(json.dumps(forged).encode()).rstrip(b"=").decode()
            token = f"{head}.{body}.{sig}"
        return token
