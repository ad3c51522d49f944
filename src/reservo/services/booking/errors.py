"""Problems the booking service answers with; each `code` is stable, clients branch on it."""

from reservo.platform.http.problems import Conflict, NotFound, ValidationFailed


class OfferingNotFound(NotFound):
    code, title = "offering_not_found", "No such offering"


class OfferingNotBookable(Conflict):
    code, title = "offering_not_bookable", "This offering is not open for booking"


class VariantNotFound(ValidationFailed):
    code, title = "variant_not_found", "This offering has no such variant"


class QuantityOutOfRange(ValidationFailed):
    code, title = "quantity_out_of_range", "The quantity is outside what this offering allows"


class StartRequired(ValidationFailed):
    code, title = "start_required", "Appointments and events need the start of a slot or session"


class StartNotAllowed(ValidationFailed):
    code, title = "start_not_allowed", "Products are not booked for a time; leave out `start`"


class SlotUnavailable(ValidationFailed):
    code, title = "slot_unavailable", "This offering has no slot or session at that start"


class SlotInPast(ValidationFailed):
    code, title = "slot_in_past", "This slot has already started"


class InsideLeadTime(ValidationFailed):
    code, title = "inside_lead_time", "This slot starts too soon to be booked"


class BeyondBookingWindow(ValidationFailed):
    code, title = "beyond_booking_window", "This slot is too far ahead to be booked yet"


class InvalidRange(ValidationFailed):
    code, title = "invalid_range", "`from` must be before `to`, at most 31 days apart, in 2000-2099"


class SoldOut(Conflict):
    code, title = "sold_out", "Not enough capacity left"


class BookingNotFound(NotFound):
    code, title = "booking_not_found", "No such booking"


class IllegalTransition(Conflict):
    code, title = "illegal_transition", "The booking cannot make this change from its current status"


class AlreadyCancelled(Conflict):
    code, title = "already_cancelled", "The booking is already cancelled"


class TooManyHolds(Conflict):
    code, title = "too_many_holds", "This email address already holds the most unpaid bookings allowed"
