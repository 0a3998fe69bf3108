"""Staged roll-out against a real mosquitto: the retained config carries a signed release, desk -> site -> fleet."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from collector.fleet.config_publisher import RetainedConfigPublisher, connect_config_publisher
from collector.fleet.errors import ReleaseError
from collector.fleet.provisioning import register_device, resolve_desk_config
from collector.fleet.registry import set_employee_pin
from collector.fleet.release_wheels import add_release
from collector.fleet.releases import (
    applying_target,
    desired_versions,
    download_secret,
    release_overview,
    token_is_valid,
)
from collector.fleet.rollout import Place, rollout, stage_refusal, stop
from collector.fleet.sites import apply_sites, load_sites_file
from collector.ingest.subscriber import Ingest
from collector.store import Store
from shared.broker_url import parse_broker_url
from shared.contract import DeviceConfig, Status
from shared.releases import load_public_key, signature_is_valid
from tests.collector.conftest import serve_collector
from tests.collector.fleet.test_staff_broker import retained
from tests.conftest import RunningBroker
from tests.support.fleet_releases import make_key, make_wheel, roll_out_wheel

NOW = "2026-12-01T04:00:00.000Z"
TABLET_URL = "https://taqyeem.centre.lan"
SITES = """
[[sites]]
id = "riyadh-hq"
name_ar = "المقر الرئيسي"
name_en = "Riyadh headquarters"
  [[sites.desks]]
  id = "desk-01"
  name_ar = "مكتب ١"
  name_en = "Desk 1"
  [[sites.desks]]
  id = "desk-02"
  name_ar = "مكتب ٢"
  name_en = "Desk 2"
  [[sites.employees]]
  id = "E1042"
  name_ar = "نورة العتيبي"
  name_en = "Noura Alotaibi"

[[sites]]
id = "jeddah"
name_ar = "جدة"
name_en = "Jeddah"
  [[sites.desks]]
  id = "desk-01"
  name_ar = "مكتب ١"
  name_en = "Desk 1"
