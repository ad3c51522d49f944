"""Problems the catalog service answers with."""

from reservo.platform.http.problems import Forbidden, NotFound, Problem


class OfferingNotFound(NotFound):
    code, title = "offering_not_found", "No such offering"


class CurrencyMismatch(Problem):
    status, code, title = 422, "currency_mismatch", "Offerings are priced in the tenant's currency"


class VersionRequired(Problem):
    status, code, title = (
        428,
        "version_required",
        "Send the version you read as `If-Match: <version>` or as `version` in the body",
    )


class InvalidIfMatch(Problem):
    status, code, title = 400, "invalid_if_match", 'If-Match must be an offering version, e.g. `3` or `"3"`'


class StatusFilterForbidden(Forbidden):
    code, title = "status_filter_forbidden", "Only tenant staff may list offerings that are not published"


class LocationUnknown(Problem):
    status, code, title = 422, "location_not_found", "The tenant has no such location"


class InvalidNear(Problem):
    status, code, title = 422, "invalid_near", "`near` must be `latitude,longitude`, e.g. `52.52,13.405`"
