"""Enrolment by code, end to end: `provision device --code`, a real collector serving HTTPS itself, a tablet.

The collector is served by uvicorn exactly as the service serves it (collector/service.py:make_server,
with https_cert and https_key from a throwaway CA); the tablet's side is device/enrolment.py, which
checks the collector's certificate against that CA. The enrolled tablet then connects to the real
mosquitto with the password it was given.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from collector.cli import cli
from collector.fleet.enrol_by_code import issue_code
from collector.fleet.enrol_codes import ALPHABET, derive, normalise
from collector.fleet.enrolment import Enrolment
from collector.store import Store
from device import enrolment as tablet
from device.core import DeviceCore
from device.enrolment import EnrolmentError, redeem_code
from device.settings import load_device_settings
from devtools.local_broker import free_port
from tests.conftest import RunningBroker, wait_until
from tests.support.https_collector import HttpsCollector, serve_https_collector


@pytest.fixture
def collector(tmp_path: Path, broker: RunningBroker) -> Iterator[HttpsCollector]:
    with serve_https_collector(tmp_path, broker) as running:
        yield running


@pytest.fixture
def tablets(tmp_path: Path) -> Iterator[Callable[[Path], DeviceCore]]:
    started: list[DeviceCore] = []

    def start(config: Path) -> DeviceCore:
        core = DeviceCore(load_device_settings(config))
        core.start()
        started.append(core)
        return core

    yield start
    for core in started:
        core.stop()


def test_a_code_enrols_a_tablet_once_over_https_and_the_tablet_connects_with_its_password(
    collector: HttpsCollector, tablets: Callable[[Path], DeviceCore], tmp_path: Path
) -> None:
    code = collector.code()
    enrolled = tmp_path / "tablet" / "enrolled"

    data = redeem_code(collector.base, code.lower().replace("-", " "), ca_file=collector.ca_file)  # as typed
    config = tablet.install(data, enrolled_dir=enrolled, data_dir=tmp_path / "tablet", how="by code")

    assert data.device_id.startswith("riyadh-hq-desk-01-")
    assert (data.desk_name_ar, data.desk_name_en) == ("مكتب ١", "Desk 1")
    assert (enrolled / "password").stat().st_mode & 0o777 == 0o600
    assert tablet.find_config(tmp_path / "no-etc.toml", enrolled) == config
    core = tablets(config)
    wait_until(lambda: core.connected, what="the enrolled tablet to connect to mosquitto over TLS")
    wait_until(lambda: core.config is not None and core.config.desk_id == "desk-01", what="its desk config")

    with pytest.raises(EnrolmentError) as again:  # single use: 410
        redeem_code(collector.base, code, ca_file=collector.ca_file)
    assert again.value.kind == "used_code" and "used, revoked or has expired" in str(again.value)
    # Neither the code nor the password is in the database file, not even its write-ahead log.
    raw = b"".join(p.read_bytes() for p in collector.db.parent.glob("collector.db*"))
    assert data.password.encode() not in raw and code.replace("-", "").encode() not in raw
    listing = CliRunner().invoke(cli, ["provision", "codes", "--all", "--db", str(collector.db)])
    assert listing.exit_code == 0 and data.device_id in listing.output and " used " in listing.output
    assert data.password not in listing.output


def test_an_expired_code_is_gone_and_an_unknown_one_is_not_found(collector: HttpsCollector, tmp_path: Path) -> None:
    store = Store(collector.db)
    ca_pem = collector.broker.ca_file.read_text()
    issued = issue_code(
        store,
        Enrolment("riyadh-hq-desk-01-old", "mqtts://127.0.0.1:8883", "pw-old-0123456789", ca_pem),
        tablet_url=collector.base,
        actor="it",
        now=datetime.now(UTC) - timedelta(hours=3),
        hours=2,
    )
    store.close()

    with pytest.raises(EnrolmentError) as expired:
        redeem_code(collector.base, issued.code, ca_file=collector.ca_file)
    assert expired.value.kind == "used_code"
    with pytest.raises(EnrolmentError) as unknown:
        redeem_code(collector.base, "2222-3333-4444", ca_file=collector.ca_file)
    assert unknown.value.kind == "wrong_code" and "unknown enrolment code" in str(unknown.value)
    store = Store(collector.db)
    try:  # expired unused: its sealed payload was dropped
        assert store.enrolment_codes.sealed_of(derive(normalise(issued.code)).lookup) is None
    finally:
        store.close()


def test_too_many_wrong_codes_from_one_address_are_refused_even_a_right_one(collector: HttpsCollector) -> None:
    code = collector.code()
    kinds = []
    for n in range(6):
        try:
            redeem_code(collector.base, f"2222-3333-{ALPHABET[n] * 4}", ca_file=collector.ca_file)
        except EnrolmentError as exc:
            kinds.append(exc.kind)
    assert kinds == ["wrong_code"] * 5 + ["too_many"]
    with pytest.raises(EnrolmentError) as limited:
        redeem_code(collector.base, code, ca_file=collector.ca_file)
    assert limited.value.kind == "too_many" and "wait a minute" in str(limited.value)


def test_a_revoked_code_is_gone(collector: HttpsCollector) -> None:
    code = collector.code()
    device_id = CliRunner().invoke(cli, ["provision", "codes", "--db", str(collector.db)]).output.splitlines()[1]
    revoked = CliRunner().invoke(
        cli, ["provision", "revoke-code", "--device", device_id.split()[0], "--db", str(collector.db)]
    )
    assert revoked.exit_code == 0 and "Withdrew 1 enrolment code" in revoked.output
    with pytest.raises(EnrolmentError) as gone:
        redeem_code(collector.base, code, ca_file=collector.ca_file)
    assert gone.value.kind == "used_code"


def test_revoking_a_device_withdraws_its_pending_code(collector: HttpsCollector) -> None:
    code = collector.code()
    device_id = CliRunner().invoke(cli, ["provision", "codes", "--db", str(collector.db)]).output.splitlines()[1]
    revoked = CliRunner().invoke(
        cli,
        [
            *("provision", "revoke", "--device", device_id.split()[0], "--db", str(collector.db)),
            *("--passwd-file", str(collector.broker.local.password_file)),
            *("--mosquitto-pid-file", str(collector.tmp / "mosquitto.pid")),
        ],
    )
    assert revoked.exit_code == 0, revoked.output
    with pytest.raises(EnrolmentError) as gone:
        redeem_code(collector.base, code, ca_file=collector.ca_file)
    assert gone.value.kind == "used_code"


def test_an_untrusted_certificate_and_an_unreachable_collector_are_told_apart(collector: HttpsCollector) -> None:
    code = collector.code()
    with pytest.raises(EnrolmentError) as untrusted:
        redeem_code(collector.base, code, ca_file=collector.broker.ca_file)  # another CA
    assert untrusted.value.kind == "untrusted"
    started = time.monotonic()
    with pytest.raises(EnrolmentError) as unreachable:
        redeem_code(f"https://127.0.0.1:{free_port()}", code, ca_file=collector.ca_file)
    assert unreachable.value.kind == "unreachable" and time.monotonic() - started < 10
    with pytest.raises(EnrolmentError) as plain:
        redeem_code(collector.base.replace("https", "http"), code)
    assert plain.value.kind == "refused" and "https://" in str(plain.value)
    assert redeem_code(collector.base, code, ca_file=collector.ca_file).device_id  # still unused: it works


def test_provision_with_code_needs_a_tablet_url_and_then_makes_nothing(collector: HttpsCollector) -> None:
    refused = collector.provision("--code", tablet_url="")
    assert refused.exit_code == 1 and "tablet_url" in refused.output
    plain = collector.provision("--code", tablet_url="http://taqyeem.centre.lan")
    assert plain.exit_code == 1 and "is not https://" in plain.output, plain.output
    assert not (collector.tmp / "bundles").exists()


def test_codes_are_forgiving_to_type_and_the_alphabets_agree() -> None:
    assert ALPHABET == tablet.ALPHABET
    assert normalise("7kq2 m9xd-4hpa") == "7KQ2M9XD4HPA" == tablet.normalise_code("7kq2-m9xd-4hpa")
    for typo in ("7KQ2-M9XD-4HP", "7KQ2-M9XD-4HP0", "OKQ2-M9XD-4HPA"):
        with pytest.raises(ValueError):
            normalise(typo)
        with pytest.raises(EnrolmentError):
            tablet.normalise_code(typo)
