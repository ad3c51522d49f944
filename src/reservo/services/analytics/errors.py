"""Problems the analytics API answers; each `code` is stable."""

from reservo.platform.http.problems import ValidationFailed


class InvalidDateRange(ValidationFailed):
    code, title = "invalid_date_range", "The date range is not valid"


class CollectInvalid(ValidationFailed):
    code, title = "invalid_event", "This browser event lacks what its kind needs"
