# Shared by .ci/fresh-machine and deploy/pi/verify-arm64.sh (sourced, not run): steps with their
# times, a cached pristine Debian root copied fresh for each run, this machine's apt and pip settings
# copied in, mounts into the root that are always undone. The sourcing script sets TOOL (its name in
# messages), CACHE_SETTING (the variable that moves its cache), REPO, CACHE, PRISTINE, ROOT, CHECKOUT,
# SUITE, SKIPPED, MOUNTED=(), TIMES=(), STEP, STEP_START, JOB, and optionally STEP_WIDTH.

say() { echo "$TOOL: $*"; }

fail() { say "$*" >&2; exit 1; }

skip() { say "SKIPPED: $*"; exit "$SKIPPED"; }

step() {  # step NAME COMMAND...: run it (a failure ends the script), print how long it took
  STEP=$1 STEP_START=$SECONDS
  shift
  say "$STEP ..."
  "$@"
  record_step ""
  STEP=""
}

record_step() {  # record_step SUFFIX: remember the current step's time
  local line
  line=$(printf '%-*s %5d s%s' "${STEP_WIDTH:-40}" "$STEP" $((SECONDS - STEP_START)) "$1")
  TIMES+=("$line")
  say "$line"
}

in_background() {  # in_background COMMAND...: run it as a job of its own, so INT and TERM reach this script at once
  local status=0
  set -m  # its own process group, where SIGINT is not ignored (the demo's Ctrl-C needs that)
  "$@" </dev/null &
  JOB=$!
  set +m
  wait "$JOB" || status=$?
  JOB=""
  return "$status"
}

print_times() {
  [ "${#TIMES[@]}" -gt 0 ] || return 0
  say "times:"
  printf '  %s\n' "${TIMES[@]}"
}

check_cache_path() {
  case "$CACHE" in
    /) fail "$CACHE_SETTING must not be /" ;;
    /*) ;;
    *) fail "$CACHE_SETTING must be an absolute path, not $CACHE" ;;
  esac
  case "$CACHE/" in
    "$REPO"/*) fail "$CACHE_SETTING must be outside the repository ($REPO)" ;;
  esac
}

mounts_under() {  # the mount points at or below $1, one a line
  awk -v dir="$1" '$2 == dir || index($2, dir "/") == 1 { print $2 }' /proc/self/mounts
}

safe_remove() {  # safe_remove DIR: delete a folder inside the cache with nothing mounted in it
  local dir=$1
  case "$dir" in
    "$CACHE"/?*) ;;
    *) fail "refusing to delete $dir: it is not inside $CACHE" ;;
  esac
  [ -e "$dir" ] || return 0
  [ -z "$(mounts_under "$dir")" ] || fail "refusing to delete $dir: something is still mounted in it"
  rm -rf --one-file-system "$dir"
}

debian_mirror() {  # the Debian URI in this machine's apt sources that serves bookworm
  local files=()
  [ -f /etc/apt/sources.list ] && files+=(/etc/apt/sources.list)
  for file in /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
    [ -f "$file" ] && files+=("$file")
  done
  [ "${#files[@]}" -gt 0 ] || return 1
  awk -v suite="$SUITE" '
    function take() { if (uri != "" && (" " suites " ") ~ (" " suite " ") && !found) { print uri; found = 1 } }
    /^deb[ \t]/ { i = 2; if ($i ~ /^\[/) { while ($i !~ /\]$/) i++; i++ } if ($(i + 1) == suite && !found) { print $i; found = 1 } }
    /^[ \t]*$/ { take(); uri = ""; suites = "" }
    /^URIs:/ { uri = $2 }
    /^Suites:/ { suites = $0; sub(/^Suites:[ \t]*/, "", suites) }
    END { take() }
  ' "${files[@]}" | head -n 1 | grep .
}

unmount_stale() {  # mounts left in the root by a run that was killed outright
  local target
  for target in $(mounts_under "$ROOT" | sort -r); do
    say "unmounting $target, left by an earlier run"
    umount "$target" 2>/dev/null || umount -l "$target"
  done
}

