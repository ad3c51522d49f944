"""Problems the notification API answers."""

from reservo.platform.http.problems import NotFound, Problem


class MailboxOff(NotFound):
    code, title = "mailbox_off", "The development mailbox exists only when RESERVO_ENVIRONMENT=development"


class MessageNotFound(NotFound):
    code, title = "message_not_found", "No such message"


class BadUnsubscribeLink(Problem):
    status, code, title = 400, "bad_unsubscribe_link", "This unsubscribe link is not valid"
