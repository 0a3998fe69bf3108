"""The releases over real HTTP: a tablet's download (the token is the credential) and the admins' list."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from collector.fleet.release_wheels import add_release
from collector.fleet.releases import download_secret, download_token, release_for
from collector.fleet.rollout import Place, rollout
from collector.store import Store
from shared.contract import DeviceConfig, Status
from tests.support.fleet_releases import make_key, make_wheel

NOW = "2026-12-01T04:00:00.000Z"


class Discard:
    def publish(self, device_id: str, config: DeviceConfig | None) -> None:
        """The retained configs are the broker tests' business (tests/collector/fleet/test_rollout.py)."""


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory, live_api: Callable[..., str]) -> Iterator[tuple[str, Store, Path]]:
    folder = tmp_path_factory.mktemp("releases-api")
    store = Store(folder / "taqyeem.db")
    for device_id, desk in (("dev-a1", "desk-01"), ("dev-a2", "desk-02")):
        config = DeviceConfig(site_id="site-a", desk_id=desk, desk_name_ar="مكتب", desk_name_en="Desk")
        store.devices.register(device_id, config, NOW)
    key, public = make_key(folder / "keys")
    wheel = make_wheel(folder / "dist", "0.2.0")
    add_release(store, wheel, key, public_key=public, releases_dir=folder / "releases", actor="cli:it", now=NOW)
    base = live_api(store)
    rollout(
        store, Discard(), place=Place("site-a", "desk-01"), version="0.2.0", tablet_url=base, actor="cli:it", now=NOW
    )
    store.devices.record_status("dev-a2", Status(state="online", app_version="0.2.0"), NOW, live=True)
    yield base, store, wheel
    store.close()


def test_the_link_in_a_devices_config_downloads_exactly_the_signed_file(web: tuple[str, Store, Path]) -> None:
    base, store, wheel = web
    release = release_for(store, "dev-a1", "site-a", "desk-01")
    assert release is not None and release.url.startswith(f"{base}/api/v1/releases/0.2.0/download?device=dev-a1&")

    answer = httpx.get(release.url)  # no session, no API token

    assert answer.status_code == 200, answer.text
    assert answer.content == wheel.read_bytes() and len(answer.content) == release.size
    assert answer.headers["content-type"] == "application/octet-stream"
    assert str(wheel.parent) not in answer.headers.get("content-disposition", "")


@pytest.mark.parametrize(
    ("device", "token_for", "status"),
    [
        ("dev-a1", ("dev-a1", "0.1.0"), 403),  # a token for another version
        ("dev-a1", ("dev-a2", "0.2.0"), 403),  # another device's token
        ("dev-a1", None, 403),  # a made-up token
        ("stranger", ("stranger", "0.2.0"), 403),  # never provisioned
    ],
)
def test_a_wrong_token_is_refused_without_saying_where_the_file_is(
    web: tuple[str, Store, Path], device: str, token_for: tuple[str, str] | None, status: int
) -> None:
    base, store, wheel = web
    token = download_token(download_secret(store), *token_for) if token_for else "0" * 64
    answer = httpx.get(f"{base}/api/v1/releases/0.2.0/download", params={"device": device, "token": token})
    assert answer.status_code == status
    assert "not valid for this device" in answer.json()["detail"] and str(wheel.parent) not in answer.text


def test_an_unknown_version_is_404_no_token_401_and_a_revoked_device_403(web: tuple[str, Store, Path]) -> None:
    base, store, _wheel = web
    secret = download_secret(store)
    unknown = {"device": "dev-a1", "token": download_token(secret, "dev-a1", "9.9.9")}
    answer = httpx.get(f"{base}/api/v1/releases/9.9.9/download", params=unknown)
    assert answer.status_code == 404 and answer.json()["detail"] == "no release 9.9.9 on this collector"

    store.devices.register(
        "dev-old", DeviceConfig(site_id="site-a", desk_id="desk-03", desk_name_ar="م", desk_name_en="D"), NOW
    )
    store.devices.revoke("dev-old", "it", NOW)
    revoked = {"device": "dev-old", "token": download_token(secret, "dev-old", "0.2.0")}
    assert httpx.get(f"{base}/api/v1/releases/0.2.0/download", params=revoked).status_code == 403


def test_admins_see_each_release_with_who_runs_it_who_should_and_where(web: tuple[str, Store, Path]) -> None:
    base, store, wheel = web
    admin = store.accounts.create_token("it", "admin", [], NOW)
    answer = httpx.get(f"{base}/api/v1/releases", headers={"Authorization": f"Bearer {admin}"})
    assert answer.status_code == 200, answer.text
    (release,) = answer.json()["releases"]
    assert (release["version"], release["size"], release["running"], release["desired"]) == (
        "0.2.0",
        wheel.stat().st_size,
        1,
        1,
    )
    assert release["targets"] == [{"place": "site-a/desk-01", "set_at": NOW, "set_by": "cli:it"}]

    supervisor = store.accounts.create_token("sup", "supervisor", ["site-a"], NOW)
    refused = httpx.get(f"{base}/api/v1/releases", headers={"Authorization": f"Bearer {supervisor}"})
    assert refused.status_code == 403
    assert httpx.get(f"{base}/api/v1/releases").status_code == 401
