"""Releases for the update tests: wheels built with zipfile from this checkout, signed, served over HTTPS.

``make_wheel`` copies this repository's ``device/`` and ``shared/`` packages into a wheel with a
dist-info of the version asked for (no pip, no network); ``ReleaseServer`` is Python's
http.server behind TLS with a certificate of the tests' CA, serving each file whole, cut short,
longer than signed, or held at half way until a test lets it go.
"""

from __future__ import annotations

import hashlib
import io
import ssl
import threading
import zipfile
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from devtools.local_broker import TlsFiles
from shared.releases import Release, public_key_text, sign_release

ROOT = Path(__file__).resolve().parents[2]
BROKEN_INIT = 'raise RuntimeError("this release is broken on purpose: it cannot be imported")\n'

Mode = Literal["whole", "truncated", "longer", "held"]


def make_wheel(version: str, *, broken: bool = False, extra: dict[str, bytes] | None = None) -> bytes:
    """A pure wheel of this checkout's tablet program as ``version``; ``broken``: ``device`` raises at import."""
    buffer = io.BytesIO()
    dist_info = f"taqyeem-{version}.dist-info"
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for package in ("device", "shared"):
            for path in sorted((ROOT / package).rglob("*")):
                if path.is_dir() or "__pycache__" in path.parts or path.suffix == ".pyc":
                    continue
                name = path.relative_to(ROOT).as_posix()
                data = BROKEN_INIT.encode() if broken and name == "device/__init__.py" else path.read_bytes()
                archive.writestr(name, data)
        archive.writestr(f"{dist_info}/METADATA", f"Metadata-Version: 2.1\nName: taqyeem\nVersion: {version}\n")
        archive.writestr(
            f"{dist_info}/WHEEL", "Wheel-Version: 1.0\nGenerator: tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
        )
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
        archive.writestr(f"{dist_info}/RECORD", "")
    return buffer.getvalue()


@dataclass
class Signer:
    key: Ed25519PrivateKey = field(default_factory=Ed25519PrivateKey.generate)

    @property
    def public(self) -> str:
        return public_key_text(self.key.public_key())

    def release(self, version: str, data: bytes, url: str, *, size: int | None = None) -> Release:
        digest = hashlib.sha256(data).hexdigest()
        size = len(data) if size is None else size
        return Release(
            version=version, url=url, sha256=digest, size=size, signature=sign_release(self.key, version, digest, size)
        )


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        self.server.hits[path] = self.server.hits.get(path, 0) + 1
        entry = self.server.files.get(path)
        if entry is None:
            self.send_error(404, "no such release")
            return
        data, mode = entry
        body = data + b"extra bytes past the signed size" if mode == "longer" else data
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        half = len(body) // 2
        if mode == "truncated":
            self.wfile.write(body[:half])
            self.close_connection = True
            return
        if mode == "held":
            self.wfile.write(body[:half])
            self.wfile.flush()
            self.server.started.set()
            self.server.gate.wait(60)
            self.wfile.write(body[half:])
            return
        self.wfile.write(body)

    def log_message(self, *_args: object) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    files: dict[str, tuple[bytes, Mode]]
    hits: dict[str, int]
    gate: threading.Event
    started: threading.Event


class ReleaseServer:
    """HTTPS on 127.0.0.1 with the tests' CA; ``url(path)`` gives an address the tablet accepts."""

    def __init__(self, tls: TlsFiles) -> None:
        self._server = _Server(("127.0.0.1", 0), _Handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(str(tls.server_cert), str(tls.server_key))
        self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
        self._server.files, self._server.hits = {}, {}
        self._server.gate, self._server.started = threading.Event(), threading.Event()
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def gate(self) -> threading.Event:
        """Set it to let a held download finish."""
        return self._server.gate

    @property
    def started(self) -> threading.Event:
        """Set once a held download has sent its first half."""
        return self._server.started

    def serve(self, path: str, data: bytes, mode: Mode = "whole") -> str:
        self._server.files[path] = (data, mode)
        return f"https://127.0.0.1:{self.port}{path}?device=desk&token=secret-token"

    def hits(self, path: str) -> int:
        return self._server.hits.get(path, 0)

    def close(self) -> None:
        self._server.gate.set()
        self._server.shutdown()
        self._server.server_close()
