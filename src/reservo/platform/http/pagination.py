"""Cursor pagination: `limit` and an opaque `cursor` in, `{items, next_cursor}` out."""

from __future__ import annotations

import base64
import json
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel

from reservo.platform.http.problems import InvalidCursor

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = None


def encode_cursor(values: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(values, default=str).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> list[Any] | None:
    if not cursor:
        return None
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidCursor() from exc
    if not isinstance(values, list):
        raise InvalidCursor()
    return values


class PageParams(BaseModel):
    limit: int
    cursor: list[Any] | None


def _page_params(
    limit: Annotated[int, Query(ge=1, le=200, description="Items per page")] = 50,
    cursor: Annotated[str | None, Query(max_length=512, description="Opaque cursor from next_cursor")] = None,
) -> PageParams:
    return PageParams(limit=limit, cursor=decode_cursor(cursor))


PageQuery = Annotated[PageParams, Depends(_page_params)]
