"""The collector's side of Eclipse Mosquitto: its account name and the broker's password file.

Provisioning adds and removes desk accounts with ``mosquitto_passwd``; the
private mosquitto that the demo and the tests start lives in
``devtools/local_broker.py``, outside the installed package.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

COLLECTOR_USER = "taqyeem-collector"
INSTALL_HINT = "mosquitto is not installed; install it with: sudo apt-get install -y mosquitto mosquitto-clients"


class BrokerError(RuntimeError):
    """Mosquitto could not be set up or started; the text says why."""


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
