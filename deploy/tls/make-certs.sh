#!/usr/bin/env bash
# Make the Taqyeem CA and a broker's TLS server certificate (ECDSA P-256: small enough
# that the CA fits in a desk's enrolment QR code).
#
#   sudo deploy/tls/make-certs.sh broker.riyadh.example 10.20.0.5
#
# Every argument is a name or an IP address the desks (or a bridge) use to reach this
# broker; the first one is the certificate's common name. Environment:
#   OUT=/etc/mosquitto/taqyeem   where ca.crt, server.crt and server.key go
#   CA_DIR=$OUT                  where the CA's key is kept (or found, to sign another broker)
#   GROUP=mosquitto              the group that may read server.key (mosquitto drops to that user)
#   DAYS=825  CA_DAYS=3650       validity
# An existing CA is reused, never overwritten; an existing server certificate is replaced.
set -euo pipefail

if [ $# -lt 1 ]; then
  echo "usage: $0 HOSTNAME-OR-IP [MORE-NAMES-OR-IPS...]" >&2
  exit 2
fi
command -v openssl >/dev/null || { echo "$0: openssl is missing: apt-get install -y openssl" >&2; exit 1; }

OUT=${OUT:-/etc/mosquitto/taqyeem}
CA_DIR=${CA_DIR:-$OUT}
GROUP=${GROUP:-mosquitto}
DAYS=${DAYS:-825}
CA_DAYS=${CA_DAYS:-3650}
getent group "$GROUP" >/dev/null || { echo "$0: group $GROUP does not exist (install mosquitto first, or set GROUP)" >&2; exit 1; }

umask 077
mkdir -p "$OUT" "$CA_DIR"

if [ ! -f "$CA_DIR/ca.key" ]; then
  openssl ecparam -name prime256v1 -genkey -noout -out "$CA_DIR/ca.key"
  openssl req -x509 -new -key "$CA_DIR/ca.key" -sha256 -days "$CA_DAYS" -subj "/CN=Taqyeem CA" \
    -addext "basicConstraints=critical,CA:TRUE,pathlen:0" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" -out "$CA_DIR/ca.crt"
  echo "made a new CA: $CA_DIR/ca.crt (its key $CA_DIR/ca.key never leaves this machine)"
fi
[ "$CA_DIR" = "$OUT" ] || cp "$CA_DIR/ca.crt" "$OUT/ca.crt"

san=""
for name in "$@"; do
  if [[ "$name" =~ ^[0-9.]+$ || "$name" == *:* ]]; then san+="IP:$name,"; else san+="DNS:$name,"; fi
done
san=${san%,}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
openssl ecparam -name prime256v1 -genkey -noout -out "$work/server.key"
openssl req -new -key "$work/server.key" -subj "/CN=$1" -out "$work/server.csr"
printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n' \
  "$san" > "$work/server.ext"
openssl x509 -req -in "$work/server.csr" -CA "$CA_DIR/ca.crt" -CAkey "$CA_DIR/ca.key" -CAcreateserial \
  -days "$DAYS" -sha256 -extfile "$work/server.ext" -out "$work/server.crt" 2>/dev/null
openssl verify -CAfile "$CA_DIR/ca.crt" "$work/server.crt" >/dev/null

install -m 0644 "$work/server.crt" "$OUT/server.crt"
install -m 0640 -g "$GROUP" "$work/server.key" "$OUT/server.key"
chmod 0644 "$OUT/ca.crt"
chmod 0600 "$CA_DIR/ca.key"
# mosquitto must be able to reach the files: the folder is traversable by its group.
chgrp "$GROUP" "$OUT" && chmod 0750 "$OUT"

echo "server certificate for $san:"
echo "  $OUT/server.crt (0644), $OUT/server.key (0640, group $GROUP), CA $OUT/ca.crt"
echo "Give desks $OUT/ca.crt (taqyeem provision device --device-ca $OUT/ca.crt)."
