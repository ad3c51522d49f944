# ruff: noqa: RUF001 (the multiplication sign in "2 x Jazz night" is meant as one)
"""What each email says, in English and German. Placeholders are filled with values already formatted
for the reader's locale and the tenant's time zone; the layout (templates/layout.*) adds branding."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Message:
    subject: str
    paragraphs: tuple[str, ...]
    button: str | None = None  # label of the link button, when the email has a link


EN: dict[str, Message] = {
    "booking_created": Message(
        "Your booking of {offering} is reserved",
        (
            "Hello {name},",
            "we have reserved {quantity} × {offering}{when_part} for you. Total: {total}.",
            "{where_line}",
            "Please pay by {expires} to confirm it; until then it is a hold and may expire.",
        ),
        "Pay and manage your booking",
    ),
    "booking_confirmed": Message(
        "Your booking of {offering} is confirmed",
        (
            "Hello {name},",
            "thank you: {quantity} × {offering}{when_part} is confirmed and paid ({total}).",
            "{where_line}",
            "Your receipt {number} is attached.",
        ),
        "Manage your booking",
    ),
    "payment_failed": Message(
        "Your payment for {offering} did not go through",
        (
            "Hello {name},",
            "the payment of {total} failed: {reason}.",
            "Your booking is held until {expires}; you can try again with another card.",
        ),
        "Try again",
    ),
    "hold_expiring": Message(
        "Your reservation of {offering} expires soon",
        (
            "Hello {name},",
            "your reservation of {offering}{when_part} expires at {expires}.",
            "Pay now to keep it.",
        ),
        "Pay now",
    ),
    "booking_cancelled": Message(
        "Your booking of {offering} is cancelled",
        ("Hello {name},", "your booking of {offering}{when_part} was cancelled.", "{refund_line}"),
        "View your booking",
    ),
    "booking_expired": Message(
        "Your reservation of {offering} has expired",
        ("Hello {name},", "your unpaid reservation of {offering}{when_part} has expired and was released."),
    ),
    "refund_issued": Message(
        "Your refund of {refund}",
        (
            "Hello {name},",
            "we have refunded {refund} for {offering}.",
            "Your credit note {number} is attached.",
        ),
        "View your booking",
    ),
    "reminder": Message(
        "Reminder: {offering}{when_part}",
        (
            "Hello {name},",
            "this is a reminder of your booking: {quantity} × {offering}{when_part}.",
            "See you soon!",
        ),
        "Manage your booking",
    ),
    "payment_rejected": Message(
        "Your payment for {offering} was refunded",
        (
            "Hello {name},",
            "we received your payment of {total} for {offering}{when_part}, but {reason_line}",
            "We have refunded the full amount; your bank may take a few days to show it.",
        ),
        "View your booking",
    ),
    "staff_new_booking": Message(
        "New booking: {quantity} × {offering}{when_part}",
        (
            "New booking at {tenant}:",
            "{quantity} × {offering}{when_part}, {total}, by {name} ({customer_email}).",
            "Reference {reference}; pay by {expires} or the hold expires.",
        ),
        "Open the bookings",
    ),
    "verify_email": Message(
        "Confirm your email address",
        (
            "Hello {name},",
            "please confirm that {email} is your email address by opening the link below.",
            "The link works once and expires at {expires}. If you did not sign up, ignore this email.",
        ),
        "Confirm my email address",
    ),
    "password_reset": Message(
        "Reset your password",
        (
            "Hello {name},",
            "someone asked to reset the password of your Reservo account. "
            "To choose a new one, open the link.",
            "The link works once and expires at {expires}. If it was not you, ignore this email; "
            "your password stays as it is.",
        ),
        "Choose a new password",
    ),
    "invitation": Message(
        "Join {tenant_name} on Reservo",
        (
            "Hello,",
            "{invited_by} invites you to join {tenant_name} on Reservo as {role}.",
            "Sign in (or create an account with this email address), then open the link. "
            "The invitation expires at {expires}.",
        ),
        "Accept the invitation",
    ),
}

DE: dict[str, Message] = {
    "booking_created": Message(
        "Ihre Buchung von {offering} ist reserviert",
        (
            "Hallo {name},",
            "wir haben {quantity} × {offering}{when_part} für Sie reserviert. Gesamt: {total}.",
            "{where_line}",
            "Bitte bezahlen Sie bis {expires}, um die Buchung zu bestätigen; bis dahin ist sie vorgemerkt.",
        ),
        "Bezahlen und Buchung verwalten",
    ),
    "booking_confirmed": Message(
        "Ihre Buchung von {offering} ist bestätigt",
        (
            "Hallo {name},",
            "vielen Dank: {quantity} × {offering}{when_part} ist bestätigt und bezahlt ({total}).",
            "{where_line}",
            "Ihre Quittung {number} finden Sie im Anhang.",
        ),
        "Buchung verwalten",
    ),
    "payment_failed": Message(
        "Ihre Zahlung für {offering} ist fehlgeschlagen",
        (
            "Hallo {name},",
            "die Zahlung über {total} ist fehlgeschlagen: {reason}.",
            "Ihre Buchung bleibt bis {expires} vorgemerkt; Sie können es erneut versuchen.",
        ),
        "Erneut versuchen",
    ),
    "hold_expiring": Message(
        "Ihre Reservierung von {offering} läuft bald ab",
        (
            "Hallo {name},",
            "Ihre Reservierung von {offering}{when_part} läuft um {expires} ab.",
            "Jetzt bezahlen?",
        ),
        "Jetzt bezahlen",
    ),
    "booking_cancelled": Message(
        "Ihre Buchung von {offering} wurde storniert",
        ("Hallo {name},", "Ihre Buchung von {offering}{when_part} wurde storniert.", "{refund_line}"),
        "Buchung ansehen",
    ),
    "booking_expired": Message(
        "Ihre Reservierung von {offering} ist abgelaufen",
        ("Hallo {name},", "Ihre unbezahlte Reservierung von {offering}{when_part} ist abgelaufen."),
    ),
    "refund_issued": Message(
        "Ihre Erstattung über {refund}",
        (
            "Hallo {name},",
            "wir haben {refund} für {offering} erstattet.",
            "Ihre Gutschrift {number} liegt bei.",
        ),
        "Buchung ansehen",
    ),
    "reminder": Message(
        "Erinnerung: {offering}{when_part}",
        (
            "Hallo {name},",
            "wir erinnern Sie an Ihre Buchung: {quantity} × {offering}{when_part}.",
            "Bis bald!",
        ),
        "Buchung verwalten",
    ),
    "payment_rejected": Message(
        "Ihre Zahlung für {offering} wurde erstattet",
        (
            "Hallo {name},",
            "Ihre Zahlung über {total} für {offering}{when_part} ist eingegangen, aber {reason_line}",
            "Wir haben den vollen Betrag erstattet; es kann einige Tage dauern, bis er gutgeschrieben ist.",
        ),
        "Buchung ansehen",
    ),
    "staff_new_booking": Message(
        "Neue Buchung: {quantity} × {offering}{when_part}",
        (
            "Neue Buchung bei {tenant}:",
            "{quantity} × {offering}{when_part}, {total}, von {name} ({customer_email}).",
            "Referenz {reference}; zu bezahlen bis {expires}, sonst verfällt die Reservierung.",
        ),
        "Buchungen öffnen",
    ),
    "verify_email": Message(
        "Bestätigen Sie Ihre E-Mail-Adresse",
        (
            "Hallo {name},",
            "bitte bestätigen Sie über den Link unten, dass {email} Ihre E-Mail-Adresse ist.",
            "Der Link funktioniert einmal und läuft um {expires} ab. "
            "Wenn Sie sich nicht registriert haben, ignorieren Sie diese E-Mail.",
        ),
        "E-Mail-Adresse bestätigen",
    ),
    "password_reset": Message(
        "Passwort zurücksetzen",
        (
            "Hallo {name},",
            "jemand möchte das Passwort Ihres Reservo-Kontos zurücksetzen. "
            "Über den Link wählen Sie ein neues.",
            "Der Link funktioniert einmal und läuft um {expires} ab. Waren Sie das nicht, "
            "ignorieren Sie diese E-Mail; Ihr Passwort bleibt unverändert.",
        ),
        "Neues Passwort wählen",
    ),
    "invitation": Message(
        "Einladung zu {tenant_name} auf Reservo",
        (
            "Hallo,",
            "{invited_by} lädt Sie ein, {tenant_name} auf Reservo als {role} beizutreten.",
            "Melden Sie sich an (oder legen Sie ein Konto mit dieser E-Mail-Adresse an) und öffnen "
            "Sie dann den Link. Die Einladung läuft um {expires} ab.",
        ),
        "Einladung annehmen",
    ),
}

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "on": " on ",
        "where": "Where: {address} (map: {map_url})",
        "refund": "We will refund {refund}.",
        "no_refund": "",
        "unsubscribe": "No more reminders from {tenant}",
        "sent_by": "Sent by {tenant} via Reservo",
        # why a payment could not be taken (booking.payment_rejected's reason)
        "rejected_sold_out": "your reservation had expired before it arrived and the places are now taken.",
        "rejected_amount_mismatch": "the amount paid does not match the price of the booking.",
        "rejected_not_payable": "the booking had already been cancelled.",
        "role_staff": "staff",
        "role_owner": "owner",
    },
    "de": {
        "on": " am ",
        "where": "Ort: {address} (Karte: {map_url})",
        "refund": "Wir erstatten Ihnen {refund}.",
        "no_refund": "",
        "unsubscribe": "Keine Erinnerungen mehr von {tenant}",
        "sent_by": "Gesendet von {tenant} über Reservo",
        "rejected_sold_out": "Ihre Reservierung war abgelaufen und die Plätze sind inzwischen vergeben.",
        "rejected_amount_mismatch": "der gezahlte Betrag entspricht nicht dem Preis der Buchung.",
        "rejected_not_payable": "die Buchung war bereits storniert.",
        "role_staff": "Mitarbeiter",
        "role_owner": "Inhaber",
    },
}

CATALOGUES = {"en": EN, "de": DE}


def language(locale: str | None) -> str:
    lang = (locale or "en").replace("_", "-").split("-")[0].lower()
    return lang if lang in CATALOGUES else "en"
