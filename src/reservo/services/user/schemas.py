"""Request and response bodies of the user service."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, EmailStr, Field

from reservo.platform.schemas import Currency, Input, Output, TimeZoneName

Slug = Annotated[str, Field(pattern=r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$", examples=["demo"])]
Email = Annotated[EmailStr, Field(max_length=320), AfterValidator(lambda v: v.lower())]
# Checked by the policy (422 weak_password / password_too_long), not by the schema.
Password = Annotated[str, Field(examples=["correct horse battery staple"])]
Name = Annotated[str, Field(min_length=1, max_length=200)]
OpaqueToken = Annotated[str, Field(min_length=1, max_length=512)]
# A language tag Babel knows ("en", "de", "de-CH", "zh-Hant"); checked further by the service.
Locale = Annotated[str, Field(pattern=r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8}){0,2}$", examples=["de"])]
Address = Annotated[str, Field(min_length=1, max_length=500, examples=["Hauptstr. 1, 10115 Berlin"])]
TaxId = Annotated[str, Field(min_length=1, max_length=64, examples=["DE123456789"])]


class Branding(Input):
    logo_url: Annotated[str, Field(max_length=500, pattern=r"^https://")] | None = None
    primary_color: Annotated[str, Field(pattern=r"^#[0-9a-fA-F]{6}$")] | None = None


class TenantCreate(Input):
    name: Name
    slug: Slug
    timezone: TimeZoneName
    currency: Currency
    branding: Branding = Field(default_factory=Branding)
    locale: Locale = "en"
    address: Address | None = None
    tax_id: TaxId | None = None


class TenantUpdate(Input):
    name: Name | None = None
    timezone: TimeZoneName | None = None
    currency: Currency | None = None
    branding: Branding | None = None
    locale: Locale | None = None
    address: Address | None = None
    tax_id: TaxId | None = None


class TenantRead(Output):
    id: uuid.UUID
    slug: str
    name: str
    timezone: str
    currency: str
    branding: dict[str, Any] = Field(default_factory=dict)
    locale: str = "en"
    address: str | None = None
    tax_id: str | None = None
    suspended: bool = False


class TenantCreatedRead(TenantRead):
    """The new tenant, and an access token of the creator that already carries the owner role."""

    access_token: str | None = Field(
        default=None,
        description="Use it at once for the tenant's first calls (no refresh needed); "
        "null on an Idempotency-Key replay",
    )
    expires_in: int | None = Field(default=None, description="seconds until the access token expires")


class PasswordChangeIn(Input):
    current_password: Annotated[str, Field(max_length=1024)]
    new_password: Password


class RegisterIn(Input):
    email: Email
    password: Password
    name: Name
    locale: Locale | None = None  # the language of the account's emails (and the web app); None: English


class LoginIn(Input):
    email: Email
    password: Password


class RefreshIn(Input):
    refresh_token: OpaqueToken


class LinkTokenIn(Input):
    token: OpaqueToken


class PasswordResetRequestIn(Input):
    email: Email


class PasswordResetConfirmIn(Input):
    token: OpaqueToken
    password: Password


class MembershipRead(Output):
    tenant: str
    role: str


class UserRead(Output):
    id: uuid.UUID
    email: str
    name: str
    email_verified: bool
    is_admin: bool
    tenants: list[MembershipRead] = Field(default_factory=list)
    providers: list[str] = Field(default_factory=list)
    has_password: bool = True
    locale: str | None = None
    phone: str | None = None


class TokenPair(Output):
    access_token: str
    refresh_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="seconds until the access token expires")
    user: UserRead


class SessionRead(Output):
    id: uuid.UUID
    created_at: datetime
    last_used_at: datetime
    user_agent: str
    method: str
    current: bool


class Accepted(Output):
    status: Literal["accepted"] = "accepted"
    detail: str = ""


class InvitationCreate(Input):
    email: Email


class InvitationRead(Output):
    id: uuid.UUID
    email: str
    role: str
    created_at: datetime
    expires_at: datetime
    accepted_at: datetime | None


class MemberRead(Output):
    user_id: uuid.UUID
    email: str
    role: str


class ProviderRead(Output):
    name: str
    start_url: str


class StartRead(Output):
    authorization_url: str
    state: str
    binding: str = Field(
        description="Also set as the reservo_oauth_binding cookie; clients without cookies send it back "
        "in the X-OAuth-Binding header of the callback"
    )


Phone = Annotated[str, Field(pattern=r"^\+[1-9][0-9]{6,14}$", examples=["+4915123456789"])]


class ProfileUpdate(Input):
    """Fields left out stay as they are; `null` clears locale or phone."""

    name: Name | None = None
    locale: Locale | None = None
    phone: Phone | None = None


class AccountDelete(Input):
    confirm: Literal["DELETE"] = Field(description="Type DELETE: the account and its personal data go")


class AdminTenantRead(Output):
    id: uuid.UUID
    slug: str
    name: str
    currency: str
    created_at: datetime
    suspended: bool
    suspended_at: datetime | None


class AdminUserRead(Output):
    id: uuid.UUID
    email: str
    name: str
    email_verified: bool
    is_admin: bool
    created_at: datetime
    suspended: bool
    suspended_at: datetime | None
    erased: bool
