"""``[sites.reviews]`` in sites.toml: read strictly, kept as the site's rota, and refused with the reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from collector.fleet.errors import SitesFileError
from collector.fleet.sites import apply_sites, load_sites_file
from collector.reviews.ownership import rota_of
from collector.reviews.rota import SITE_WIDE
from collector.store import Store

GOOD = """
[[sites]]
id = "riyadh-hq"
name_ar = "المقر"
name_en = "HQ"

  [sites.reviews]
  supervisors = ["sara", "khalid"]
  managers = ["huda"]
  director = "abdullah"
  closes_at = "15:30"
  working_days = ["sun", "mon", "tue", "wed", "thu", "sat"]
  holidays = [2026-12-02]

  [[sites.sections]]
  id = "men-hall"
  name_ar = "قاعة الرجال"
  name_en = "Men's hall"
  supervisors = ["omar"]
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sites.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_sites_rota_is_kept_and_read_back_as_written(tmp_path: Path) -> None:
    store = Store(tmp_path / "t.db")
    try:
        apply_sites(store, load_sites_file(_write(tmp_path, GOOD)), "2026-12-08T00:00:00.000Z")
        rota = rota_of(store, "riyadh-hq")
        assert rota.supervisors == {SITE_WIDE: ("sara", "khalid"), "men-hall": ("omar",)}
        assert (rota.managers, rota.director, rota.closes_at) == (("huda",), "abdullah", "15:30")
        assert rota.holidays == ("2026-12-02",) and "sat" in rota.working_days
        assert rota_of(store, "jeddah").supervisors == {}  # a site without a rota: the default
    finally:
        store.close()


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ('holidays = ["2026-13-40"]', "holidays"),
        ('opens_at = "17:00"', "opens_at 17:00 must come before closes_at 15:30"),
        ('working_days = ["sun", "fry"]', "unknown day 'fry'"),
        ('timezone = "Mars/Olympus"', "not an IANA zone name"),
        ('managerz = ["huda"]', "managerz"),
    ],
)
def test_a_mistaken_rota_is_refused_naming_what_to_fix(tmp_path: Path, line: str, reason: str) -> None:
    key = line.split(" =", 1)[0]
    kept = "".join(row + "\n" for row in GOOD.splitlines() if not row.strip().startswith(key + " ="))
    text = kept.replace('  closes_at = "15:30"\n', f'  closes_at = "15:30"\n  {line}\n')
    with pytest.raises(SitesFileError) as refused:
        load_sites_file(_write(tmp_path, text))
    assert reason in str(refused.value)
