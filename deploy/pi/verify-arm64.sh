#!/usr/bin/env bash
# The tablet side on the Pi's architecture, without a Pi: a Debian 12 (Bookworm) arm64 root run
# through qemu-user-static, this checkout's HEAD copied in, then, inside it:
#   1. deploy/pi/setup-pi.sh for real, with a made-up bundle (apt packages incl. fonts-noto-core,
#      the kiosk user, `pip install ".[device]"` into /opt/taqyeem/.venv, the config, the unit);
#   2. the installed `taqyeem-device` run from the tablet's venv (show-config on that bundle);
#   3. `systemd-analyze verify` of the installed kiosk unit (its ExecStart must exist);
#   4. the kiosk's real-window tests (tests/device/test_kiosk*.py, SDL offscreen on Mesa llvmpipe),
#      with the tablet venv's packages and pytest in a test venv beside it;
#   5. a short bench/kiosk.py with the test venv (its figures are EMULATED: not Pi timings).
#
#   sudo deploy/pi/verify-arm64.sh            the whole check; prints each step's time
#   sudo deploy/pi/verify-arm64.sh --rebuild  the same, after building the pristine root again
#
# It needs root (debootstrap, chroot, mounts, binfmt_misc) and Debian's apt; it installs
# qemu-user-static, binfmt-support and debootstrap itself. Where it cannot run (not root, no
# apt, no working qemu-aarch64 handler) it says "skipped" and why, and exits 77.
# The pristine arm64 root is built once and kept in $TAQYEEM_ARM64_CACHE (default
# /var/cache/taqyeem-arm64, outside the repository); every run starts from a new copy of it.
# The root gets this machine's apt sources and settings, pip config, CA bundle and resolv.conf.
# Mounts are always undone on exit, Ctrl-C or TERM, and checked to be gone.
# The step timing, cache safety, mounts and their cleanup are deploy/lib/chroot-root.sh, shared with .ci/fresh-machine.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/../.." && pwd)
CACHE=${TAQYEEM_ARM64_CACHE:-/var/cache/taqyeem-arm64}
PRISTINE=$CACHE/pristine
ROOT=$CACHE/root
CHECKOUT=/root/taqyeem          # where the checkout goes inside the root
SUITE=bookworm
BENCH_RATINGS=${TAQYEEM_ARM64_BENCH_RATINGS:-100}
TEST_TIMEOUT=${TAQYEEM_ARM64_TEST_TIMEOUT:-1800}
SKIPPED=77
REBUILD=0
MOUNTED=()
TIMES=()
STEP=""
STEP_START=0
JOB=""
# shellcheck source=deploy/lib/chroot-root.sh
source "$REPO/deploy/lib/chroot-root.sh"
TOOL=verify-arm64
CACHE_SETTING=TAQYEEM_ARM64_CACHE
STEP_WIDTH=52

# --- what this machine needs: debootstrap, and arm64 programs running through qemu ---

BINFMT=/proc/sys/fs/binfmt_misc

