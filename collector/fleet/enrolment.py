"""What a tablet needs to join: the enrolment data, the bundle folder that carries it, and its QR code.

A bundle (OUT/<device-id>/) holds device.toml, the password file (0600), the
broker's CA certificate and a QR code with the same enrolment data, for a
tablet that enrols by scanning it. The device's password is in the password
file and in the QR code, so the folder is made 0700 and every file in it 0600.
"""

from __future__ import annotations

import base64
import io
import json
import ssl
from dataclasses import dataclass
from pathlib import Path

import qrcode

from collector.fleet.errors import ProvisioningError
from shared.broker_url import parse_broker_url
from shared.contract import DeviceConfig

ENROLMENT_KIND = "taqyeem-enrolment"
TABLET_DATA_DIR = Path("/var/lib/taqyeem")


@dataclass(frozen=True)
class Enrolment:
    """What a tablet needs to join: carried by the bundle's files and by its QR code."""

    device_id: str
    broker: str  # mqtts://HOST:8883 as the tablet dials it
    password: str
    ca_pem: str

    def to_qr_text(self) -> str:
        der = ssl.PEM_cert_to_DER_cert(self.ca_pem)
        data = {
            "kind": ENROLMENT_KIND,
            "v": 1,
            "device_id": self.device_id,
            "broker": self.broker,
            "password": self.password,
            "ca": base64.b64encode(der).decode(),
        }
        return json.dumps(data, separators=(",", ":"))


@dataclass(frozen=True)
class BundleOptions:
    broker_url: str  # what the tablet dials: mqtts://centre-broker.example:8883
    ca_file: Path  # the CA certificate that signed the broker's certificate
    out_dir: Path  # each bundle goes to out_dir/<device_id>/
    install_dir: Path | None = Path("/etc/taqyeem")  # where the files will be on the tablet; None: right here
    data_dir: Path | None = None  # the tablet's outbox folder; None: /var/lib/taqyeem, or <bundle>/data right here
    release_key: str | None = None  # release_public_key: the tablet checks releases with it (None: no updates)

    def data_dir_for(self, folder: Path) -> Path:
        if self.data_dir is not None:
            return self.data_dir
        return folder.resolve() / "data" if self.install_dir is None else TABLET_DATA_DIR

    def check(self) -> str:
        """Validate before anything is created; returns the CA certificate (PEM)."""
        try:
            address = parse_broker_url(self.broker_url)
        except ValueError as exc:
            raise ProvisioningError(f"device broker address: {exc}") from None
        if not address.tls:
            raise ProvisioningError(f"tablets connect over TLS only: use mqtts://HOST:8883, not {self.broker_url}")
        if address.username or address.password:
            raise ProvisioningError("the device broker address must not hold a username or password")
        try:
            pem = self.ca_file.read_text()
            ssl.PEM_cert_to_DER_cert(pem)
        except FileNotFoundError:
            raise ProvisioningError(
                f"CA certificate {self.ca_file} does not exist; make it with "
                "deploy/tls/make-certs.sh or pass --device-ca"
            ) from None
        except (ValueError, UnicodeDecodeError):
            raise ProvisioningError(f"{self.ca_file} is not a PEM certificate; pass the broker's ca.crt") from None
        return pem


@dataclass(frozen=True)
class Bundle:
    folder: Path
    enrolment: Enrolment
    config: DeviceConfig | None  # None: made at a bridged centre (`provision account`); HQ holds the desk
    site_id: str | None
    desk_id: str | None
    on_this_machine: bool = False  # made with --install-dir -: to try the kiosk here, not on a tablet

    @property
    def device_id(self) -> str:
        return self.enrolment.device_id

    @property
    def device_toml(self) -> Path:
        return self.folder / "device.toml"

    @property
    def qr_png(self) -> Path:
        return self.folder / "enrol-qr.png"

    def qr_terminal(self) -> str:
        return qr_terminal_text(self.enrolment.to_qr_text())

    def next_step(self) -> str:
        """What to run next with this bundle, on a tablet or (``--install-dir -``) right here."""
        if self.on_this_machine:
            return f"Next, on this machine: taqyeem-device run --config {self.device_toml} --windowed"
        return f"Next, on the tablet: sudo ./deploy/pi/setup-pi.sh --bundle {self.folder}"


def device_toml_text(enrolment: Enrolment, install_dir: Path, data_dir: Path, release_key: str | None = None) -> str:
    text = (
        "# Taqyeem desk tablet. Written by `taqyeem provision device`; copy this folder to "
        f"{install_dir} on the tablet.\n"
        f'device_id = "{enrolment.device_id}"\n'
        f'data_dir = "{data_dir}"\n'
        f'broker = "{enrolment.broker}"\n'
        f'password_file = "{install_dir / "password"}"\n'
        f'ca_file = "{install_dir / "ca.crt"}"\n'
    )
    if release_key:  # the centre's release-signing public key: a release signed by another key is refused
        text += f'release_key = "{release_key.strip()}"\n'
    return text


def _qr(text: str) -> qrcode.QRCode:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_L, box_size=6, border=4)
    code.add_data(text)
    code.make(fit=True)
    return code


def qr_terminal_text(text: str) -> str:
    out = io.StringIO()
    _qr(text).print_ascii(out=out, invert=True)
    return out.getvalue()


def write_device_files(
    enrolment: Enrolment, folder: Path, install_dir: Path, data_dir: Path, release_key: str | None = None
) -> None:
    """device.toml, the password file (0600) and ca.crt: all a tablet needs."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    password = folder / "password"
    password.touch(mode=0o600, exist_ok=True)
    password.chmod(0o600)
    password.write_text(enrolment.password + "\n")
    (folder / "ca.crt").write_text(enrolment.ca_pem)
    (folder / "device.toml").write_text(device_toml_text(enrolment, install_dir, data_dir, release_key))


def write_bundle(
    enrolment: Enrolment,
    options: BundleOptions,
    *,
    site_id: str | None,
    desk_id: str | None,
    config: DeviceConfig | None,
) -> Bundle:
    folder = options.out_dir / enrolment.device_id
    if folder.exists():
        raise ProvisioningError(f"{folder} already exists; move it away or pass another --out")
    folder.mkdir(parents=True, mode=0o700)
    bundle = Bundle(folder, enrolment, config, site_id, desk_id, on_this_machine=options.install_dir is None)
    install_dir = options.install_dir or folder.resolve()
    write_device_files(enrolment, folder, install_dir, options.data_dir_for(folder), options.release_key)
    _qr(enrolment.to_qr_text()).make_image().save(str(bundle.qr_png))
    (folder / "enrol-qr.txt").write_text(bundle.qr_terminal())
    desk = f"{config.desk_name_en} ({site_id}/{desk_id})" if config is not None else "its desk is registered at HQ"
    step = bundle.next_step().replace(str(folder), "THIS-FOLDER")
    (folder / "README.txt").write_text(
        f"Taqyeem desk tablet {enrolment.device_id}: {desk}.\n"
        f"{step} (see docs/deployment.md).\n"
        "The password file is a secret: keep this folder on an encrypted USB stick and delete it after use.\n"
    )
    for item in folder.iterdir():  # the QR code and its text carry the password too
        item.chmod(0o600)
    return bundle