"""


def _tablet(site: str, desk: str, version: str | None = "0.1.0") -> dict[str, str | None]:
    return {"device_id": f"{site}-{desk}", "site_id": site, "desk_id": desk, "app_version": version}


def test_a_desks_target_wins_over_its_sites_and_a_sites_over_the_fleets() -> None:
    targets = [
        {"site_id": "", "desk_id": "", "version": "1"},
        {"site_id": "a", "desk_id": "", "version": "2"},
        {"site_id": "a", "desk_id": "d1", "version": "3"},
    ]
    assert [applying_target(targets, s, d)["version"] for s, d in [("a", "d1"), ("a", "d2"), ("b", "d1")]] == [  # type: ignore[index]
        "3",
        "2",
        "1",
    ]
    assert applying_target(targets[1:], "b", "d1") is None
    assert applying_target(targets, None, None)["version"] == "1"  # type: ignore[index]


def test_the_stages_desk_then_a_site_then_the_fleet() -> None:
    fleet = [_tablet("a", "d1"), _tablet("a", "d2"), _tablet("b", "d1")]
    assert stage_refusal(Place("a", "d1"), "0.2.0", fleet) is None  # a desk is always a first step
    refusal = stage_refusal(Place("a"), "0.2.0", fleet)
    assert refusal and "roll it out to one desk first (taqyeem release rollout 0.2.0 --desk a/DESK)" in refusal
    fleet[0]["app_version"] = "0.2.0"
    assert stage_refusal(Place("b"), "0.2.0", fleet) is None  # a tablet somewhere runs it
    refusal = stage_refusal(Place(), "0.2.0", fleet)
    assert refusal and "roll it out to one site first (taqyeem release rollout 0.2.0 --site SITE)" in refusal
    fleet[1]["app_version"] = "0.2.0"
    assert stage_refusal(Place(), "0.2.0", fleet) is None


@pytest.mark.parametrize(
    ("args", "error"),
    [
        ({}, "exactly one target"),
        ({"desk": "riyadh-hq/desk-01", "fleet": True}, "exactly one target"),
        ({"desk": "riyadh-hq"}, "'' is not a site or desk id"),
        ({"site": "Riyadh HQ"}, "'Riyadh HQ' is not a site or desk id"),
    ],
)
def test_a_target_is_one_desk_one_site_or_all(args: dict, error: str) -> None:
    with pytest.raises(ReleaseError, match=error):
        Place.parse(**args)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    (tmp_path / "sites.toml").write_text(SITES)
    store = Store(tmp_path / "taqyeem.db")
    apply_sites(store, load_sites_file(tmp_path / "sites.toml"), NOW)
    yield store
    store.close()


@pytest.fixture
def publisher(broker: RunningBroker) -> Iterator[RetainedConfigPublisher]:
    with connect_config_publisher(parse_broker_url(broker.collector_url())) as publisher:
        yield publisher


@pytest.fixture
def public_key(store: Store, tmp_path: Path) -> str:
    key, public = make_key(tmp_path / "keys")
    wheel = make_wheel(tmp_path / "dist", "0.2.0")
    add_release(store, wheel, key, public_key=public, releases_dir=tmp_path / "releases", actor="it", now=NOW)
    return public


def _register(store: Store, publisher: RetainedConfigPublisher, site: str, desk: str) -> str:
    return register_device(store, publisher, config=resolve_desk_config(store, site, desk), actor="it", now=NOW)


def _runs(store: Store, device_id: str, version: str) -> None:
    store.devices.record_status(device_id, Status(state="online", app_version=version), NOW, live=True)


def _roll(store: Store, publisher: RetainedConfigPublisher, place: Place, **kwargs: object) -> list[str]:
    changes = rollout(
        store, publisher, place=place, version="0.2.0", tablet_url=TABLET_URL, actor="cli:it", now=NOW, **kwargs
    )
    return [c.device_id for c in changes]


def test_a_release_reaches_a_desk_then_its_site_then_the_fleet_through_retained_configs(
    store: Store, publisher: RetainedConfigPublisher, broker: RunningBroker, public_key: str
) -> None:
    d1, d2 = _register(store, publisher, "riyadh-hq", "desk-01"), _register(store, publisher, "riyadh-hq", "desk-02")
    j1 = _register(store, publisher, "jeddah", "desk-01")
    assert retained(broker, d1).release is None

    assert _roll(store, publisher, Place("riyadh-hq", "desk-01")) == [d1]
    release = retained(broker, d1).release
    assert release is not None and release.version == "0.2.0"
    assert signature_is_valid(load_public_key(public_key), release)
    link = urlsplit(release.url)
    query = parse_qs(link.query)
    assert f"{link.scheme}://{link.netloc}{link.path}" == f"{TABLET_URL}/api/v1/releases/0.2.0/download"
    assert query["device"] == [d1] and token_is_valid(download_secret(store), d1, "0.2.0", query["token"][0])
    assert not token_is_valid(download_secret(store), d2, "0.2.0", query["token"][0])  # one device's link only
    assert retained(broker, d2).release is None

    with pytest.raises(ReleaseError, match=r"not rolled out to site riyadh-hq: no tablet reports running 0.2.0"):
        _roll(store, publisher, Place("riyadh-hq"))
    assert len(store.releases.targets()) == 1  # nothing saved
    _runs(store, d1, "0.2.0")
    assert _roll(store, publisher, Place("riyadh-hq")) == [d2]  # d1 already had it through its desk
    assert retained(broker, d2).release is not None

    with pytest.raises(ReleaseError, match=r"no site has all its tablets on 0.2.0 yet"):
        _roll(store, publisher, Place())
    _runs(store, d2, "0.2.0")
    assert _roll(store, publisher, Place()) == [j1]
    assert retained(broker, j1).release is not None
    assert desired_versions(store, store.releases.tablets()) == {d1: "0.2.0", d2: "0.2.0", j1: "0.2.0"}
    (overview,) = release_overview(store)
    assert (overview["running"], overview["desired"]) == (2, 3)
    assert [t["place"] for t in overview["targets"]] == ["all", "riyadh-hq", "riyadh-hq/desk-01"]
    assert [e["kind"] for e in store.releases.events()] == ["rollout", "rollout", "rollout", "added"]
    assert store.releases.events()[0]["actor"] == "cli:it"

    assert [c.device_id for c in stop(store, publisher, place=Place(), actor="cli:it", now=NOW)] == [j1]
    assert retained(broker, j1).release is None
    assert retained(broker, d2).release is not None  # its site's target still holds


def test_a_config_republished_for_another_reason_keeps_its_release(
    store: Store, publisher: RetainedConfigPublisher, broker: RunningBroker, public_key: str, tmp_path: Path
) -> None:
    d1 = _register(store, publisher, "riyadh-hq", "desk-01")
    _roll(store, publisher, Place("riyadh-hq", "desk-01"))
    first = retained(broker, d1).release

    set_employee_pin(store, "E1042", "97531", actor="it", now=NOW, publisher=publisher)  # the staff changed

    config = retained(broker, d1)
    assert config.staff_member("E1042").pin_hash is not None  # type: ignore[union-attr]
    assert config.release == first

    renamed = tmp_path / "renamed.toml"  # sites apply: the desk's name changed, so its config is sent again
    renamed.write_text(SITES.replace('name_en = "Desk 1"', 'name_en = "Desk One"', 1))
    apply_sites(store, load_sites_file(renamed), NOW, publisher)
    config = retained(broker, d1)
    assert config.desk_name_en == "Desk One" and config.release == first


def test_skip_stages_goes_straight_to_the_fleet_and_is_logged(
    store: Store, publisher: RetainedConfigPublisher, broker: RunningBroker, public_key: str
) -> None:
    d1 = _register(store, publisher, "riyadh-hq", "desk-01")
    assert _roll(store, publisher, Place(), skip_stages=True) == [d1]
    assert store.releases.events()[0]["data"] == {"devices": 1, "skip_stages": True}


def test_a_rollout_needs_tablet_url_a_known_release_and_a_tablet_there(
    store: Store, publisher: RetainedConfigPublisher, public_key: str
) -> None:
    _register(store, publisher, "riyadh-hq", "desk-01")
    place = Place("riyadh-hq", "desk-01")
    with pytest.raises(ReleaseError, match='tablet_url is not set: put tablet_url = "https://'):
        rollout(store, publisher, place=place, version="0.2.0", tablet_url=None, actor="it", now=NOW)
    with pytest.raises(ReleaseError, match=r"would not be taken by a tablet: use https://"):
        rollout(store, publisher, place=place, version="0.2.0", tablet_url="http://centre.lan", actor="it", now=NOW)
    with pytest.raises(ReleaseError, match=r"no release 0.3.0: add its wheel first"):
        rollout(store, publisher, place=place, version="0.3.0", tablet_url=TABLET_URL, actor="it", now=NOW)
    with pytest.raises(ReleaseError, match=r"no provisioned tablet at desk jeddah/desk-01"):
        rollout(
            store,
            publisher,
            place=Place("jeddah", "desk-01"),
            version="0.2.0",
            tablet_url=TABLET_URL,
            actor="it",
            now=NOW,
        )
    with pytest.raises(ReleaseError, match=r"site jeddah has no release target"):
        stop(store, publisher, place=Place("jeddah"), actor="it", now=NOW)
    assert store.releases.targets() == []


def test_a_running_collector_rolls_a_wheel_out_and_a_tablet_downloads_it_over_http(
    tmp_path: Path, broker: RunningBroker, make_collector: Callable[..., Ingest]
) -> None:
    """What an end-to-end test of the tablet's update does: roll_out_wheel, then the link in the retained config."""
    ingest = make_collector(tmp_path / "collector.db")
    ingest.store.devices.register(
        "desk-tablet-1",
        DeviceConfig(site_id="riyadh-hq", desk_id="desk-01", desk_name_ar="مكتب ١", desk_name_en="Desk 1"),
        NOW,
    )
    key, public = make_key(tmp_path / "keys")
    wheel = make_wheel(tmp_path / "dist", "0.2.0")
    with serve_collector(ingest.store, ingest) as base:
        changes = roll_out_wheel(
            ingest.store, ingest.config_publisher, wheel, key_path=key, public_key=public, tablet_url=base
        )
        assert [c.device_id for c in changes] == ["desk-tablet-1"]
        release = retained(broker, "desk-tablet-1").release
        assert release is not None and signature_is_valid(load_public_key(public), release)
        assert httpx.get(release.url).content == wheel.read_bytes()
