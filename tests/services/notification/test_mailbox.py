"""The development mailbox (/dev/mailbox) in a real browser: Debian's Chromium driven by Playwright
against the app served by uvicorn. RESERVO_KEEP_SCREENSHOTS=1 also writes docs/screenshots/."""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import uvicorn

from reservo.app import create_app
from reservo.platform.config import Settings
from reservo.platform.runtime import Runtime
from reservo.services import pick
from tests.conftest import Api, eventually
from tests.services.notification.conftest import free_port
from tests.services.receipt.conftest import TENANT
from tests.services.receipt.factories import publish, succeeded

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SERVICES = ["user", "catalog", "booking", "payment", "receipt", "notification"]
pytestmark = pytest.mark.parametrize("backend", ["sqlite"])


@pytest.fixture
async def live(settings: Settings) -> AsyncIterator[Api]:
    """The all-in-one app in development mode on a real port (its own workers, .eml files + mailbox)."""
    dev = Settings(**{**settings.model_dump(), "environment": "development"})
    specs = list(pick(SERVICES))
    runtime = Runtime(dev, specs)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(specs, dev, runtime=runtime), port=port, log_level="warning")
    )
    task = asyncio.create_task(server.serve())
    await eventually(lambda: server.started, timeout=20)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
        yield Api(client, runtime)
    server.should_exit = True
    await task


class TestMailbox:
    async def test_the_mailbox_lists_shows_and_downloads_messages_in_chromium(
        self, live: Api, tmp_path: Path
    ) -> None:
        from playwright.async_api import async_playwright

        if not Path(CHROMIUM).exists():
            pytest.fail(f"{CHROMIUM} is missing: scripts/services.sh install brings Debian's chromium")
        await live.tenant("acme", **TENANT)
        offering = await live.offering(name="Jazz night")
        customer = {"name": "Zoë Ångström", "email": "zoe@example.com"}
        booking = (
            await live.book(offering["id"], start=offering["sessions"][0]["start"], customer=customer)
        ).json()
        await publish(live, succeeded(booking))
        mailbox = live.runtime.settings.outbox_dir
        await eventually(
            lambda: len(list(mailbox.glob("*.eml"))) == 3, timeout=30
        )  # still written as files too (the owner's new-booking note besides the customer's two)

        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = await browser.new_page(viewport={"width": 1100, "height": 700})
            await page.goto(f"{live.client.base_url}/dev/mailbox")
            rows = page.get_by_role("row")
            await rows.filter(has_text="ist bestätigt").wait_for()
            assert await rows.count() == 4  # the header, the customer's two messages, the owner's note
            list_shot = tmp_path / "dev-mailbox.png"
            await page.screenshot(path=str(list_shot), full_page=True)

            await page.get_by_role("link", name="Ihre Buchung von Jazz night ist bestätigt").click()
            await page.get_by_role("heading", name="Ihre Buchung von Jazz night ist bestätigt").wait_for()
            attachment = page.get_by_role("link", name="ACME-2026-000001.pdf")
            async with page.expect_download() as download_info:
                await attachment.click()
            download = await download_info.value
            saved = tmp_path / "receipt.pdf"
            await download.save_as(str(saved))
            assert saved.read_bytes().startswith(b"%PDF")
            frame = page.frame_locator("iframe[title='HTML part']")
            await frame.get_by_text("Zoë Ångström", exact=False).first.wait_for()
            message_shot = tmp_path / "dev-mailbox-message.png"
            await page.screenshot(path=str(message_shot), full_page=True)
            await browser.close()

        assert list_shot.read_bytes().startswith(b"\x89PNG")
        if os.environ.get("RESERVO_KEEP_SCREENSHOTS"):
            target = Path(__file__).parents[3] / "docs" / "screenshots"
            shutil.copy(list_shot, target / list_shot.name)
            shutil.copy(message_shot, target / message_shot.name)

    async def test_outside_development_there_is_no_mailbox(self, make_api) -> None:
        api: Api = await make_api(["notification"])  # the test environment
        response = await api.client.get("/dev/mailbox")
        assert (response.status_code, response.json()["code"]) == (404, "mailbox_off")
