"""Writes a consumer batch queues to its end (D15-9) keep the order that matters to a user."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from reservo.contracts.events.user import PasswordResetRequested, UserErased
from reservo.platform.events.envelope import Envelope, Event, RawEnvelope
from reservo.services.notification.models import Email
from tests.conftest import Api


def _envelope(event: Event) -> RawEnvelope:
    return RawEnvelope.model_validate(
        Envelope.wrap(event, tenant_id=None, now=datetime.now(UTC)).model_dump(mode="json")
    )


class TestQueuedEmails:
    async def test_an_email_queued_in_a_batch_is_erased_by_an_erasure_later_in_the_same_batch(
        self,
        make_api,  # type: ignore[no-untyped-def]
    ) -> None:
        """The reset email is inserted at the batch's end, but the person's erasure after it in the
        same batch (both keyed by the user: one partition) still leaves no address in it."""
        api: Api = await make_api(["user", "notification"], workers=False)
        user_id, address = uuid.uuid4(), "gone@example.com"
        reset = PasswordResetRequested(
            user_id=user_id,
            email=address,
            name="Gone",
            link_id=uuid.uuid4(),
            url="https://reservo.example/reset",
            expires_at=datetime.now(UTC) + timedelta(hours=1),
        )
        erased = UserErased(user_id=user_id, email=address)

        await api.runtime.consumers["notification"].deliver_many([_envelope(reset), _envelope(erased)])

        async with api.runtime.uow("notification").read() as session:
            emails = list(await session.scalars(select(Email).where(Email.template == "password_reset")))
        assert len(emails) == 1  # the batch applied (queued, then written), not dead-lettered
        assert address not in emails[0].to
        assert address not in emails[0].body
