#!/usr/bin/env bash
# Tries './cairn up' as a newcomer on a fresh Debian would: a 'debootstrap --variant=minbase' root
# with only a JDK, Maven, git and curl added, the repository's tracked files copied in. A package
# that the project's scripts use but do not install shows up here before a user finds it.
#
#   scripts/try-minimal-debian.sh [bookworm|trixie]      (default: bookworm, i.e. Debian 12)
#
# Runs as root on a Debian host. The root lives in $CAIRN_TRY_ROOT (default
# /var/tmp/cairn-minbase-<suite>) and is reused on a second run (delete it for a truly fresh one).
# It shares the host's network, so Kafka and PostgreSQL use other ports there (5633, 9292, 9293)
# and the services' fixed ports (4317, 4318, 8081, 8082, 16686) must be free on the host.
# Env: CAIRN_TRY_M2=host binds the host's ~/.m2 into the root (skips ~450 MB of downloads, but then
# Maven's own downloads are not tried). Exit status: that of './cairn up' in the root.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SUITE="${1:-bookworm}"
TARGET="${CAIRN_TRY_ROOT:-/var/tmp/cairn-minbase-$SUITE}"
LOG="$ROOT/.cairn/logs/try-minimal-$SUITE.log"

say() { printf '[try-minimal] %s\n' "$*"; }
die() { printf '[try-minimal] ERROR: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "run as root (debootstrap, chroot, mounts)"
mkdir -p "$(dirname "$LOG")"
for port in 4317 4318 8081 8082 16686 5633 9292 9293; do
  if timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port" 2>/dev/null; then
    die "port $port is in use on this host; the root shares its network (stop './cairn up' first)"
  fi
done

# The archive this host's apt uses (deb822 .sources or sources.list), for the host's own suite.
mirror="$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)"
[ -n "$mirror" ] || mirror="$(awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^(https?|file):/) { print $i; exit } }' /etc/apt/sources.list 2>/dev/null || true)"
[ -n "$mirror" ] || die "no Debian archive in /etc/apt/sources.list*"

if ! command -v debootstrap >/dev/null; then
  say "installing debootstrap"
  apt-get update -qq >>"$LOG" 2>&1 && apt-get install -y -qq debootstrap >>"$LOG" 2>&1
fi

if [ ! -x "$TARGET/usr/bin/apt-get" ]; then
  say "debootstrap --variant=minbase $SUITE into $TARGET (log: $LOG)"
  debootstrap --variant=minbase "$SUITE" "$TARGET" "$mirror" >>"$LOG" 2>&1 || { tail -n 20 "$LOG" >&2; die "debootstrap failed"; }
fi

mounted=()
cleanup() {
  local i
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount -l "${mounted[$i]}" 2>/dev/null || true; done
}
trap cleanup EXIT
mount_in() { # <type or --bind> <source> <target inside root>
  mkdir -p "$TARGET$3"
  if [ "$1" = --bind ]; then mount --bind "$2" "$TARGET$3"; else mount -t "$1" "$2" "$TARGET$3"; fi
  mounted+=("$TARGET$3")
}
mount_in proc proc /proc
mount_in sysfs sys /sys
mount_in --bind /dev /dev
mount_in devpts devpts /dev/pts
# PostgreSQL's shared memory lives here; without a tmpfs of its own it fails to start.
mount_in tmpfs tmpfs /dev/shm
cp /etc/resolv.conf "$TARGET/etc/resolv.conf"
if [ "${CAIRN_TRY_M2:-}" = host ] && [ -d "$HOME/.m2" ]; then mount_in --bind "$HOME/.m2" /root/.m2; fi

say "adding only a JDK, Maven, git and curl"
chroot "$TARGET" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive bash -c \
  'apt-get update -qq && apt-get install -y -qq --no-install-recommends default-jdk-headless maven git curl ca-certificates' \
  >>"$LOG" 2>&1 || { tail -n 20 "$LOG" >&2; die "installing the JDK, Maven, git and curl failed"; }

say "copying the tracked files to /root/cairn"
rm -rf "$TARGET/root/cairn" && mkdir -p "$TARGET/root/cairn"
(cd "$ROOT" && git ls-files -z | tar --null -T - -cf -) | tar -xf - -C "$TARGET/root/cairn"

say "./cairn up in the root (log: $LOG)"
set +e
chroot "$TARGET" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
  CAIRN_DB_PORT=5633 CAIRN_KAFKA_PORT=9292 CAIRN_KAFKA_CONTROLLER_PORT=9293 \
  bash -c 'cd /root/cairn && ./cairn up && ./cairn status; rc=$?; ./cairn down; exit $rc' 2>&1 | tee -a "$LOG"
rc=${PIPESTATUS[0]}
set -e
if [ "$rc" -eq 0 ]; then say "OK: ./cairn up and status passed on a minimal $SUITE"; else say "FAILED ($rc): see $LOG"; fi
exit "$rc"
