"""Google Maps Platform behind four calls: geocode, reverse geocode (Geocoding API), autocomplete and
place details (Places API (New), session tokens and field masks).

Answers are cached in the platform cache (memory or Redis) for `cache_ttl_seconds`. Google's statuses
become problems with stable codes (errors.py). A quota error (OVER_QUERY_LIMIT, OVER_DAILY_LIMIT,
HTTP 429 RESOURCE_EXHAUSTED) opens a back-off window kept in the same cache, so every process of the
service stops calling Google until it ends; the window doubles on each repeat.
"""

from __future__ import annotations

import hashlib
import json
import math
import time
from dataclasses import asdict, dataclass
from typing import Any

import httpx
import structlog

from reservo.platform.cache import Cache
from reservo.services.location.errors import (
    AddressNotFound,
    GeocodingDenied,
    GeocodingInvalidRequest,
    GeocodingQuotaExceeded,
    GeocodingUnavailable,
    MapsNotConfigured,
)
from reservo.services.location.settings import LocationSettings

log = structlog.get_logger(__name__)

DETAILS_FIELD_MASK = "id,formattedAddress,location,displayName"
AUTOCOMPLETE_FIELD_MASK = (
    "suggestions.placePrediction.placeId,suggestions.placePrediction.text,"
    "suggestions.placePrediction.structuredFormat"
)
_BACKOFF_KEY = "location:google:backoff-until"
_LEVEL_KEY = "location:google:backoff-level"


@dataclass(frozen=True, slots=True)
class Place:
    address: str
    latitude: float
    longitude: float
    place_id: str | None
    name: str | None = None


@dataclass(frozen=True, slots=True)
class Suggestion:
    place_id: str
    text: str
    main_text: str | None
    secondary_text: str | None


