"""A booking email tells the customer where to go: the location's address and a map link (SQLite; the
email goes over real SMTP to aiosmtpd)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.conftest import Api
from tests.services.location.conftest import BERLIN, location
from tests.services.notification.conftest import SmtpServer
from tests.services.notification.test_booking_emails import CUSTOMER, received, text_of

pytestmark = pytest.mark.parametrize("backend", ["sqlite"])


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


async def test_the_booking_email_carries_the_address_and_map_link(
    make_api: Callable[..., Any], smtp: SmtpServer
) -> None:
    api: Api = await make_api(
        ["user", "catalog", "booking", "notification", "location"],
        service_settings={"notification": smtp.settings},
    )
    await api.tenant("acme")
    place = await location(api, **{**BERLIN, "address": "Alexanderplatz 1, Berlin https://evil.example"})
    offering = await api.offering(location_id=place["id"])
    booked = await api.book(offering["id"], start=offering["sessions"][0]["start"], customer=CUSTOMER)
    assert booked.status_code == 201, booked.text
    await api.settle()
    [message] = await received(smtp, 1)
    text = text_of(message)
    assert "Where: Alexanderplatz 1, Berlin https[:]//evil.example" in text
    assert place["map_url"] in text  # the link built from the coordinates stays a working link
    html = message.get_body(preferencelist=("html",))
    assert html is not None and place["map_url"].replace("&", "&amp;") in str(html.get_content())
