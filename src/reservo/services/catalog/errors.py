"""Problems the catalog service answers with."""

from reservo.platform.http.problems import NotFound


class OfferingNotFound(NotFound):
    code, title = "offering_not_found", "No such offering"
