"""Where a booking happens, for its emails: the platform's location replica (platform/locations.py) in
notification's database, under the names its handlers use."""

from __future__ import annotations

from reservo.services.notification.models import LOCATIONS

on_offering = LOCATIONS.on_offering
on_location = LOCATIONS.on_location
place_of = LOCATIONS.place_of
