"""SMTP as a deployment has it: STARTTLS with a certificate the mailer verifies, then AUTH (LOGIN or
PLAIN) with the service's credentials, against a real aiosmtpd server (issue 12). The certificate is
self-signed, made here with `cryptography`, and trusted through SSL_CERT_FILE as a private CA would be;
the mailer never falls back to plain text or to an unverified certificate."""

from __future__ import annotations

import ipaddress
import ssl
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import aiosmtplib
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from reservo.platform.clock import ManualClock
from reservo.platform.mail import SmtpMailer
from tests.conftest import Api, eventually
from tests.services.notification.conftest import Inbox, free_port
from tests.services.receipt.conftest import TENANT

USER, PASSWORD = "reservo@mail.example", "s3cret-smtp-password"


def _self_signed(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "smtp.pem", folder / "smtp.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_file, key_file


class TlsSmtp:
    """aiosmtpd requiring STARTTLS before anything, and AUTH (over TLS only) before MAIL."""

    def __init__(self, folder: Path, mechanism: str) -> None:
        self.cert, key = _self_signed(folder)
        self.inbox = Inbox()
        self.port = free_port()
        self.logins: list[tuple[str, str]] = []  # (mechanism, user) of each accepted login
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.cert, key)
        other = {"LOGIN": "PLAIN", "PLAIN": "LOGIN"}[mechanism]
        self._controller = Controller(
            self.inbox,
            hostname="127.0.0.1",
            port=self.port,
            tls_context=context,
            require_starttls=True,
            auth_require_tls=True,
            auth_required=True,
            authenticator=self._authenticate,
            auth_exclude_mechanism=[other],
        )

    def _authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
            USER.encode(),
            PASSWORD.encode(),
        )
        if ok:
            self.logins.append((mechanism, USER))
        return AuthResult(success=ok, handled=False)

    def __enter__(self) -> TlsSmtp:
        self._controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._controller.stop()


@pytest.fixture(params=["LOGIN", "PLAIN"])
def tls_smtp(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[TlsSmtp]:
    with TlsSmtp(tmp_path, request.param) as server:
        monkeypatch.setenv("SSL_CERT_FILE", str(server.cert))  # trust it as a private CA
        yield server


def _message(to: str = "zoe@example.com") -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "shop@example.com", to, "Hello"
    message.set_content("over TLS")
    return message


@pytest.mark.parametrize("backend", ["sqlite"])
async def test_a_booking_email_goes_out_over_starttls_after_login(
    make_api: Callable[..., Any], tls_smtp: TlsSmtp, request: pytest.FixtureRequest
) -> None:
    settings = {
        "smtp_host": "127.0.0.1",
        "smtp_port": tls_smtp.port,
        "smtp_starttls": True,
        "smtp_username": USER,
        "smtp_password": PASSWORD,
        "smtp_timeout_seconds": 5,
    }
    api: Api = await make_api(
        ["user", "catalog", "booking", "notification"],
        clock=ManualClock(datetime(2026, 6, 1, 6, 0, tzinfo=UTC)),
        service_settings={"notification": settings},
    )
    await api.tenant("acme", **TENANT)
    offering = await api.offering(name="Jazz night")
    booked = await api.book(
        offering["id"],
        start=offering["sessions"][0]["start"],
        customer={"name": "Zoe", "email": "zoe@example.com"},
    )
    assert booked.status_code == 201, booked.text
    await api.settle()
    await eventually(lambda: any(m["To"] == "zoe@example.com" for m in tls_smtp.inbox.messages), timeout=20)
    mechanism = request.node.callspec.params["tls_smtp"]
    assert tls_smtp.logins and {m for m, _ in tls_smtp.logins} == {mechanism}


async def test_wrong_password_is_refused_and_nothing_is_delivered(tls_smtp: TlsSmtp) -> None:
    mailer = SmtpMailer("127.0.0.1", tls_smtp.port, username=USER, password="wrong", timeout=5)
    with pytest.raises(aiosmtplib.SMTPAuthenticationError):
        await mailer.send(_message(), message_id="m1")
    assert tls_smtp.inbox.messages == [] and tls_smtp.logins == []


async def test_an_untrusted_certificate_is_refused(
    tls_smtp: TlsSmtp, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SSL_CERT_FILE")  # the system's CAs only: the self-signed certificate is unknown
    mailer = SmtpMailer("127.0.0.1", tls_smtp.port, username=USER, password=PASSWORD, timeout=5)
    with pytest.raises(ssl.SSLCertVerificationError):
        await mailer.send(_message(), message_id="m2")
    assert tls_smtp.inbox.messages == [] and tls_smtp.logins == []


async def test_without_starttls_the_server_refuses_and_no_credential_is_sent_in_clear(
    tls_smtp: TlsSmtp,
) -> None:
    mailer = SmtpMailer(
        "127.0.0.1", tls_smtp.port, username=USER, password=PASSWORD, starttls=False, timeout=5
    )
    with pytest.raises(aiosmtplib.SMTPException):
        await mailer.send(_message(), message_id="m3")
    assert tls_smtp.inbox.messages == [] and tls_smtp.logins == []