class GoogleMaps:
    def __init__(self, settings: LocationSettings, cache: Cache) -> None:
        self._settings = settings
        self._cache = cache

    @property
    def enabled(self) -> bool:
        key = self._settings.google_api_key
        return key is not None and bool(key.get_secret_value())

    def _key(self) -> str:
        if self._settings.google_api_key is None or not self.enabled:
            raise MapsNotConfigured()
        return self._settings.google_api_key.get_secret_value()

    # Geocoding API ----------------------------------------------------------------------------
    async def geocode(self, address: str) -> Place:
        return await self._geocoding({"address": address})

    async def reverse(self, latitude: float, longitude: float) -> Place:
        return await self._geocoding({"latlng": f"{latitude:.7f},{longitude:.7f}"})

    async def _geocoding(self, params: dict[str, str]) -> Place:
        key = self._key()
        params = {**params, "language": self._settings.language}
        cache_key = _cache_key("geocode", params)
        if (hit := await self._cache.get(cache_key)) is not None:
            return Place(**json.loads(hit))
        await self._check_backoff()
        url = self._settings.geocoding_api_base.rstrip("/") + "/maps/api/geocode/json"
        response = await self._send("GET", url, params={**params, "key": key})
        try:
            body = response.json()
            status = str(body.get("status"))
        except (ValueError, AttributeError) as exc:
            raise GeocodingUnavailable(f"Geocoding answered HTTP {response.status_code}") from exc
        if status == "OK" and body.get("results"):
            first = body["results"][0]
            location = first["geometry"]["location"]
            place = Place(first["formatted_address"], location["lat"], location["lng"], first.get("place_id"))
            await self._cache.set(
                cache_key, json.dumps(asdict(place)).encode(), self._settings.cache_ttl_seconds
            )
            await self._cache.delete(_LEVEL_KEY)
            return place
        await self._fail(status, str(body.get("error_message") or ""))
        raise AssertionError("unreachable")  # pragma: no cover

    async def _fail(self, status: str, message: str) -> None:
        log.warning("google.geocoding.failed", status=status, message=message)
        if status in ("ZERO_RESULTS", "OK", "NOT_FOUND"):
            raise AddressNotFound()
        if status in ("OVER_QUERY_LIMIT", "OVER_DAILY_LIMIT", "RESOURCE_EXHAUSTED"):
            raise await self._back_off()
        if status in ("REQUEST_DENIED", "PERMISSION_DENIED"):
            raise GeocodingDenied()
        if status in ("INVALID_REQUEST", "INVALID_ARGUMENT"):
            raise GeocodingInvalidRequest(message or None)
        raise GeocodingUnavailable(f"Google answered {status}")

    # Places API (New) -------------------------------------------------------------------------
    async def autocomplete(self, text: str, session_token: str | None) -> list[Suggestion]:
        key = self._key()
        body: dict[str, Any] = {"input": text, "languageCode": self._settings.language}
        if session_token:
            body["sessionToken"] = session_token
        # Cached per input, not per session: the same words give the same suggestions.
        cache_key = _cache_key("autocomplete", {"input": text, "language": self._settings.language})
        if (hit := await self._cache.get(cache_key)) is not None:
            return [Suggestion(**s) for s in json.loads(hit)]
        await self._check_backoff()
        url = self._settings.places_api_base.rstrip("/") + "/v1/places:autocomplete"
        headers = {"X-Goog-Api-Key": key, "X-Goog-FieldMask": AUTOCOMPLETE_FIELD_MASK}
        found = await self._places("POST", url, headers, json=body)
        out = []
        for item in found.get("suggestions") or []:
            prediction = item.get("placePrediction")
            if not prediction:
                continue  # query predictions carry no place
            structured = prediction.get("structuredFormat") or {}
            out.append(
                Suggestion(
                    place_id=prediction["placeId"],
                    text=(prediction.get("text") or {}).get("text", ""),
                    main_text=(structured.get("mainText") or {}).get("text"),
                    secondary_text=(structured.get("secondaryText") or {}).get("text"),
                )
            )
        ttl = self._settings.cache_ttl_seconds
        await self._cache.set(cache_key, json.dumps([asdict(s) for s in out]).encode(), ttl)
        return out

    async def details(self, place_id: str, session_token: str | None) -> Place:
        key = self._key()
        cache_key = _cache_key("details", {"place_id": place_id, "language": self._settings.language})
        if (hit := await self._cache.get(cache_key)) is not None:
            return Place(**json.loads(hit))
        await self._check_backoff()
        url = self._settings.places_api_base.rstrip("/") + f"/v1/places/{place_id}"
        params = {"languageCode": self._settings.language}
        if session_token:
            params["sessionToken"] = session_token  # ends the autocomplete session (billing)
        headers = {"X-Goog-Api-Key": key, "X-Goog-FieldMask": DETAILS_FIELD_MASK}
        found = await self._places("GET", url, headers, params=params)
        try:
            location = found["location"]
            place = Place(
                address=found["formattedAddress"],
                latitude=float(location["latitude"]),
                longitude=float(location["longitude"]),
                place_id=found.get("id") or place_id,
                name=(found.get("displayName") or {}).get("text"),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise GeocodingUnavailable("Place details lacked an address or a location") from exc
        await self._cache.set(cache_key, json.dumps(asdict(place)).encode(), self._settings.cache_ttl_seconds)
        await self._cache.delete(_LEVEL_KEY)
        return place

    async def _places(self, method: str, url: str, headers: dict[str, str], **kwargs: Any) -> dict[str, Any]:
        response = await self._send(method, url, headers=headers, **kwargs)
        try:
            body = response.json()
        except ValueError:
            body = None
        if response.is_success and isinstance(body, dict):
            return body
        error = body.get("error", {}) if isinstance(body, dict) else {}
        status = str(error.get("status") or "")
        if response.status_code == 404:
            status = "NOT_FOUND"
        elif response.status_code == 429:
            status = "RESOURCE_EXHAUSTED"
        elif response.status_code == 403:
            status = status or "PERMISSION_DENIED"
        elif response.status_code == 400:
            status = status or "INVALID_ARGUMENT"
        else:
            status = status or f"HTTP {response.status_code}"
        await self._fail(status, str(error.get("message") or ""))
        raise AssertionError("unreachable")  # pragma: no cover

    async def _send(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        try:
            async with httpx.AsyncClient(timeout=self._settings.timeout_seconds) as client:
                return await client.request(method, url, **kwargs)
        except httpx.HTTPError as exc:
            log.warning("google.unreachable", error=type(exc).__name__)
            raise GeocodingUnavailable("Google's maps service could not be reached") from exc

    # quota back-off ---------------------------------------------------------------------------
    async def _check_backoff(self) -> None:
        until = await self._cache.get(_BACKOFF_KEY)
        if until is not None:
            left = float(until) - time.time()
            if left > 0:
                raise _quota(left)

    async def _back_off(self) -> GeocodingQuotaExceeded:
        level = int(await self._cache.get(_LEVEL_KEY) or b"0") + 1
        s = self._settings
        seconds = min(s.quota_backoff_seconds * 2 ** (level - 1), s.quota_backoff_max_seconds)
        await self._cache.set(_BACKOFF_KEY, str(time.time() + seconds).encode(), seconds)
        await self._cache.set(_LEVEL_KEY, str(level).encode(), seconds * 4)
        log.warning("google.quota.backoff", seconds=seconds, level=level)
        return _quota(seconds)


def _quota(seconds: float) -> GeocodingQuotaExceeded:
    wait = max(1, math.ceil(seconds))
    return GeocodingQuotaExceeded(
        f"Google's quota is exhausted; nothing is sent to Google for {wait} s",
        headers={"Retry-After": str(wait)},
        retry_after_seconds=wait,
    )


def _cache_key(kind: str, params: dict[str, str]) -> str:
    digest = hashlib.sha256(json.dumps(params, sort_keys=True).encode()).hexdigest()[:32]
    return f"location:google:{kind}:{digest}"
