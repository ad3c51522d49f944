"""Where receipts are kept: a local folder that refuses path traversal, or S3 (moto in server mode)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from moto.server import ThreadedMotoServer

from reservo.platform.storage import BadKey, LocalStorage, ObjectMissing
from tests.conftest import Api
from tests.services.receipt.conftest import TENANT
from tests.services.receipt.factories import publish, succeeded
from tests.services.receipt.test_receipts import CUSTOMER, pdf_text, stored


class TestLocalStorage:
    @pytest.mark.parametrize(
        "key", ["../outside.pdf", "receipts/../../x", "/etc/passwd", "a//b", "receipts/./x", "a\\..\\b", ""]
    )
    async def test_a_key_that_could_leave_the_folder_is_refused(self, tmp_path: Path, key: str) -> None:
        storage = LocalStorage(tmp_path / "files")
        with pytest.raises(BadKey):
            await storage.put(key, b"x", content_type="application/pdf")
        with pytest.raises(BadKey):
            await storage.get(key)
        assert not (tmp_path / "outside.pdf").exists()

    async def test_what_is_put_is_read_back_and_a_missing_key_says_so(self, tmp_path: Path) -> None:
        storage = LocalStorage(tmp_path)
        await storage.put("receipts/t/ACME-2026-000001.pdf", b"%PDF", content_type="application/pdf")
        assert await storage.get("receipts/t/ACME-2026-000001.pdf") == b"%PDF"
        with pytest.raises(ObjectMissing):
            await storage.get("receipts/t/none.pdf")

    async def test_writers_of_one_key_at_once_all_succeed_and_leave_one_whole_file(
        self, tmp_path: Path
    ) -> None:
        """Two renders of one receipt (its job and a handler, or two processes) may store it at once."""
        storage = LocalStorage(tmp_path)
        bodies = [bytes([i]) * 200_000 for i in range(16)]
        await asyncio.gather(
            *(storage.put("receipts/t/R-1.pdf", body, content_type="application/pdf") for body in bodies)
        )
        assert await storage.get("receipts/t/R-1.pdf") in bodies
        assert [p.name for p in (tmp_path / "receipts" / "t").iterdir()] == ["R-1.pdf"]


@pytest.fixture(scope="module")
def moto_s3() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.mark.parametrize("backend", ["sqlite"])  # about storage, not the database
class TestS3:
    async def test_receipts_are_stored_in_the_bucket_and_served_from_it(
        self, make_api, clock, moto_s3: str
    ) -> None:
        bucket = f"receipts-{uuid.uuid4().hex[:8]}"
        creds = {"s3_access_key_id": "test", "s3_secret_access_key": "test", "s3_region": "us-east-1"}
        s3 = boto3.client(
            "s3",
            endpoint_url=moto_s3,
            region_name="us-east-1",
            aws_access_key_id="test",
            aws_secret_access_key="test",
        )
        s3.create_bucket(Bucket=bucket)
        api: Api = await make_api(
            ["user", "catalog", "booking", "payment", "receipt"],
            clock=clock,
            settings_update={"s3_bucket": bucket, "s3_endpoint_url": moto_s3, **creds},
        )
        await api.tenant("acme", **TENANT)
        offering = await api.offering()
        response = await api.book(offering["id"], start=offering["sessions"][0]["start"], customer=CUSTOMER)
        booking = response.json()
        await publish(api, succeeded(booking))

        served = await stored(api, booking)

        keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]]
        assert keys == [f"receipts/{booking['tenant_id']}/ACME-2026-000001.pdf"]
        in_bucket = s3.get_object(Bucket=bucket, Key=keys[0])["Body"].read()
        assert in_bucket == served.content
        assert "ACME-2026-000001" in pdf_text(in_bucket)
        assert not (api.runtime.settings.files_dir).exists()  # nothing went to the local folder
