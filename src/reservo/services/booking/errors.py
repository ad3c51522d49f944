"""Problems the booking service answers with."""

from reservo.platform.http.problems import Conflict, NotFound


class OfferingNotFound(NotFound):
    code, title = "offering_not_found", "No such offering"


class OfferingNotBookable(Conflict):
    code, title = "offering_not_bookable", "This offering is not open for booking"


class SoldOut(Conflict):
    code, title = "sold_out", "Not enough capacity left"


class BookingNotFound(NotFound):
    code, title = "booking_not_found", "No such booking"
