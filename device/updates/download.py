"""Fetch a release over HTTPS into a file, reading no byte past its signed size.

The server is checked against the device's ``ca_file`` (the centre's own CA, from the enrolment
bundle) and the system's CAs. Redirects are not followed: the config names the collector's own
download route. The URL carries the tablet's download token, so it is never logged or reported
whole (``redacted``).
"""

from __future__ import annotations

import hashlib
import http.client
import os
import socket
import ssl
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from shared.releases import Release

CHUNK = 64 * 1024
TIMEOUT_S = 30.0


@dataclass
class DownloadError(Exception):
    """Why a download did not give the signed file; ``retry``: worth trying again later."""

    reason: str
    retry: bool

    def __str__(self) -> str:
        return self.reason


def redacted(url: str) -> str:
    """The URL without its query (the download token)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


def tls_context(ca_file: Path | None) -> ssl.SSLContext:
    """The system's CAs, plus the centre's CA when the device has one."""
    context = ssl.create_default_context()
    if ca_file is not None:
        context.load_verify_locations(cafile=str(ca_file))
    return context


def download(
    release: Release,
    target: Path,
    *,
    ca_file: Path | None,
    stop: threading.Event | None = None,
    timeout_s: float = TIMEOUT_S,
) -> str:
    """Write the release's file to ``target``; return its SHA-256 (hex). Raises ``DownloadError``.

    A longer file than ``release.size`` is refused at the first byte past it; a shorter one
    (the connection dropped) is worth another try.
    """
    parts = urlsplit(release.url)
    where = redacted(release.url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    connection: http.client.HTTPConnection
    if parts.scheme == "https":
        connection = http.client.HTTPSConnection(
            parts.hostname or "", parts.port, timeout=timeout_s, context=tls_context(ca_file)
        )
    else:  # http:// only on loopback (shared/releases.py checks it)
        connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=timeout_s)
    digest = hashlib.sha256()
    got = 0
    try:
        connection.request("GET", path, headers={"Accept": "application/octet-stream"})
        response = connection.getresponse()
        if response.status != 200:
            raise DownloadError(_http_reason(response.status, where, response.read(300)), retry=True)
        with open(target, "wb") as handle:
            while True:
                if stop is not None and stop.is_set():
                    raise DownloadError("the kiosk stopped during the download", retry=True)
                chunk = response.read(min(CHUNK, release.size + 1 - got))
                if not chunk:
                    break
                got += len(chunk)
                if got > release.size:
                    raise DownloadError(
                        f"the file served at {where} is longer than the signed size of {release.version} "
                        f"({release.size} bytes): the collector serves another file than it signed; "
                        "add the release again (taqyeem release add)",
                        retry=False,
                    )
                digest.update(chunk)
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
    except ssl.SSLCertVerificationError as exc:
        raise DownloadError(
            f"could not verify the certificate of {parts.hostname} ({exc.verify_message}): check ca_file in "
            "device.toml (the centre's CA from the enrolment bundle)",
            retry=True,
        ) from None
    except http.client.IncompleteRead as exc:
        got += len(exc.partial)
        raise DownloadError(_short(release, got), retry=True) from None
    except (OSError, http.client.HTTPException) as exc:
        if isinstance(exc, socket.timeout | TimeoutError):
            raise DownloadError(f"the download from {where} stalled for {timeout_s:g} s", retry=True) from None
        raise DownloadError(f"could not download from {where}: {exc}", retry=True) from None
    finally:
        connection.close()
    if got < release.size:
        raise DownloadError(_short(release, got), retry=True)
    return digest.hexdigest()


def _short(release: Release, got: int) -> str:
    return f"the download of {release.version} stopped at {got} of {release.size} bytes (connection lost)"


def _http_reason(status: int, where: str, body: bytes) -> str:
    detail = body.decode("utf-8", "replace").strip().replace("\n", " ")[:120]
    hint = {
        401: "the tablet's download token was refused: roll the release out again (taqyeem release rollout)",
        403: "the tablet's download token was refused: roll the release out again (taqyeem release rollout)",
        404: "the collector does not hold this release: add it again (taqyeem release add)",
    }.get(status, "the collector could not serve it; see its log")
    return f"the collector answered {status} for {where} ({detail}): {hint}"
