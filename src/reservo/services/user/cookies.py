"""The browser variant of sign-in: the refresh token lives in an httpOnly, SameSite cookie.

`?cookie=true` on register, login, refresh and logout: the answer sets (or clears) the cookie and
its body carries no refresh token, so script on the page never sees it; the web app keeps only the
short-lived access token, in memory. The cookie is scoped to the auth routes and `Secure` unless the
request came to localhost (plain-HTTP development).
"""

from __future__ import annotations

from fastapi import Request, Response

from reservo.services.user.schemas import TokenPair

REFRESH_COOKIE = "reservo_refresh"
COOKIE_PATH = "/api/v1/auth"
_LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


def _secure(request: Request) -> bool:
    return (request.url.hostname or "") not in _LOCAL_HOSTS


def into_cookie(pair: TokenPair, request: Request, response: Response, max_age_seconds: int) -> TokenPair:
    """Move the refresh token from the body into the cookie."""
    response.set_cookie(
        REFRESH_COOKIE,
        pair.refresh_token,
        max_age=max_age_seconds,
        path=COOKIE_PATH,
        httponly=True,
        samesite="strict",
        secure=_secure(request),
    )
    return pair.model_copy(update={"refresh_token": ""})


def clear_cookie(request: Request, response: Response) -> None:
    response.delete_cookie(
        REFRESH_COOKIE, path=COOKIE_PATH, httponly=True, samesite="strict", secure=_secure(request)
    )


def from_cookie(request: Request) -> str | None:
    return request.cookies.get(REFRESH_COOKIE)
