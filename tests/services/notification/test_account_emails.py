"""Account emails as localized HTML with a plain-text part, like the booking emails (issue 12): an
invitation in the inviting tenant's language and branding, verification and reset with their link
(token in the fragment) in both parts."""

from __future__ import annotations

import re
from email.message import EmailMessage

import pytest

from tests.conftest import Api, eventually
from tests.services.notification.conftest import SmtpServer
from tests.services.notification.test_booking_emails import text_of

pytestmark = pytest.mark.parametrize("backend", ["sqlite"])  # about delivery, not the database


async def _mail(smtp: SmtpServer, to: str, subject: str) -> EmailMessage:
    def find() -> EmailMessage | None:
        return next((m for m in smtp.inbox.messages if m["To"] == to and m["Subject"] == subject), None)

    found: EmailMessage = await eventually(find, timeout=20)
    return found


def _html(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("html",))
    assert part is not None, "an HTML part"
    return str(part.get_content())


async def test_an_invitation_speaks_the_tenants_language_in_html_and_text(
    mail_api: Api, smtp: SmtpServer
) -> None:
    invited = await mail_api.client.post(
        "/api/v1/tenants/acme/invitations", json={"email": "sam@example.com"}, headers=mail_api.owner("acme")
    )
    assert invited.status_code == 201, invited.text
    await mail_api.settle()
    email = await _mail(
        smtp, "sam@example.com", "Einladung zu 東京 Łódź Studio auf Reservo"
    )  # tenant locale de
    text, html = text_of(email), _html(email)
    assert "als Mitarbeiter beizutreten" in text and "Einladung annehmen" in html
    link = re.search(r"(http://\S+/invitations/accept\?tenant=acme#token=[A-Za-z0-9_\-]+)", text)
    assert link, text
    assert f'href="{link.group(1)}"' in html  # the same link in both parts, token in the fragment
    assert "?token=" not in text and "?token=" not in html


async def test_verification_and_reset_are_html_and_text_with_the_link(
    mail_api: Api, smtp: SmtpServer
) -> None:
    await mail_api.register("ann@example.com", name="Ann <b>Example</b>")
    await mail_api.settle()
    verify = await _mail(smtp, "ann@example.com", "Confirm your email address")
    text, html = text_of(verify), _html(verify)
    assert "ann@example.com is your email address" in text and "Confirm my email address" in html
    assert "Ann <b>Example</b>" not in html and "Ann &lt;b&gt;Example&lt;/b&gt;" in html  # escaped
    assert re.search(r"#token=[A-Za-z0-9_\-]+", text) and "UTC" in text

    asked = await mail_api.client.post(
        "/api/v1/auth/password-reset/request", json={"email": "ann@example.com"}
    )
    assert asked.status_code == 202, asked.text
    await mail_api.settle()
    reset = await _mail(smtp, "ann@example.com", "Reset your password")
    assert "Choose a new password" in _html(reset) and "#token=" in text_of(reset)


async def test_a_german_user_gets_verification_and_reset_in_german(mail_api: Api, smtp: SmtpServer) -> None:
    body = {"email": "jo@example.com", "password": "correct horse battery", "name": "Jo", "locale": "de"}
    registered = await mail_api.client.post("/api/v1/auth/register", json=body)
    assert registered.status_code == 201, registered.text
    await mail_api.settle()
    verify = await _mail(smtp, "jo@example.com", "Bestätigen Sie Ihre E-Mail-Adresse")
    assert "dass jo@example.com Ihre E-Mail-Adresse ist" in text_of(verify)
    assert "E-Mail-Adresse bestätigen" in _html(verify) and "#token=" in text_of(verify)

    asked = await mail_api.client.post(
        "/api/v1/auth/password-reset/request", json={"email": "jo@example.com"}
    )
    assert asked.status_code == 202, asked.text
    await mail_api.settle()
    reset = await _mail(smtp, "jo@example.com", "Passwort zurücksetzen")
    assert "Neues Passwort wählen" in _html(reset) and "#token=" in text_of(reset)


async def test_the_language_chosen_in_the_profile_is_the_language_of_the_next_link(
    mail_api: Api, smtp: SmtpServer
) -> None:
    pair = await mail_api.register("kim@example.com", name="Kim")
    await mail_api.settle()
    await _mail(smtp, "kim@example.com", "Confirm your email address")  # no language given: English
    profile = await mail_api.client.patch(
        "/api/v1/users/me", json={"locale": "de"}, headers=mail_api.bearer(pair)
    )
    assert profile.status_code == 200, profile.text

    asked = await mail_api.client.post(
        "/api/v1/auth/password-reset/request", json={"email": "kim@example.com"}
    )
    assert asked.status_code == 202, asked.text
    await mail_api.settle()
    reset = await _mail(smtp, "kim@example.com", "Passwort zurücksetzen")
    assert "jemand möchte das Passwort Ihres Reservo-Kontos zurücksetzen" in text_of(reset)
