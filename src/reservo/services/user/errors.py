"""Problems the user service answers with."""

from reservo.platform.http.problems import Conflict


class SlugTaken(Conflict):
    code, title = "slug_taken", "This tenant slug is already taken"
