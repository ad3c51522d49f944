"""Problems the integration API answers; each `code` is stable."""

from reservo.platform.http.problems import NotFound, ValidationFailed


class TikTokNotConfigured(NotFound):
    code, title = "tiktok_not_configured", "This tenant has no TikTok settings"


class AccessTokenRequired(ValidationFailed):
    code, title = "access_token_required", "The first TikTok settings need an access token"