copy_pristine() {
  unmount_stale
  safe_remove "$ROOT"
  cp -a "$PRISTINE" "$ROOT"
}

copy_if_present() {  # copy_if_present PATH...: copy files or folders of this machine to the same place in the root
  for path in "$@"; do
    [ -e "$path" ] || continue
    mkdir -p "$ROOT$(dirname "$path")"
    cp -aL "$path" "$ROOT$path"
  done
}

copy_host_settings() {
  # apt: the same sources, keys and the machine's own Acquire settings (how it reaches its mirror)
  rm -f "$ROOT/etc/apt/sources.list"
  rm -rf "$ROOT/etc/apt/sources.list.d"
  copy_if_present /etc/apt/sources.list /etc/apt/sources.list.d /etc/apt/trusted.gpg.d /etc/apt/keyrings \
    /etc/apt/auth.conf /etc/apt/auth.conf.d
  for conf in /etc/apt/apt.conf.d/*; do
    [ -f "$conf" ] && grep -q '^Acquire::' "$conf" && ! dpkg -S "$conf" >/dev/null 2>&1 && copy_if_present "$conf"
  done
  # pip's settings (not its cache), the CA bundle and the CAs it is made from, name resolution
  copy_if_present /etc/pip.conf /root/.config/pip/pip.conf /etc/xdg/pip \
    /etc/ssl/certs/ca-certificates.crt /usr/local/share/ca-certificates /etc/resolv.conf
  printf '127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' >"$ROOT/etc/hosts"
  # No init runs in a root: a package's daemon (mosquitto on 1883) would start outside it.
  printf '#!/bin/sh\nexit 101\n' >"$ROOT/usr/sbin/policy-rc.d"
  chmod 0755 "$ROOT/usr/sbin/policy-rc.d"
}

copy_checkout() {
  [ -z "$(git -C "$REPO" status --porcelain --untracked-files=no)" ] ||
    say "note: uncommitted changes are not checked (the root gets HEAD, $(git -C "$REPO" rev-parse --short HEAD))"
  mkdir -p "$ROOT$CHECKOUT"
  git -C "$REPO" archive --format=tar HEAD | tar -x -C "$ROOT$CHECKOUT"
}

mount_one() {  # mount_one PATH ARGS...: mount into the root, and remember it for unmounting
  local target=$ROOT/$1
  shift
  mkdir -p "$target"
  mount "$@" "$target"
  MOUNTED+=("$target")
  mount --make-private "$target" 2>/dev/null || true  # nothing mounted here may reach the host's tree
}

mount_all() {
  mount_one proc -t proc proc
  mount_one sys --bind /sys
  mount_one dev --bind /dev
  mount_one dev/pts --bind /dev/pts
  mount_one dev/shm --bind /dev/shm
}

stop_processes_in_root() {  # anything still running inside the root (a test's leftover) keeps mounts busy
  local pids=() pid
  for pid in /proc/[0-9]*; do
    [ "$(readlink "$pid/root" 2>/dev/null)" = "$ROOT" ] && pids+=("${pid#/proc/}")
  done
  [ "${#pids[@]}" -eq 0 ] && return 0
  say "stopping ${#pids[@]} process(es) left in the root: ${pids[*]}"
  kill -TERM "${pids[@]}" 2>/dev/null || true
  sleep 2
  kill -KILL "${pids[@]}" 2>/dev/null || true
}

unmount_all() {  # in reverse order, lazily where busy; then check that nothing is left
  local i target left
  for ((i = ${#MOUNTED[@]} - 1; i >= 0; i--)); do
    target=${MOUNTED[i]}
    umount "$target" 2>/dev/null || umount -l "$target" || say "could not unmount $target"
  done
  MOUNTED=()
  left=$(mounts_under "$ROOT")
  [ -z "$left" ] || { say "still mounted under $ROOT: $left"; return 1; }
  say "no mounts left under $ROOT"
}

stamp_lines() {  # prefix every line with the seconds since this step began
  local start=$SECONDS line
  while IFS= read -r line; do printf '[%4ds] %s\n' $((SECONDS - start)) "$line"; done
}
