"""Object storage for files services produce (receipt PDFs): a local folder, or an S3 bucket.

Keys are relative, slash-separated names (`receipts/<tenant>/<number>.pdf`). The local backend refuses
any key that could leave its folder; S3 has no such risk but gets the same check so a key that works
on one backend works on the other.
"""

from __future__ import annotations

import asyncio
import re
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from reservo.platform.config import Settings

_SEGMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$")


class BadKey(ValueError):
    pass


class ObjectMissing(LookupError):
    pass


def check_key(key: str) -> str:
    parts = key.split("/")
    if len(key) > 1000 or not parts or any(not _SEGMENT.match(p) or ".." in p for p in parts):
        raise BadKey(f"not a storage key: {key!r}")
    return key


class ObjectStorage(Protocol):
    async def put(self, key: str, data: bytes, *, content_type: str) -> None:
        """Store (or overwrite) `key`; writing the same bytes again is harmless."""

    async def get(self, key: str) -> bytes:
        """The bytes of `key`; ObjectMissing when there are none."""


class LocalStorage:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, key: str) -> Path:
        root = self.folder.resolve()
        path = (root / check_key(key)).resolve()
        if root not in path.parents:  # belt and braces: check_key already refused `..` and `/x`
            raise BadKey(f"not a storage key: {key!r}")
        return path

    async def put(self, key: str, data: bytes, *, content_type: str) -> None:
        await asyncio.to_thread(self._write, self._path(key), data)

    async def get(self, key: str) -> bytes:
        path = self._path(key)
        try:
            return await asyncio.to_thread(path.read_bytes)
        except FileNotFoundError as exc:
            raise ObjectMissing(key) from exc

    @staticmethod
    def _write(path: Path, data: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        # A part file of this writer's own: two processes (or a job and a handler) storing the same key
        # at once must not rename each other's part file away (the later rename wins, whole).
        partial = path.with_name(f"{path.name}.{uuid.uuid4().hex}.part")
        try:
            partial.write_bytes(data)
            partial.replace(path)  # atomic: a reader never sees half a file
        finally:
            partial.unlink(missing_ok=True)


class S3Storage:
    """boto3 in a worker thread (its client is thread-safe); one client per process."""

    def __init__(self, bucket: str, client: Any) -> None:
        self.bucket = bucket
        self._client = client

    @classmethod
    def from_settings(cls, settings: Settings) -> S3Storage:
        import boto3

        secret = settings.s3_secret_access_key
        client = boto3.client(
            "s3",
            endpoint_url=settings.s3_endpoint_url,
            region_name=settings.s3_region,
            aws_access_key_id=settings.s3_access_key_id,
            aws_secret_access_key=secret.get_secret_value() if secret else None,
        )
        return cls(settings.s3_bucket or "", client)

    async def put(self, key: str, data: bytes, *, content_type: str) -> None:
        await asyncio.to_thread(
            self._client.put_object,
            Bucket=self.bucket,
            Key=check_key(key),
            Body=data,
            ContentType=content_type,
        )

    async def get(self, key: str) -> bytes:
        def read() -> bytes:
            try:
                response = self._client.get_object(Bucket=self.bucket, Key=check_key(key))
            except self._client.exceptions.NoSuchKey as exc:
                raise ObjectMissing(key) from exc
            body: bytes = response["Body"].read()
            return body

        return await asyncio.to_thread(read)


def make_storage(settings: Settings) -> ObjectStorage:
    if settings.s3_bucket:
        return S3Storage.from_settings(settings)
    return LocalStorage(settings.files_dir)