check_prerequisites() {
  [ "$(id -u)" -eq 0 ] || skip "needs root (debootstrap, chroot, mounts, binfmt_misc); run: sudo $0"
  command -v apt-get >/dev/null || skip "needs Debian's apt-get to install qemu-user-static and debootstrap"
  command -v git >/dev/null || skip "needs git to copy the checkout (git archive)"
  git -C "$REPO" rev-parse --verify -q HEAD >/dev/null || skip "$REPO is not a git checkout with a commit"
  local missing=()
  command -v debootstrap >/dev/null || missing+=(debootstrap)
  [ -e /usr/libexec/qemu-binfmt/aarch64-binfmt-P ] || command -v qemu-aarch64-static >/dev/null ||
    missing+=(qemu-user-static)
  command -v update-binfmts >/dev/null || missing+=(binfmt-support)
  if [ "${#missing[@]}" -gt 0 ]; then
    say "installing ${missing[*]} on this machine"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
      skip "could not install ${missing[*]} with apt-get"
  fi
  # arm64 programs need the kernel's binfmt_misc and qemu's aarch64 handler, with the F flag
  # (the interpreter is opened now, so it works inside a chroot that does not hold it).
  if [ ! -e "$BINFMT/register" ]; then
    mount -t binfmt_misc binfmt_misc "$BINFMT" 2>/dev/null ||
      skip "cannot mount binfmt_misc at $BINFMT (a container without it? the kernel module missing?)"
  fi
  [ -e "$BINFMT/qemu-aarch64" ] || update-binfmts --import qemu-aarch64 >/dev/null 2>&1 || true
  update-binfmts --enable qemu-aarch64 >/dev/null 2>&1 || true
  [ -e "$BINFMT/qemu-aarch64" ] && grep -q '^enabled' "$BINFMT/qemu-aarch64" ||
    skip "qemu's aarch64 binfmt handler is not registered ($BINFMT/qemu-aarch64); try: update-binfmts --enable qemu-aarch64"
  grep -q '^flags:.*F' "$BINFMT/qemu-aarch64" ||
    skip "qemu's aarch64 handler lacks the F (fix-binary) flag, so it cannot run inside a chroot"
}

# --- the root ---

build_pristine() {
  if [ "$REBUILD" -eq 1 ]; then
    safe_remove "$PRISTINE"
  elif [ -x "$PRISTINE/bin/bash" ]; then
    say "reusing the pristine arm64 root in $PRISTINE (--rebuild builds it again)"
    return 0
  fi
  local mirror
  mirror=${TAQYEEM_ARM64_MIRROR:-$(debian_mirror)} || fail "found no Debian $SUITE source in /etc/apt; set TAQYEEM_ARM64_MIRROR"
  # What a Raspberry Pi OS Lite image starts with, as far as the tablet is concerned: Debian 12,
  # systemd, udev (its groups input and render), Python 3.11 with venv and pip. setup-pi.sh installs the rest.
  say "debootstrap --arch=arm64 --variant=minbase $SUITE from $mirror (log: $CACHE/debootstrap.log)"
  safe_remove "$PRISTINE.tmp"
  if ! debootstrap --arch=arm64 --variant=minbase \
    --include=systemd,systemd-sysv,udev,python3,python3-venv,python3-pip,ca-certificates \
    "$SUITE" "$PRISTINE.tmp" "$mirror" >"$CACHE/debootstrap.log" 2>&1; then
    tail -n 20 "$CACHE/debootstrap.log" >&2
    fail "debootstrap failed; see $CACHE/debootstrap.log"
  fi
  mv "$PRISTINE.tmp" "$PRISTINE"
}

check_arm64_runs() {
  local machine
  machine=$(chroot "$ROOT" /usr/bin/uname -m 2>&1) || skip "arm64 programs do not run in the root: $machine"
  [ "$machine" = aarch64 ] || skip "the root's uname -m says '$machine', not aarch64"
  say "the root runs arm64 programs: uname -m = $machine, $(chroot "$ROOT" /usr/bin/python3 --version)"
}

make_bundle() {  # what `taqyeem provision device` writes for a desk, made up (no collector here)
  local bundle=$ROOT/root/bundle
  mkdir -p -m 0700 "$bundle"
  cat >"$bundle/device.toml" <<'TOML'
# Taqyeem desk tablet: a made-up bundle for deploy/pi/verify-arm64.sh.
device_id = "arm64-check-d1"
data_dir = "/var/lib/taqyeem"
broker = "mqtts://collector.invalid:8883"
password_file = "/etc/taqyeem/password"
ca_file = "/etc/taqyeem/ca.crt"
TOML
  echo "not-a-real-password" >"$bundle/password"
  chmod 0600 "$bundle/password"
  awk '/BEGIN CERTIFICATE/ { on = 1 } on { print } /END CERTIFICATE/ { exit }' \
    /etc/ssl/certs/ca-certificates.crt >"$bundle/ca.crt"
}

