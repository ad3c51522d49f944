"""Problems the location service answers with; Google's statuses map onto the last six."""

from reservo.platform.http.problems import Conflict, NotFound, Problem


class LocationNotFound(NotFound):
    code, title = "location_not_found", "No such location"


class LocationInUse(Conflict):
    code, title = "location_in_use", "Offerings still use this location; move them elsewhere first"


class CoordinatesRequired(Problem):
    status, code, title = (
        422,
        "coordinates_required",
        "Give `latitude` and `longitude` (no maps API is configured to look the address up)",
    )


class AddressRequired(Problem):
    status, code, title = 422, "address_required", "Give an `address`, a `place_id`, or coordinates"


class MapsNotConfigured(Problem):
    status, code, title = (
        422,
        "maps_not_configured",
        "No Google Maps API key is configured: enter the address and coordinates by hand",
    )


class AddressNotFound(Problem):
    status, code, title = 422, "address_not_found", "Google found no place for this address or id"


class GeocodingInvalidRequest(Problem):
    status, code, title = 422, "geocoding_invalid_request", "Google refused the lookup as invalid"


class GeocodingQuotaExceeded(Problem):
    status, code, title = (
        503,
        "geocoding_quota_exceeded",
        "The maps quota is used up; retry after the time in Retry-After",
    )


class GeocodingDenied(Problem):
    status, code, title = (
        502,
        "geocoding_denied",
        "Google denied the request (API key rejected or API not enabled); tell the platform operator",
    )


class GeocodingUnavailable(Problem):
    status, code, title = 502, "geocoding_unavailable", "Google's maps service failed; retry shortly"
