"""Problems the user service answers with."""

from reservo.platform.http.problems import Conflict, Forbidden, NotFound, Problem, Unauthorized


class SlugTaken(Conflict):
    code, title = "slug_taken", "This tenant slug is already taken"


class EmailTaken(Conflict):
    code, title = "email_taken", "An account with this email exists; sign in or reset the password"


class WeakPassword(Problem):
    status, code, title = 422, "weak_password", "The password is too weak"


class PasswordTooLong(Problem):
    status, code, title = 422, "password_too_long", "The password is longer than 1024 bytes"


class InvalidCredentials(Unauthorized):
    # The same answer for an unknown email and a wrong password.
    code, title = "invalid_credentials", "Email or password is wrong"


class InvalidRefreshToken(Unauthorized):
    code, title = "invalid_refresh_token", "The refresh token is invalid, expired or revoked; sign in again"


class InvalidLink(Problem):
    status, code, title = 400, "invalid_link", "This link is invalid, expired or was already used"


class SessionNotFound(NotFound):
    code, title = "session_not_found", "No such session"


class InvitationNotFound(NotFound):
    code, title = "invitation_not_found", "No such invitation, or it expired or was used"


class InvitationForSomeoneElse(Forbidden):
    code, title = "invitation_email_mismatch", "This invitation was sent to another email address"


class ProviderNotConfigured(NotFound):
    code, title = "provider_not_configured", "This sign-in provider is not available here"


class SocialSignInFailed(Problem):
    status, code, title = 400, "social_sign_in_failed", "Sign-in with the provider failed"


class InvalidState(SocialSignInFailed):
    code, title = "invalid_state", "The sign-in attempt is unknown, expired or was already used"


class InvalidIdToken(SocialSignInFailed):
    status, code, title = 401, "invalid_id_token", "The provider's ID token was refused"


class ProviderError(Problem):
    status, code, title = 502, "provider_error", "The sign-in provider did not answer as expected"


class AccountExists(Conflict):
    code, title = (
        "account_exists",
        "An account with this email exists; sign in to it first, then link this provider",
    )


class IdentityLinkedElsewhere(Conflict):
    code, title = "identity_in_use", "This provider account is linked to another user"


class MemberNotFound(NotFound):
    code, title = "member_not_found", "No such member of this tenant"


class LastOwner(Conflict):
    code, title = "last_owner", "A tenant keeps at least one owner"


class VerifyEmailFirst(Forbidden):
    code, title = "email_unverified", "Verify your email address to create more tenants"


class CurrencyLocked(Conflict):
    code, title = "currency_locked", "A tenant's currency is chosen once, at creation"


class AccountSuspended(Forbidden):
    code, title = "account_suspended", "This account is suspended by the platform"


class UserNotFoundAdmin(NotFound):
    code, title = "user_not_found", "No such user"


class AdminSelfSuspend(Conflict):
    code, title = "cannot_suspend_self", "An admin cannot suspend or delete their own account here"
