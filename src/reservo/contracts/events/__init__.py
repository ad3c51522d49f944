"""Event payloads, one module per producing service. Importing this registers them all: every module
of this package is imported, so a new service's `contracts/events/<service>.py` needs no list entry."""

import importlib
import pkgutil

__all__ = sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))
for _name in __all__:
    importlib.import_module(f"{__name__}.{_name}")
