"""A local fake of Google's Geocoding API and Places API (New), following reference/integrations.md §6.

Geocoding answers HTTP 200 with a `status` (OK, ZERO_RESULTS, OVER_QUERY_LIMIT, REQUEST_DENIED,
INVALID_REQUEST) and `error_message`; the key travels as `key=`. Places (New) takes `X-Goog-Api-Key`,
answers real HTTP errors in Google's standard error shape, and refuses a Place Details call without
`X-Goog-FieldMask`. It knows a few real places and records every call, with session tokens and masks.
For browser tests it also serves a fake Maps JavaScript API at `/maps/api/js`
(tests/fakes/browser/maps.js).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

API_KEY = "AIzaFakeKeyForTests0123456789"


@dataclass(frozen=True)
class KnownPlace:
    place_id: str
    name: str
    address: str
    lat: float
    lng: float


PLACES = [
    KnownPlace(
        "ChIJAVkDPzdOqEcRcDteW0YgIQQ", "Berlin", "Alexanderplatz 1, 10178 Berlin, Germany", 52.5219, 13.4132
    ),
    KnownPlace(
        "ChIJt9Y6hM31qEcRm-yqC5j4ZcU", "Potsdam", "Am Neuen Markt 1, 14467 Potsdam, Germany", 52.3906, 13.0645
    ),
    KnownPlace(
        "ChIJuRMYfoNhsUcRoDrWe_I9JgQ", "Hamburg", "Rathausmarkt 1, 20095 Hamburg, Germany", 53.5503, 9.9920
    ),
]


def _google_error(status_code: int, status: str, message: str) -> JSONResponse:
    return JSONResponse(
        {"error": {"code": status_code, "message": message, "status": status}}, status_code=status_code
    )


@dataclass
class FakeGoogleMaps:
    calls: list[dict[str, Any]] = field(default_factory=list)
    quota_exhausted: bool = False

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/maps/api/geocode/json", self.geocode, methods=["GET"]),
                Route("/v1/places:autocomplete", self.autocomplete, methods=["POST"]),
                Route("/v1/places/{place_id}", self.details, methods=["GET"]),
                Route("/maps/api/js", self.maps_js, methods=["GET"]),
            ]
        )

    async def maps_js(self, request: Request) -> Response:
        self.calls.append({"api": "maps_js", "key": request.query_params.get("key")})
        return FileResponse(Path(__file__).with_name("browser") / "maps.js", media_type="text/javascript")

    def count(self, api: str) -> int:
        return sum(1 for c in self.calls if c["api"] == api)

    # Geocoding API ------------------------------------------------------------------------------
    async def geocode(self, request: Request) -> JSONResponse:
        q = request.query_params
        self.calls.append({"api": "geocode", **q})
        if q.get("key") != API_KEY:
            return JSONResponse(
                {
                    "results": [],
                    "status": "REQUEST_DENIED",
                    "error_message": "The provided API key is invalid.",
                }
            )
        if self.quota_exhausted:
            return JSONResponse(
                {
                    "results": [],
                    "status": "OVER_QUERY_LIMIT",
                    "error_message": "You have exceeded your rate-limit.",
                }
            )
        if "address" in q:
            words = q["address"].lower()
            found = [p for p in PLACES if p.name.lower() in words or p.address.lower() == words]
        elif "latlng" in q:
            lat, lng = (float(v) for v in q["latlng"].split(","))
            found = [min(PLACES, key=lambda p: math.hypot(p.lat - lat, p.lng - lng))]
        elif "place_id" in q:
            found = [p for p in PLACES if p.place_id == q["place_id"]]
        else:
            return JSONResponse(
                {
                    "results": [],
                    "status": "INVALID_REQUEST",
                    "error_message": "Invalid request. Missing the 'address'",
                }
            )
        if not found:
            return JSONResponse({"results": [], "status": "ZERO_RESULTS"})
        return JSONResponse({"results": [self._geocoded(p) for p in found], "status": "OK"})

    @staticmethod
    def _geocoded(p: KnownPlace) -> dict[str, Any]:
        return {
            "address_components": [{"long_name": p.name, "short_name": p.name, "types": ["locality"]}],
            "formatted_address": p.address,
            "geometry": {
                "location": {"lat": p.lat, "lng": p.lng},
                "location_type": "ROOFTOP",
                "viewport": {
                    "northeast": {"lat": p.lat + 0.001, "lng": p.lng + 0.001},
                    "southwest": {"lat": p.lat - 0.001, "lng": p.lng - 0.001},
                },
            },
            "place_id": p.place_id,
            "types": ["street_address"],
        }

    # Places API (New) ---------------------------------------------------------------------------
    def _places_refusal(self, request: Request) -> JSONResponse | None:
        if request.headers.get("x-goog-api-key") != API_KEY:
            return _google_error(403, "PERMISSION_DENIED", "API key not valid. Please pass a valid API key.")
        if self.quota_exhausted:
            return _google_error(429, "RESOURCE_EXHAUSTED", "Quota exceeded for quota metric 'Requests'.")
        return None

    async def autocomplete(self, request: Request) -> JSONResponse:
        body = await request.json()
        self.calls.append({"api": "autocomplete", "mask": request.headers.get("x-goog-fieldmask"), **body})
        if (refusal := self._places_refusal(request)) is not None:
            return refusal
        text = str(body.get("input") or "").lower()
        if not text:
            return _google_error(400, "INVALID_ARGUMENT", "Request contains an invalid argument.")
        suggestions = [
            {
                "placePrediction": {
                    "place": f"places/{p.place_id}",
                    "placeId": p.place_id,
                    "text": {"text": p.address, "matches": [{"endOffset": len(text)}]},
                    "structuredFormat": {
                        "mainText": {"text": p.address.split(",")[0]},
                        "secondaryText": {"text": p.address.split(",", 1)[1].strip()},
                    },
                    "types": ["street_address"],
                }
            }
            for p in PLACES
            if text in p.address.lower()
        ]
        return JSONResponse({"suggestions": suggestions} if suggestions else {})

    async def details(self, request: Request) -> JSONResponse:
        place_id = request.path_params["place_id"]
        mask = request.headers.get("x-goog-fieldmask")
        self.calls.append({"api": "details", "place_id": place_id, "mask": mask, **request.query_params})
        if (refusal := self._places_refusal(request)) is not None:
            return refusal
        if not mask:
            return _google_error(400, "INVALID_ARGUMENT", "FieldMask is a required parameter.")
        if not place_id.startswith("ChIJ"):
            return _google_error(400, "INVALID_ARGUMENT", f"Not a valid Place ID: {place_id}")
        found = next((p for p in PLACES if p.place_id == place_id), None)
        if found is None:
            return _google_error(404, "NOT_FOUND", f"Place ID {place_id} not found.")
        full = {
            "id": found.place_id,
            "name": f"places/{found.place_id}",
            "displayName": {"text": found.name, "languageCode": "en"},
            "formattedAddress": found.address,
            "location": {"latitude": found.lat, "longitude": found.lng},
            "addressComponents": [
                {"longText": found.name, "shortText": found.name, "types": ["locality"], "languageCode": "en"}
            ],
        }
        fields = {f.strip() for f in mask.split(",")}
        return JSONResponse(full if "*" in fields else {k: v for k, v in full.items() if k in fields})
