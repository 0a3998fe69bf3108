"""setup.py's build step: a fresh checkout's wheel and its editable install both carry the compiled catalogs."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from gettext import GNUTranslations
from io import BytesIO
from pathlib import Path

import pytest

from devtools import catalogs

ROOT = Path(__file__).resolve().parent.parent
EVERY_MO = sorted(
    str(domain.po(lang).relative_to(ROOT).with_suffix(".mo"))
    for domain in catalogs.DOMAINS
    for lang in domain.languages()
)


@pytest.fixture
def fresh_checkout(tmp_path: Path) -> Path:
    """The project's files as a clone has them: no .mo, no build folder."""
    source = tmp_path / "taqyeem"
    source.mkdir()
    for name in ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    skip = shutil.ignore_patterns("*.mo", "__pycache__", "*.pyc")
    for package in ("shared", "device", "collector"):
        shutil.copytree(ROOT / package, source / package, ignore=skip)
    return source


def _pip(*args: str | Path) -> None:
    subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check", "-q", *map(str, args)], check=True)


def test_the_wheel_carries_every_catalog_compiled_and_no_po(fresh_checkout: Path, tmp_path: Path) -> None:
    _pip("wheel", "--no-deps", "-w", tmp_path / "dist", fresh_checkout)
    (wheel,) = (tmp_path / "dist").glob("taqyeem-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        assert sorted(name for name in names if name.endswith(".mo")) == EVERY_MO
        assert [name for name in names if name.endswith(".po")] == []
        urdu = GNUTranslations(BytesIO(archive.read("device/kiosk/locale/ur/LC_MESSAGES/kiosk.mo")))
    assert urdu.gettext("serving") == catalogs.read(catalogs.DOMAINS[1].po("ur"))["serving"].string


def test_an_editable_install_compiles_the_catalogs_in_the_checkout(fresh_checkout: Path, tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "venv", tmp_path / "venv"], check=True)
    pip = [tmp_path / "venv" / "bin" / "python", "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "install", "--no-deps", "-e", fresh_checkout], check=True)
    assert sorted(str(mo.relative_to(fresh_checkout)) for mo in fresh_checkout.rglob("*.mo")) == EVERY_MO
