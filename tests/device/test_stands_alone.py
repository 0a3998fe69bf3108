"""The tablet installs alone: device/ imports nothing from collector/ nor the server's packages."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# What `pip install ".[device]"` must not need: the collector and its server-only dependencies.
SERVER_ONLY = (
    "collector",
    "devtools",
    "fastapi",
    "uvicorn",
    "apprise",
    "argon2",
    "qrcode",
    "hijridate",
    "sqlite_utils",
    "babel",  # the build compiles the catalogs; a tablet reads the .mo with the standard library's gettext
)

BLOCKER = textwrap.dedent(
    """
    import importlib.abc
    import sys

    BLOCKED = set(sys.argv[1].split(","))

    class Blocker(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in BLOCKED:
                raise ModuleNotFoundError(f"{name} is not installed on a tablet", name=name)
            return None

    sys.meta_path.insert(0, Blocker())
    """
)


def _run_blocked(code: str, blocked: tuple[str, ...] = SERVER_ONLY) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TAQYEEM_")}
    return subprocess.run(
        [sys.executable, "-c", BLOCKER + textwrap.dedent(code), ",".join(blocked)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


def test_the_blocker_really_blocks() -> None:
    result = _run_blocked("import collector.cli\n")
    assert result.returncode != 0
    assert "not installed on a tablet" in result.stderr


def _modules_without_kivy_at_import() -> list[str]:
    """Every device module but ``__main__`` and those that import Kivy on import (they open a window)."""
    names = []
    for path in sorted((ROOT / "device").rglob("*.py")):
        tree = ast.parse(path.read_text())
        top = [n for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)]
        kivy = any(
            (a.name if isinstance(n, ast.Import) else n.module or "").startswith("kivy")
            for n in top
            for a in (n.names if isinstance(n, ast.Import) else [n])
        )
        parts = path.relative_to(ROOT).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if not kivy and parts[-1] != "__main__":
            names.append(".".join(parts))
    return names


def test_the_device_command_runs_without_the_collector_and_the_server_packages() -> None:
    modules = _modules_without_kivy_at_import()
    assert {"device.cli", "device.core", "device.link", "device.outbox", "device.kiosk.app"} <= set(modules)
    result = _run_blocked(
        f"MODULES = {modules!r}\n"
        + textwrap.dedent(
            """
        from click.testing import CliRunner

        from device.cli import cli

        for name in MODULES:
            __import__(name)
        for args in ([], ["run"], ["set-pin"], ["show-config"], ["simulate"], ["make-sounds"]):
            result = CliRunner().invoke(cli, [*args, "--help"])
            assert result.exit_code == 0, (args, result.output, result.exception)
        leaked = sorted(m for m in sys.modules if m.split(".")[0] in BLOCKED)
        assert not leaked, leaked
        print("ok")
        """
        )
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_no_device_module_imports_the_collector_even_inside_a_function() -> None:
    offenders = []
    for path in sorted((ROOT / "device").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            offenders += [
                f"{path.relative_to(ROOT)}:{node.lineno} {n}" for n in names if n.split(".")[0] in SERVER_ONLY
            ]
    assert not offenders, offenders


def test_taqyeem_on_a_tablet_says_what_to_install_instead_of_a_traceback() -> None:
    tablet = tuple(name for name in SERVER_ONLY if name not in ("collector", "devtools"))  # the wheel holds collector/
    result = _run_blocked("import collector\ncollector.main()\n", tablet)

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("Error: ") and 'pip install "taqyeem[collector]"' in result.stderr


def test_the_kiosk_on_a_server_install_says_what_to_install(tmp_path: Path) -> None:
    config = tmp_path / "device.toml"
    config.write_text(f'device_id = "desk-01-abc"\ndata_dir = "{tmp_path / "data"}"\n')
    result = _run_blocked(
        textwrap.dedent(
            f"""
            sys.modules["kivy"] = None  # as if not installed: find_spec says None, import fails
            from click.testing import CliRunner
            from device.cli import cli

            result = CliRunner().invoke(cli, ["run", "--config", {str(config)!r}])
            print(result.exit_code, result.output)
            """
        )
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("1 Error: Kivy is not installed here")
    assert 'pip install "taqyeem[device]"' in result.stdout
