"""dev.sh's system packages, their documentation, and the fresh-machine check that CI runs."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FRESH = ROOT / ".ci" / "fresh-machine"


def _dev_sh_packages() -> list[str]:
    match = re.search(r"^SYSTEM_PACKAGES=\((.*?)\)", (ROOT / "dev.sh").read_text(), re.MULTILINE | re.DOTALL)
    assert match, "dev.sh has no SYSTEM_PACKAGES=(...)"
    return match.group(1).split()


def _documented_packages() -> list[str]:
    text = (ROOT / "docs" / "deployment.md").read_text()
    section = text.split("## 11. A developer's or CI machine: the system packages", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `([a-z0-9.+-]+)` \|", section, re.MULTILINE)


def test_every_package_dev_sh_installs_is_documented_with_its_reason() -> None:
    assert _dev_sh_packages() == _documented_packages()
    assert "libatomic1" in _dev_sh_packages()  # Playwright's bundled node needs it on a minimal Debian


def test_ci_ends_with_the_readmes_own_test_command_after_the_fresh_machine_check() -> None:
    readme = (ROOT / "README.md").read_text()
    command = re.search(r"^(\./dev\.sh test)\s+#.*\(what CI runs\)$", readme, re.MULTILINE)
    assert command, "the README names its test command with '(what CI runs)'"
    lines = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines() if line.strip()]
    assert lines[-1] == command.group(1)  # CI runs the README's command itself, as its last word
    fresh = next(i for i, line in enumerate(lines) if line.startswith(".ci/fresh-machine"))
    assert fresh < len(lines) - 1
    assert "skipped" in (ROOT / ".ci" / "run").read_text()


def test_fresh_machine_script_is_valid_bash_and_executable() -> None:
    assert os.access(FRESH, os.X_OK)
    assert subprocess.run(["bash", "-n", str(FRESH)], capture_output=True).returncode == 0
    if shutil.which("shellcheck"):
        result = subprocess.run(["shellcheck", "-S", "warning", str(FRESH)], capture_output=True, text=True)
        assert result.returncode == 0, result.stdout


def test_fresh_machine_refuses_an_unknown_argument() -> None:
    result = subprocess.run([str(FRESH), "--no-such-option"], capture_output=True, text=True, timeout=10)
    assert result.returncode == 2 and "usage: sudo .ci/fresh-machine" in result.stdout


def test_fresh_machine_keeps_its_cache_outside_the_repository() -> None:
    env = {**os.environ, "TAQYEEM_FRESH_CACHE": str(ROOT / "cache")}
    result = subprocess.run([str(FRESH)], capture_output=True, text=True, env=env, timeout=10)
    assert result.returncode == 1 and "must be outside the repository" in result.stderr
    assert not (ROOT / "cache").exists()
