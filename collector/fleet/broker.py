"""The collector's side of Eclipse Mosquitto: its account name, the password file and the desks' accounts in it.

Provisioning adds and removes desk accounts with ``mosquitto_passwd``;
``PasswordFileAdmin`` then sends mosquitto SIGHUP. On that signal mosquitto 2.0
re-checks every connected client against the reloaded file and disconnects
those whose account is gone or changed, so a revoked tablet is cut at once
(measured on 2.0.11; see docs/deployment.md). The private mosquitto that the
demo and the tests start lives in ``devtools/local_broker.py``, outside the
installed package.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from collector.fleet.errors import BrokerError, ProvisioningError

__all__ = [
    "COLLECTOR_USER",
    "INSTALL_HINT",
    "BrokerAdmin",
    "BrokerError",
    "PasswordFileAdmin",
    "delete_user",
    "reload_by_pid_file",
    "set_password",
]

COLLECTOR_USER = "taqyeem-collector"
INSTALL_HINT = "mosquitto is not installed; install it with: sudo apt-get install -y mosquitto mosquitto-clients"


def set_password(password_file: Path, username: str, password: str) -> None:
    """Add or change one user in a mosquitto password file (hashed by mosquitto_passwd)."""
    tool = shutil.which("mosquitto_passwd")
    if tool is None:
        raise BrokerError(INSTALL_HINT)
    if not password_file.exists():
        password_file.touch(mode=0o600)
    subprocess.run([tool, "-b", str(password_file), username, password], check=True, capture_output=True)


def delete_user(password_file: Path, username: str) -> None:
    tool = shutil.which("mosquitto_passwd")
    if tool is None:
        raise BrokerError(INSTALL_HINT)
    subprocess.run([tool, "-D", str(password_file), username], check=True, capture_output=True)


class BrokerAdmin(Protocol):
    """Creates and removes the desks' broker accounts (``PasswordFileAdmin``, or a fake in tests)."""

    def add_device(self, device_id: str, password: str) -> None: ...

    def remove_device(self, device_id: str) -> None:
        """Remove the account and drop its open connection, if any."""

    def has_device(self, device_id: str) -> bool: ...


def reload_by_pid_file(pid_file: Path) -> Callable[[], None]:
    """SIGHUP the mosquitto whose pid is in ``pid_file`` (Debian: /run/mosquitto/mosquitto.pid)."""

    def reload() -> None:
        try:
            pid = int(pid_file.read_text().strip())
            os.kill(pid, signal.SIGHUP)
        except FileNotFoundError:
            raise ProvisioningError(
                f"mosquitto's pid file {pid_file} does not exist; is mosquitto running "
                "(systemctl status mosquitto)? Or pass --mosquitto-pid-file"
            ) from None
        except ValueError:
            raise ProvisioningError(f"{pid_file} does not hold a process id; pass mosquitto's pid file") from None
        except ProcessLookupError:
            raise ProvisioningError(
                f"no process has the pid in {pid_file}; start mosquitto: systemctl start mosquitto"
            ) from None
        except PermissionError:
            raise ProvisioningError("not allowed to signal mosquitto; run this command as root (sudo)") from None

    return reload


@dataclass
class PasswordFileAdmin:
    """Accounts in mosquitto's password file; ``reload`` makes mosquitto apply them (SIGHUP)."""

    password_file: Path
    reload: Callable[[], None]

    @contextmanager
    def _locked(self) -> Iterator[None]:
        # mosquitto_passwd rewrites the file: one provisioning command at a time.
        lock = self.password_file.with_name(self.password_file.name + ".lock")
        try:
            with lock.open("a") as handle:
                fcntl.flock(handle, fcntl.LOCK_EX)
                yield
        except PermissionError:
            raise ProvisioningError(
                f"cannot write beside {self.password_file}; run this command as root (sudo) on the broker's machine"
            ) from None

    def _check(self) -> None:
        if not self.password_file.exists():
            raise ProvisioningError(
                f"mosquitto password file {self.password_file} does not exist; create it "
                "as in docs/deployment.md or pass --passwd-file"
            )

    def has_device(self, device_id: str) -> bool:
        self._check()
        try:
            lines = self.password_file.read_text().splitlines()
        except PermissionError:
            raise ProvisioningError(f"cannot read {self.password_file}; run this command as root (sudo)") from None
        return any(line.split(":", 1)[0] == device_id for line in lines)

    def add_device(self, device_id: str, password: str) -> None:
        self._check()
        with self._locked():
            try:
                set_password(self.password_file, device_id, password)
            except (BrokerError, OSError) as exc:
                raise ProvisioningError(f"mosquitto_passwd could not add {device_id}: {exc}") from None
            self.reload()

    def remove_device(self, device_id: str) -> None:
        if not self.has_device(device_id):
            return
        with self._locked():
            try:
                delete_user(self.password_file, device_id)
            except (BrokerError, OSError) as exc:
                raise ProvisioningError(f"mosquitto_passwd could not remove {device_id}: {exc}") from None
            self.reload()
