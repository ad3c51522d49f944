"""Cursor pagination: `limit` and an opaque `cursor` in, `{items, next_cursor}` out.

The one cursor codec of the code base (D9b-1). Every list is ordered by a keyset of (a moment, an id),
so a cursor is exactly that pair. `decode_cursor` accepts only what `encode_cursor` produced, shape
and types checked, so a well-formed but foreign cursor (`[1,2]`, `["x","y"]`, `[null,null]`) is a
400 `invalid_cursor`, never a 500 deeper down.
"""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from datetime import datetime
from typing import Annotated, Generic, NamedTuple, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel

from reservo.platform.http.problems import InvalidCursor

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = None


class Keyset(NamedTuple):
    """The position after the last item of a page: its sort moment and its id."""

    at: datetime
    id: uuid.UUID


def encode_cursor(at: datetime, last_id: uuid.UUID) -> str:
    raw = json.dumps([at.isoformat(), str(last_id)]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> Keyset | None:
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
        if not (isinstance(values, list) and len(values) == 2 and all(isinstance(v, str) for v in values)):
            raise InvalidCursor()
        return Keyset(datetime.fromisoformat(values[0]), uuid.UUID(values[1]))
    except (ValueError, UnicodeDecodeError, binascii.Error, RecursionError) as exc:
        raise InvalidCursor() from exc


class PageParams(BaseModel):
    limit: int
    cursor: Keyset | None


async def _page_params(
    limit: Annotated[int, Query(ge=1, le=200, description="Items per page")] = 50,
    cursor: Annotated[str | None, Query(max_length=512, description="Opaque cursor from next_cursor")] = None,
) -> PageParams:
    return PageParams(limit=limit, cursor=decode_cursor(cursor))


PageQuery = Annotated[PageParams, Depends(_page_params)]
