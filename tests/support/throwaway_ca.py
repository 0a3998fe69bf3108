"""A throwaway certificate authority for the tests' TLS listeners (needs openssl)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from collector.fleet.broker import BrokerError
from devtools.local_broker import TlsFiles


def make_test_ca(directory: Path, hostname: str = "localhost") -> TlsFiles:
    """A throwaway CA and a server certificate for ``hostname`` and 127.0.0.1."""
    openssl = shutil.which("openssl")
    if openssl is None:
        raise BrokerError("openssl is not installed; install it with: sudo apt-get install -y openssl")
    directory.mkdir(parents=True, exist_ok=True)
    ca_key, ca_cert = directory / "ca.key", directory / "ca.crt"
    key, csr, cert = directory / "server.key", directory / "server.csr", directory / "server.crt"
    ext = directory / "server.ext"
    ext.write_text(f"subjectAltName=DNS:{hostname},DNS:localhost,IP:127.0.0.1\n")

    def run(*args: str) -> None:
        subprocess.run([openssl, *args], check=True, capture_output=True)

    run(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "30",
        "-subj",
        "/CN=Taqyeem test CA",
        "-keyout",
        str(ca_key),
        "-out",
        str(ca_cert),
    )
    run("req", "-newkey", "rsa:2048", "-nodes", "-subj", f"/CN={hostname}", "-keyout", str(key), "-out", str(csr))
    run(
        "x509",
        "-req",
        "-in",
        str(csr),
        "-CA",
        str(ca_cert),
        "-CAkey",
        str(ca_key),
        "-CAcreateserial",
        "-days",
        "30",
        "-extfile",
        str(ext),
        "-out",
        str(cert),
    )
    return TlsFiles(ca_cert, cert, key)
