"""The only code services share with each other: event payloads and client protocols."""