copy_checkout_and_bundle() { copy_checkout && make_bundle; }

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  [ -z "$STEP" ] || record_step "   FAILED (exit $status)"
  if [ -n "$JOB" ]; then
    kill -TERM -- "-$JOB" 2>/dev/null || true
    sleep 1
  fi
  if [ -d "$ROOT" ]; then
    stop_processes_in_root
    unmount_all || status=1
  fi
  if [ "$status" -eq 0 ]; then
    safe_remove "$ROOT"
  elif [ -d "$ROOT" ]; then
    say "the root is kept for a look: $ROOT (deleted at the next run)"
  fi
  print_times
  [ ! -f "$CACHE/tests.log" ] || say "kiosk tests in the arm64 root: $(test_result_line || true) (log: $CACHE/tests.log)"
  [ ! -f "$CACHE/bench.log" ] || { say "bench/kiosk.py in the arm64 root (EMULATED, not Pi timings):"; grep '^ ' "$CACHE/bench.log" || true; }
  exit "$status"
}

# --- inside the root ---

IN_ROOT=(chroot "$ROOT" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM="${TERM:-dumb}"
         PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin)
VENV=/opt/taqyeem/.venv
TEST_VENV=/root/test-venv

section_seconds() {  # section_seconds LOG FROM TO: seconds between two stamped lines of a log
  awk -v from="$2" -v to="$3" '
    index($0, from) && a == "" { a = substr($0, 2, 5) + 0 }
    index($0, to) && a != "" { print substr($0, 2, 5) - a; exit }
  ' "$1"
}

run_setup_pi() {
  "${IN_ROOT[@]}" bash "$CHECKOUT/deploy/pi/setup-pi.sh" --bundle /root/bundle 2>&1 | stamp_lines |
    tee "$CACHE/setup-pi.log" || fail "setup-pi.sh failed in the arm64 root; see $CACHE/setup-pi.log"
  say "of which apt-get (update + install): $(section_seconds "$CACHE/setup-pi.log" "== packages" "== user") s," \
    "pip install \".[device]\" into $VENV: $(section_seconds "$CACHE/setup-pi.log" "== program in" "== enrolment") s"
}

