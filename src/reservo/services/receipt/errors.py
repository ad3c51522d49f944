"""Problems the receipt API answers."""

from reservo.platform.http.problems import NotFound


class ReceiptNotFound(NotFound):
    code, title = "receipt_not_found", "No receipt for this booking (yet), or not yours to read"
