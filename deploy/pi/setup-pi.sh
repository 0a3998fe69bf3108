#!/usr/bin/env bash
# Set up a desk tablet: a Raspberry Pi with the 7" touch display, on a fresh
# Raspberry Pi OS Bookworm (64-bit) Lite image, as a kiosk that boots straight to
# the rating screen. Run as root from a copy of the Taqyeem source, with the
# bundle that `taqyeem provision device` wrote for this desk:
#
#   sudo ./deploy/pi/setup-pi.sh --bundle /media/usb/riyadh-hq-desk-12-a1b2c3
#
# or without --bundle, to prepare an image that enrols at first boot (a USB stick
# with the bundle, or a one-time code typed on the screen, redeemed at COLLECTOR_URL):
#
#   sudo ./deploy/pi/setup-pi.sh --collector-url https://taqyeem.centre.lan --collector-ca ca.crt
#
# Run it again with another --bundle to re-enrol (e.g. after `taqyeem provision replace`);
# --no-packages skips apt and pip on a re-run.
set -euo pipefail

SRC=$(cd "$(dirname "$0")/../.." && pwd)
PREFIX=/opt/taqyeem
CONF=/etc/taqyeem
DATA=/var/lib/taqyeem
KIOSK_USER=kiosk
BUNDLE=""
PACKAGES=1
COLLECTOR_URL=""
COLLECTOR_CA=""

while [ $# -gt 0 ]; do
  case "$1" in
    --bundle) BUNDLE=${2:?--bundle needs a folder}; shift 2 ;;
    --no-packages) PACKAGES=0; shift ;;
    --collector-url) COLLECTOR_URL=${2:?--collector-url needs https://HOST}; shift 2 ;;
    --collector-ca) COLLECTOR_CA=${2:?--collector-ca needs a file}; shift 2 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "unknown option $1; see --help" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" -eq 0 ] || { echo "run me as root: sudo $0 $*" >&2; exit 1; }
if [ -n "$BUNDLE" ]; then
  for f in device.toml password ca.crt; do
    [ -f "$BUNDLE/$f" ] || { echo "$BUNDLE/$f is missing: is this a Taqyeem bundle folder?" >&2; exit 1; }
  done
fi
case "$COLLECTOR_URL" in
  ""|https://*) ;;
  *) echo "--collector-url must begin with https:// (the code and the password travel over it)" >&2; exit 2 ;;
esac
[ -z "$COLLECTOR_CA" ] || [ -f "$COLLECTOR_CA" ] || { echo "--collector-ca $COLLECTOR_CA does not exist" >&2; exit 1; }
[ "$(uname -m)" = aarch64 ] || echo "warning: $(uname -m) is not aarch64; Kivy 2.3.1 has wheels for 64-bit Pi OS only" >&2

