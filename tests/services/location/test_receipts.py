"""A receipt names the venue: the location's address, linked to the map (SQLite; a real PDF)."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from pypdf import PdfReader

from reservo.platform.clock import ManualClock
from tests.conftest import Api
from tests.services.location.conftest import POTSDAM, location
from tests.services.receipt.conftest import NOW, TENANT
from tests.services.receipt.factories import publish, succeeded
from tests.services.receipt.test_receipts import pdf_text, stored

pytestmark = pytest.mark.parametrize("backend", ["sqlite"])


async def test_the_receipt_prints_the_venue_with_its_map_link(make_api: Callable[..., Any]) -> None:
    api: Api = await make_api(
        ["user", "catalog", "booking", "payment", "receipt", "location"], clock=ManualClock(NOW)
    )
    await api.tenant("acme", **TENANT)
    place = await location(api, **POTSDAM)
    offering = await api.offering(location_id=place["id"])
    booked = await api.book(offering["id"], start=offering["sessions"][0]["start"])
    assert booked.status_code == 201, booked.text
    await publish(api, succeeded(booked.json()))

    pdf = (await stored(api, booked.json())).content

    assert "Ort: Am Neuen Markt 1, 14467 Potsdam" in pdf_text(pdf)  # German: the tenant's locale
    links = [
        annotation.get_object()["/A"]["/URI"]
        for page in PdfReader(io.BytesIO(pdf)).pages
        for annotation in page.get("/Annots", [])
    ]
    assert place["map_url"] in links
