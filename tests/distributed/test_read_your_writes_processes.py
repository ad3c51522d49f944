"""Issue 9 items 1 and 9 across processes: user, catalog, booking and notification each as
`reservo serve X` + `reservo worker X` with their own PostgreSQL database, Kafka between them, Redis
shared, reached through the nginx gateway.

- read-your-writes: create a tenant, then its first offering, then book it, each call right after the
  previous one answered, with no waiting for events (catalog asks user, booking asks catalog);
- revocation: a staff member removed from the tenant cannot confirm a booking with the token they
  still hold, at once, in the booking process."""

from __future__ import annotations

import re
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import httpx
import pytest

from reservo.platform.config import Settings
from tests.distributed.procs import Cluster, Proc, cluster
from tests.distributed.test_slice_processes import distributed_env, own_database, payload
from tests.support.polling import eventually_sync

pytestmark = [pytest.mark.kafka, pytest.mark.postgres, pytest.mark.slow]


@pytest.fixture
def gateway(
    settings: Settings,
    kafka_bootstrap: str,
    topic_prefix: str,
    redis_url: str,
    redis_prefix: str,
    tmp_path: Path,
    nginx_bin: str,
) -> Iterator[str]:
    env = {
        **distributed_env(settings, kafka_bootstrap, topic_prefix),
        "RESERVO_REDIS_URL": redis_url,
        "RESERVO_REDIS_PREFIX": redis_prefix,
    }
    with cluster(tmp_path, env) as c:
        apis: dict[str, Proc] = {}
        # Each service learns where the owners it asks live (RESERVO_<SERVICE>_URL, platform/owner.py).
        for service in ("user", "catalog", "booking", "notification"):
            owners = {f"RESERVO_{s.upper()}_URL": p.url for s, p in apis.items()}
            apis[service] = c.serve(service, env={**own_database(settings, service), **owners})
            c.worker(service, env=own_database(settings, service))
        yield _gateway(c, apis)


def _gateway(c: Cluster, apis: dict[str, Proc]) -> str:
    return c.gateway(apis).url


def _mailed_token(settings: Settings, to: str) -> str:
    def find() -> str | None:
        for path in (settings.data_dir / "outbox").glob("*.eml"):
            mail = message_from_bytes(path.read_bytes(), _class=EmailMessage, policy=policy.default)
            part = mail.get_body(preferencelist=("plain",))
            text = str(part.get_content()) if part is not None else ""
            if mail["To"] == to and (m := re.search(r"#token=([A-Za-z0-9_\-]+)", text)):
                return m.group(1)
        return None

    found: str = eventually_sync(find)  # the invitation email is asynchronous by design
    return found


def _bearer(body: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {body['access_token']}"}


def test_create_tenant_offering_and_book_at_once_and_a_removed_member_is_refused_at_once(
    gateway: str, settings: Settings
) -> None:
    http = httpx.Client(base_url=gateway, timeout=15)
    account = {"email": "owner@acme.example", "password": "correct horse battery", "name": "Owner"}
    registered = http.post("/api/v1/auth/register", json=account)
    assert registered.status_code == 201, registered.text
    created = http.post(
        "/api/v1/tenants", json=payload("tenant", slug="acme"), headers=_bearer(registered.json())
    )
    assert created.status_code == 201, created.text
    owner = _bearer(created.json())  # carries the owner role: no refresh round trip

    offering = http.post("/api/v1/tenants/acme/offerings", json=payload("offering"), headers=owner)
    assert offering.status_code == 201, offering.text  # catalog filled its tenant replica from user
    offered = offering.json()
    start = offered["sessions"][0]["start"][:10]
    available = http.get(
        f"/api/v1/tenants/acme/offerings/{offered['id']}/availability?from={start}&to={start}"
    )
    assert available.status_code == 200, available.text  # booking filled tenant and offering
    booked = http.post("/api/v1/tenants/acme/bookings", json=payload("booking", offering=offered))
    assert booked.status_code == 201, booked.text

    invited = http.post("/api/v1/tenants/acme/invitations", json={"email": "sam@example.com"}, headers=owner)
    assert invited.status_code == 201, invited.text
    token = _mailed_token(settings, "sam@example.com")
    sam_account = {"email": "sam@example.com", "password": "correct horse battery", "name": "Sam"}
    sam = http.post("/api/v1/auth/register", json=sam_account).json()
    joined = http.post("/api/v1/tenants/acme/invitations/accept", json={"token": token}, headers=_bearer(sam))
    assert joined.status_code == 200, joined.text
    sam = http.post("/api/v1/auth/refresh", json={"refresh_token": sam["refresh_token"]}).json()
    second = http.post("/api/v1/tenants/acme/bookings", json=payload("booking", offering=offered)).json()
    removed = http.delete(f"/api/v1/tenants/acme/members/{sam['user']['id']}", headers=owner)
    assert removed.status_code == 204, removed.text
    confirm = http.post(f"/api/v1/tenants/acme/bookings/{second['id']}/confirm", headers=_bearer(sam))
    assert (confirm.status_code, confirm.json()["code"]) == (403, "forbidden"), confirm.text
    assert (
        http.post(f"/api/v1/tenants/acme/bookings/{second['id']}/confirm", headers=owner).status_code == 200
    )
