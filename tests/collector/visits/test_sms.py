"""The SMS of a rating link (collector/visits/sms.py): its text and where it goes; pure, no sending."""

from __future__ import annotations

from pathlib import Path

from collector.settings import CollectorSettings
from collector.visits.sms import sms_targets, sms_text, visit_sms_targets

GATEWAY = "json://sms.example/send/{phone}"


def settings(alerts: dict[str, object]) -> CollectorSettings:
    return CollectorSettings(broker="mqtt://127.0.0.1:1883", db=Path("unused.db"), alerts=alerts)


def visit(site_id: str = "site-a", phone: str | None = "+966500000001") -> dict[str, object]:
    return {"visit_id": "A-1", "site_id": site_id, "desk_id": None, "employee_id": None, "phone": phone}


def test_the_text_says_it_in_arabic_first_then_english_each_with_the_link() -> None:
    arabic, english = sms_text("https://rate.example.sa/r/T").splitlines()
    assert arabic.startswith("شكرا") and arabic.endswith("https://rate.example.sa/r/T")
    assert english.startswith("Thank you") and english.endswith("https://rate.example.sa/r/T")


def test_the_phone_stands_in_for_its_placeholder_quoted() -> None:
    assert sms_targets([GATEWAY], "+966500000001") == ["json://sms.example/send/%2B966500000001"]


def test_a_visit_goes_to_its_sites_channels_else_to_those_of_every_site() -> None:
    both = settings({"site-a": {"sms_urls": [GATEWAY]}, "*": {"sms_urls": ["json://other/{phone}"]}})
    assert visit_sms_targets(both, visit("site-a")) == ["json://sms.example/send/%2B966500000001"]
    assert visit_sms_targets(both, visit("site-b")) == ["json://other/%2B966500000001"]


def test_no_sms_without_a_phone_or_without_channels() -> None:
    assert visit_sms_targets(settings({"site-a": {"sms_urls": [GATEWAY]}}), visit(phone=None)) == []
    assert visit_sms_targets(settings({"site-a": {"urls": ["json://alerts"]}}), visit()) == []
    assert visit_sms_targets(settings({}), visit()) == []