echo "== packages"
# libfribidi0: Pillow's wheel bundles libraqm but loads FriBiDi from the system at run time;
# without it Urdu, Hindi and Bengali are not shaped (found by deploy/pi/verify-arm64.sh).
if [ "$PACKAGES" -eq 1 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    python3 python3-venv python3-pip libmtdev1 libgl1 libegl1 libgles2 libgbm1 libdrm2 \
    libsdl2-2.0-0 libfribidi0 fonts-dejavu-core fonts-noto-core espeak-ng ca-certificates >/dev/null
fi

echo "== user $KIOSK_USER (groups video, render, input, audio)"
id "$KIOSK_USER" >/dev/null 2>&1 || useradd --system --create-home --home-dir "/home/$KIOSK_USER" \
  --shell /usr/sbin/nologin "$KIOSK_USER"
usermod -a -G video,render,input,audio "$KIOSK_USER"  # audio: the speaker button

echo "== program in $PREFIX/.venv"
if [ "$PACKAGES" -eq 1 ]; then
  [ -x "$PREFIX/.venv/bin/python" ] || python3 -m venv "$PREFIX/.venv"
  "$PREFIX/.venv/bin/pip" install -q --upgrade pip
  # Only the tablet's part: the kiosk, no collector or web stack.
  "$PREFIX/.venv/bin/pip" install -q "${SRC}[device]"
  # A release taken from the collector would run in front of what was just installed: drop it.
  if [ -L "$DATA/releases/current" ]; then
    echo "the program just installed runs from now on: removing $DATA/releases/current (a release from the collector)"
    rm -f "$DATA/releases/current" "$DATA/releases/trial.json"
  fi
fi
ln -sf "$PREFIX/.venv/bin/taqyeem-device" /usr/local/bin/taqyeem-device  # for `sudo taqyeem-device set-pin`

install -d -m 0750 -o root -g "$KIOSK_USER" "$CONF"
if [ -n "$BUNDLE" ]; then
  echo "== enrolment from $BUNDLE"
  # The bundle's device.toml already points at $CONF/password and $CONF/ca.crt.
  install -m 0640 -o root -g "$KIOSK_USER" "$BUNDLE/device.toml" "$CONF/device.toml"
  install -m 0640 -o root -g "$KIOSK_USER" "$BUNDLE/password" "$CONF/password"
  install -m 0644 -o root -g root "$BUNDLE/ca.crt" "$CONF/ca.crt"
  grep -q "^password_file = \"$CONF/password\"" "$CONF/device.toml" || {
    echo "$BUNDLE/device.toml was made for another folder than $CONF (--install-dir); make it again" >&2; exit 1; }
else
  echo "== no bundle: this tablet enrols at first boot (USB stick or code; docs/deployment.md)"
fi
install -d -m 0750 -o "$KIOSK_USER" -g "$KIOSK_USER" "$DATA" "$DATA/kivy"
if [ -n "$COLLECTOR_URL" ] || [ -n "$COLLECTOR_CA" ]; then
  # What the enrolment screen pre-fills: the collector's address, and the CA its HTTPS certificate is checked with.
  {
    echo "# Written by deploy/pi/setup-pi.sh: where a new tablet redeems its enrolment code."
    [ -z "$COLLECTOR_URL" ] || echo "collector_url = \"$COLLECTOR_URL\""
    if [ -n "$COLLECTOR_CA" ]; then
      install -m 0644 -o root -g root "$COLLECTOR_CA" "$CONF/collector-ca.crt"
      echo "ca_file = \"$CONF/collector-ca.crt\""
    fi
  } > "$CONF/enrol.toml"
  chmod 0644 "$CONF/enrol.toml"
fi

echo "== Kivy config for the 7\" touch display"
cat > "$DATA/kivy/config.ini" <<'INI'
[kivy]
exit_on_escape = 0
log_dir = logs
log_maxfiles = 10

[graphics]
fullscreen = auto
show_cursor = 0
borderless = 1

[input]
mouse = mouse
mtdev_%(name)s = probesysfs,provider=mtdev
hid_%(name)s = probesysfs,provider=hidinput
INI
chown -R "$KIOSK_USER:$KIOSK_USER" "$DATA/kivy"

echo "== spoken prompts (espeak-ng, offline; a recorded voice put in their place is kept)"
if [ -n "$BUNDLE" ]; then
  runuser -u "$KIOSK_USER" -- "$PREFIX/.venv/bin/taqyeem-device" make-sounds --config "$CONF/device.toml"
else  # no config yet: the sounds go where an enrolled tablet's kiosk looks for them ($DATA/sounds)
  sounds_conf=$(mktemp)
  printf 'device_id = "not-enrolled"\ndata_dir = "%s"\n' "$DATA" > "$sounds_conf"
  chmod 0644 "$sounds_conf"
  runuser -u "$KIOSK_USER" -- "$PREFIX/.venv/bin/taqyeem-device" make-sounds --config "$sounds_conf"
  rm -f "$sounds_conf"
fi

echo "== updates from the collector: the releases folder, and the timer that rolls back a release that stays offline"
# Releases are unpacked in $DATA/releases (two slots and a `current` link): the kiosk unit's
# PYTHONPATH names that folder, so the tablet's data_dir must be $DATA.
[ ! -f "$CONF/device.toml" ] || grep -q "^data_dir = \"$DATA\"" "$CONF/device.toml" ||
  echo "warning: data_dir in $CONF/device.toml is not $DATA; releases from the collector will not run" >&2
install -d -m 0750 -o "$KIOSK_USER" -g "$KIOSK_USER" "$DATA/releases"
for unit in taqyeem-update-check.service taqyeem-update-check.timer; do
  install -m 0644 "$SRC/deploy/pi/$unit" "/etc/systemd/system/$unit"
done
systemctl enable taqyeem-update-check.timer >/dev/null
[ ! -d /run/systemd/system ] || { systemctl daemon-reload; systemctl restart taqyeem-update-check.timer || true; }

echo "== console boot, no screen blanking"
CMDLINE=/boot/firmware/cmdline.txt
[ -f "$CMDLINE" ] || CMDLINE=/boot/cmdline.txt
if [ -f "$CMDLINE" ] && ! grep -q "consoleblank=0" "$CMDLINE"; then
  sed -i 's/$/ consoleblank=0/' "$CMDLINE"
fi
if command -v raspi-config >/dev/null; then
  raspi-config nonint do_boot_behaviour B1  # console, no desktop: the kiosk draws with KMSDRM
fi
systemctl set-default multi-user.target >/dev/null

echo "== the kiosk service, and enrolment from a USB stick"
install -m 0644 "$SRC/deploy/pi/taqyeem-kiosk.service" /etc/systemd/system/taqyeem-kiosk.service
install -m 0644 "$SRC/deploy/pi/taqyeem-enrol@.service" "/etc/systemd/system/taqyeem-enrol@.service"
install -D -m 0644 "$SRC/deploy/pi/99-taqyeem-enrol.rules" /etc/udev/rules.d/99-taqyeem-enrol.rules
systemctl enable taqyeem-kiosk.service >/dev/null
if [ -d /run/systemd/system ]; then
  systemctl daemon-reload
  udevadm control --reload 2>/dev/null || true
  systemctl restart taqyeem-kiosk.service || true
else  # a chroot or an image being prepared (deploy/pi/verify-arm64.sh): no systemd to ask
  echo "systemd is not running here: the kiosk is enabled and starts at the next boot"
fi

if [ -z "$BUNDLE" ]; then
  echo "Done: this tablet is not enrolled; at boot it shows the enrolment screen. Plug in the USB stick"
  echo "with its bundle, or type the code from \`taqyeem provision device --code\` (docs/deployment.md)."
  exit 0
fi
device_id=$(sed -n 's/^device_id = "\(.*\)"/\1/p' "$CONF/device.toml")
echo "Done: this tablet is $device_id. Reboot once (sudo reboot) so the console boot and blanking settings apply."
echo "Then delete the bundle from the USB stick: it holds the device's password."
