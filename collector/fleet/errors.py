"""The errors of looking after the desks; each text says what went wrong and what to do.

Error tree::

    FleetError               any of the below (the CLI turns each into one ``Error:`` line)
    ├── BrokerError          mosquitto or mosquitto_passwd could not be used
    ├── ConfigPublishError   the broker could not be reached or did not take a retained config
    ├── ProvisioningError    a device could not be provisioned, replaced or revoked
    ├── RegistryError        an employee entry (CSV line, API body, PIN) cannot be used (also a ValueError)
    │   └── WeakPinError     a PIN that PROTOCOL 1.2 refuses; ``weakness`` says why (shared/pins.py)
    ├── ReleaseError         a release cannot be added, rolled out or stopped (wheel, key, stage, setting)
    └── SitesFileError       the sites file cannot be used (also a ValueError)
"""

from __future__ import annotations

from shared.pins import WEAKNESS_TEXTS, PinWeakness


class FleetError(Exception):
    """Base of this package's errors."""


class BrokerError(FleetError, RuntimeError):
    """Mosquitto could not be set up or started; the text says why."""


class ConfigPublishError(FleetError, RuntimeError):
    """A config was not published; the text says why and what to do."""


class ProvisioningError(FleetError, RuntimeError):
    """Provisioning could not be done; the text says why and what to do."""


class SitesFileError(FleetError, ValueError):
    """The sites file cannot be used; the text names the key or the id at fault."""


class RegistryError(FleetError, ValueError):
    """An employee entry or PIN cannot be used; the text names the line, the id or the field at fault."""


class ReleaseError(FleetError, ValueError):
    """A release cannot be added, rolled out or stopped; the text says why and what to do first."""


class WeakPinError(RegistryError):
    """A PIN refused by ``shared.pins.pin_weakness``; the web page words ``weakness`` in its own language."""

    def __init__(self, weakness: PinWeakness) -> None:
        super().__init__(WEAKNESS_TEXTS[weakness])
        self.weakness: PinWeakness = weakness
