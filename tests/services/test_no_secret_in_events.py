"""Issue 9 item 10: no event carries a secret, yet every emailed link works.

A guest booking, an email verification, a password reset and a staff invitation run end to end; then
every outbox and dead-letter row of every service is read back and must not contain any of the tokens
those flows handed out (the guest's booking token, the link tokens, the access and refresh tokens)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from sqlalchemy import select

from reservo.platform.config import Settings
from tests.conftest import Api
from tests.services.user.mail import mail_to, text_of

TENANT = {"name": "Acme", "slug": "acme", "timezone": "Europe/Berlin", "currency": "EUR"}


def _fragment_token(body: str) -> str:
    match = re.search(r"(https?://\S+)#token=([A-Za-z0-9_\-]+)", body)
    assert match, body
    assert "?token=" not in body
    return match.group(2)


async def _every_event_row(api: Api) -> list[str]:
    rows: list[str] = []
    for ctx in api.runtime.contexts.values():
        tables = ctx.uow.tables
        async with ctx.uow.read() as session:
            rows += [json.dumps(e) for e in (await session.scalars(select(tables.outbox.c.envelope))).all()]
            rows += [
                json.dumps(e) for e in (await session.scalars(select(tables.dead_letters.c.envelope))).all()
            ]
    return rows


async def test_a_guest_booking_reset_and_invitation_put_no_token_in_any_event(api: Api) -> None:
    secrets: list[str] = []
    owner = await api.register("owner@acme.example")
    secrets += [owner["access_token"], owner["refresh_token"]]
    created = await api.client.post("/api/v1/tenants", json=TENANT, headers=api.bearer(owner))
    secrets.append(created.json()["access_token"])
    offering = await api.offering("acme", kind="product", capacity=5)

    booked = await api.book(offering["id"])
    guest_token = booked.json()["access_token"]
    secrets.append(guest_token)
    mail = text_of(await mail_to(api, "ann@example.com", "Your booking"))
    assert f"/t/acme/bookings/{booked.json()['id']}#token=" in mail
    emailed = _fragment_token(mail)
    assert emailed == guest_token
    url = f"/api/v1/tenants/acme/bookings/{booked.json()['id']}"
    assert (await api.client.get(url, headers={"X-Booking-Token": emailed})).status_code == 200
    assert (await api.client.get(url, params={"token": emailed})).status_code == 404  # no query form

    secrets.append(_fragment_token(text_of(await mail_to(api, "owner@acme.example", "Confirm your email"))))
    assert (
        await api.client.post("/api/v1/auth/password-reset/request", json={"email": "owner@acme.example"})
    ).status_code == 202
    reset = _fragment_token(text_of(await mail_to(api, "owner@acme.example", "Reset your password")))
    secrets.append(reset)
    confirm = {"token": reset, "password": "a brand new passphrase"}
    assert (await api.client.post("/api/v1/auth/password-reset/confirm", json=confirm)).status_code == 204

    # The reset ended every sign-in: sign in again with the new password.
    login = {"email": "owner@acme.example", "password": "a brand new passphrase"}
    again = (await api.client.post("/api/v1/auth/login", json=login)).json()
    secrets += [again["access_token"], again["refresh_token"]]
    invited = await api.client.post(
        "/api/v1/tenants/acme/invitations", json={"email": "sam@example.com"}, headers=api.bearer(again)
    )
    assert invited.status_code == 201, invited.text
    invitation = _fragment_token(text_of(await mail_to(api, "sam@example.com", "Join Acme")))
    secrets.append(invitation)
    sam = await api.register("sam@example.com")
    accept = "/api/v1/tenants/acme/invitations/accept"
    assert (
        await api.client.post(accept, json={"token": invitation}, headers=api.bearer(sam))
    ).status_code == 200

    await api.settle()
    rows = await _every_event_row(api)
    types = {json.loads(r)["type"] for r in rows}
    assert {"booking.created", "user.password_reset.requested", "user.invitation.created"} <= types
    leaks = [(s[:8], r[:120]) for s in secrets for r in rows if s in r]
    assert leaks == []
    for row in rows:
        data = json.loads(row)["data"]
        assert "token" not in data and "access_token" not in data


def test_production_refuses_the_default_secret_key(tmp_path: Any) -> None:
    with pytest.raises(ValueError, match="RESERVO_SECRET_KEY"):
        Settings(data_dir=tmp_path, environment="production")
    assert (
        Settings(data_dir=tmp_path, environment="production", secret_key="k" * 40).environment == "production"
    )