check_install() {
  "${IN_ROOT[@]}" bash -c "set -e
    for f in $VENV/bin/taqyeem-device /etc/systemd/system/taqyeem-kiosk.service /etc/taqyeem/device.toml \
        /var/lib/taqyeem/kivy/config.ini /usr/share/fonts/truetype/noto/NotoSans-Regular.ttf; do
      test -e \$f || { echo \"missing: \$f\"; exit 1; }
    done
    test -L /etc/systemd/system/multi-user.target.wants/taqyeem-kiosk.service || { echo 'the unit is not enabled'; exit 1; }
    test -L /etc/systemd/system/timers.target.wants/taqyeem-update-check.timer || { echo 'the update-check timer is not enabled'; exit 1; }
    id kiosk
    echo \"tablet venv: \$($VENV/bin/python -c 'import platform, kivy; print(platform.machine(), \"Python\", platform.python_version(), \"Kivy\", kivy.__version__)' 2>/dev/null)\"
    $VENV/bin/taqyeem-device show-config --config /etc/taqyeem/device.toml"
}

verify_unit() {
  local out unit
  for unit in taqyeem-kiosk.service taqyeem-update-check.service taqyeem-update-check.timer; do
    out=$("${IN_ROOT[@]}" systemd-analyze verify --man=no "/etc/systemd/system/$unit" 2>&1) ||
      fail "systemd-analyze verify $unit failed in the arm64 root: $out"
    [ -z "$out" ] || fail "systemd-analyze verify $unit warned in the arm64 root: $out"
    say "systemd-analyze verify $unit: clean ($("${IN_ROOT[@]}" systemctl --version | head -n 1))"
  done
}

install_test_tools() {
  # A venv beside the tablet's that sees its packages (a .pth file) and adds pytest, mosquitto's
  # client side and the collector's libraries that tests/conftest.py imports; the tablet's own
  # venv stays exactly as setup-pi.sh left it.
  "${IN_ROOT[@]}" bash -c "set -e
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mosquitto openssl >/dev/null
    python3 -m venv $TEST_VENV
    $VENV/bin/python -c 'import sysconfig; print(sysconfig.get_paths()[\"purelib\"])' \
      >\$($TEST_VENV/bin/python -c 'import sysconfig; print(sysconfig.get_paths()[\"purelib\"])')/tablet.pth
    cd $CHECKOUT
    python3 -c 'import tomllib; p = tomllib.load(open(\"pyproject.toml\", \"rb\")); print(*p[\"project\"][\"optional-dependencies\"][\"collector\"], \"pytest>=8\", \"pytest-timeout>=2.3\", \"babel>=2.12\", sep=\"\\n\")' >/root/test-requirements.txt
    $TEST_VENV/bin/pip install -q -r /root/test-requirements.txt
    # the tests import the checkout's code, which reads compiled catalogs: compile them there (docs/translations.md)
    $TEST_VENV/bin/python -m devtools.catalogs compile"
}

run_kiosk_tests() {
  timeout --foreground --kill-after=30 "$TEST_TIMEOUT" "${IN_ROOT[@]}" SDL_VIDEODRIVER=offscreen bash -c \
    "cd $CHECKOUT && $TEST_VENV/bin/python -m pytest -q -p no:cacheprovider tests/device/test_kiosk.py \
       tests/device/test_kiosk_flow.py tests/device/test_kiosk_languages.py tests/device/test_kiosk_signin.py \
       tests/device/test_kiosk_survey.py" 2>&1 | stamp_lines | tee "$CACHE/tests.log" ||
    fail "the kiosk tests failed in the arm64 root; see $CACHE/tests.log"
}

test_result_line() {
  sed -n 's/^\[ *[0-9]*s\] \(=* *[0-9][0-9]* passed.* in [0-9.]*s.*\)$/\1/p; s/^\[ *[0-9]*s\] \(=* *[0-9][0-9]* failed.* in [0-9.]*s.*\)$/\1/p' \
    "$CACHE/tests.log" | tail -n 1 | grep . || echo "no pytest result line"
}

run_bench() {
  timeout --foreground --kill-after=30 900 "${IN_ROOT[@]}" bash -c \
    "cd $CHECKOUT && $TEST_VENV/bin/python bench/kiosk.py --ratings $BENCH_RATINGS" 2>&1 | tee "$CACHE/bench.log" ||
    fail "bench/kiosk.py failed in the arm64 root; see $CACHE/bench.log"
}

main() {
  check_cache_path
  check_prerequisites
  mkdir -p "$CACHE"
  rm -f "$CACHE/tests.log" "$CACHE/bench.log" "$CACHE/setup-pi.log"
  trap cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  step "build or reuse the pristine arm64 root" build_pristine
  step "copy the pristine root" copy_pristine
  step "check that arm64 programs run (qemu-aarch64)" check_arm64_runs
  step "copy this machine's settings" copy_host_settings
  step "copy the checkout (git archive HEAD), a bundle" copy_checkout_and_bundle
  step "mount proc, sys, dev, dev/pts, dev/shm" mount_all
  step "deploy/pi/setup-pi.sh --bundle (apt, pip, unit)" in_background run_setup_pi
  step "the install: files, user, taqyeem-device runs" check_install
  step "systemd-analyze verify the kiosk unit" verify_unit
  step "test tools (pytest, mosquitto) beside the venv" in_background install_test_tools
  step "kiosk real-window tests (SDL offscreen, Mesa)" in_background run_kiosk_tests
  step "bench/kiosk.py --ratings $BENCH_RATINGS (EMULATED)" in_background run_bench
  say "passed: on a Debian $SUITE arm64 root under qemu, setup-pi.sh installed the tablet, its unit verified," \
    "the kiosk tests passed and the bench ran"
}

case "${1:-}" in
  --rebuild) REBUILD=1; main ;;
  "") main ;;
  -h|--help) sed -n '2,23p' "$0"; exit 0 ;;
  *)
    echo "usage: sudo deploy/pi/verify-arm64.sh [--rebuild]"
    exit 2
    ;;
esac
