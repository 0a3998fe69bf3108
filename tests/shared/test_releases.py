"""The release signature rule both sides share (shared/releases.py)."""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from shared.contract import ContractError, DeviceConfig, Status, parse_message
from shared.releases import Release, load_public_key, public_key_text, sign_release, signature_is_valid

SHA = "ab" * 32


def _release(key: Ed25519PrivateKey, **changes: object) -> Release:
    fields: dict[str, object] = {"version": "0.2.0", "url": "https://c.lan/r", "sha256": SHA, "size": 1000}
    fields["signature"] = sign_release(key, str(fields["version"]), SHA, 1000)
    fields.update(changes)
    return Release.model_validate(fields)


def test_a_signed_release_checks_out_with_the_printed_public_key() -> None:
    key = Ed25519PrivateKey.generate()
    public = load_public_key(public_key_text(key.public_key()))
    assert signature_is_valid(public, _release(key))


@pytest.mark.parametrize("change", [{"version": "0.3.0"}, {"sha256": "cd" * 32}, {"size": 999}, {"signature": "AAAA"}])
def test_any_change_to_a_signed_release_breaks_its_signature(change: dict[str, object]) -> None:
    key = Ed25519PrivateKey.generate()
    assert not signature_is_valid(key.public_key(), _release(key, **change))


def test_another_key_does_not_verify() -> None:
    assert not signature_is_valid(Ed25519PrivateKey.generate().public_key(), _release(Ed25519PrivateKey.generate()))


@pytest.mark.parametrize("url", ["http://c.lan/r", "ftp://c.lan/r", "https:///r"])
def test_a_release_is_fetched_over_https_only(url: str) -> None:
    with pytest.raises(ValueError, match="https"):
        _release(Ed25519PrivateKey.generate(), url=url)


def test_loopback_http_is_allowed_for_one_machine() -> None:
    assert _release(Ed25519PrivateKey.generate(), url="http://127.0.0.1:8080/r").url.startswith("http://")


def test_a_bad_public_key_says_what_to_give() -> None:
    with pytest.raises(ValueError, match="taqyeem release keygen"):
        load_public_key("not a key")


def test_config_and_status_carry_the_1_1_fields() -> None:
    key = Ed25519PrivateKey.generate()
    config = DeviceConfig(site_id="s1", desk_id="d1", desk_name_ar="مكتب", desk_name_en="Desk", release=_release(key))
    assert parse_message(DeviceConfig, config.model_dump_json()).release == config.release
    status = parse_message(
        Status,
        b'{"v":1,"state":"online","free_disk_mb":812,"temperature_c":51.5,'
        b'"update":{"version":"0.2.0","state":"rolled_back","reason":"not online in 5 min"}}',
    )
    assert status.update is not None and status.update.state == "rolled_back"
    with pytest.raises(ContractError, match=r"update\.state"):
        parse_message(Status, b'{"v":1,"state":"online","update":{"version":"0.2.0","state":"maybe"}}')


@pytest.mark.parametrize("text", ["", "abc", "!" * 44, "eHh4", "eA==" * 11, "A" * 43 + "=" + "A" * 4])
def test_a_key_that_is_not_32_bytes_of_base64_is_refused_alike_with_or_without_cryptography(text: str) -> None:
    from shared.releases import public_key_bytes

    with pytest.raises(ValueError, match="release_key: not an Ed25519 public key") as checked:
        public_key_bytes(text)
    with pytest.raises(ValueError) as loaded:
        load_public_key(text)
    assert str(checked.value) == str(loaded.value)


def test_a_printed_public_key_checks_out_without_cryptography_as_with_it() -> None:
    from shared.releases import public_key_bytes

    text = public_key_text(Ed25519PrivateKey.generate().public_key())
    assert public_key_bytes(text) == base64.b64decode(text)
    assert public_key_text(load_public_key(text)) == text
