"""The shared kernel: configuration, data access, events, HTTP conventions. It knows no service."""
