"""The build step pyproject.toml cannot say: compile the gettext catalogs (.po) to the .mo files the code reads.

Every ``*/locale/<lang>/LC_MESSAGES/<domain>.po`` under ``collector/`` and ``device/``
becomes the ``.mo`` beside it: in the build folder for a wheel (a tablet's release, so
the wheel carries them compiled) and in the source tree for ``pip install -e`` (which
``./dev.sh setup`` runs). Babel is a build requirement (pyproject.toml's build-system).
Everything else about the package is in pyproject.toml.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
CATALOGS = ("collector/**/locale/*/LC_MESSAGES/*.po", "device/**/locale/*/LC_MESSAGES/*.po")


def compile_catalog(po: Path, mo: Path) -> None:
    mo.parent.mkdir(parents=True, exist_ok=True)
    with po.open("rb") as source:
        catalog = read_po(source, abort_invalid=True)
    with mo.open("wb") as out:
        write_mo(out, catalog, use_fuzzy=False)


class BuildPyWithCatalogs(build_py):
    """build_py, then every catalog compiled where the installed package will read it."""

    def run(self) -> None:
        super().run()
        for pattern in CATALOGS:
            for po in sorted(HERE.glob(pattern)):
                relative = po.relative_to(HERE).with_suffix(".mo")
                target = HERE if self.editable_mode else Path(self.build_lib)
                compile_catalog(po, target / relative)

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        compiled = [
            str(Path(self.build_lib) / po.relative_to(HERE).with_suffix(".mo"))
            for pattern in CATALOGS
            for po in HERE.glob(pattern)
        ]
        return [*super().get_outputs(include_bytecode), *compiled]


setup(cmdclass={"build_py": BuildPyWithCatalogs})
