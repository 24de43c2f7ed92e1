#!/usr/bin/env bash
# Proof on a fresh machine (issue 18): builds the release archive, makes a minimal Debian
# root with debootstrap --variant=minbase (the suite of this host), installs only the
# runtime packages docs/production.md lists, unpacks the archive into it and, inside it
# (chroot), runs vigie --version, validate on the example rules, dry-run on the example
# events and demo. Prints the archive size and the time of each step, and exits non-zero
# at the first failure. Run as root (debootstrap, chroot, mount).
#
# .ci/run runs it when VIGIE_RELEASE_TEST=1. Environment: VIGIE_RELEASE_ARCHIVE (use this
# archive instead of building one), VIGIE_RELEASE_ROOT (where to debootstrap, default a
# temporary folder, removed at the end), DEBIAN_MIRROR (default deb.debian.org).
set -euo pipefail
cd "$(dirname "$0")/.."
root_dir=$PWD
# The packages a fresh Debian needs besides minbase (docs/production.md, "Runtime requirements").
runtime_packages="libsqlite3-0 ca-certificates"
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
. /etc/os-release
suite=${VERSION_CODENAME:?the host has no VERSION_CODENAME in /etc/os-release}

step() { # step NAME COMMAND...: runs it, prints its time
    local name=$1; shift
    local start=$(date +%s.%N)
    echo "=== $name"
    "$@"
    printf '=== %s: %.1f s\n' "$name" "$(echo "$(date +%s.%N) - $start" | bc)"
}

command -v debootstrap >/dev/null || { echo "release-test: debootstrap is missing (apt-get install debootstrap)" >&2; exit 1; }
command -v bc >/dev/null || { echo "release-test: bc is missing (apt-get install bc)" >&2; exit 1; }

if [ -n "${VIGIE_RELEASE_ARCHIVE:-}" ]; then
    archive=$VIGIE_RELEASE_ARCHIVE
else
    step "build the archive (scripts/release.sh)" bash scripts/release.sh | tee /tmp/vigie-release-build.log
    archive=$(grep -E '\.tar\.gz$' /tmp/vigie-release-build.log | tail -1)
fi
[ -f "$archive" ] || { echo "release-test: no archive at $archive" >&2; exit 1; }
echo "archive: $archive, $(stat -c %s "$archive") bytes ($(du -h "$archive" | cut -f1))"

target=${VIGIE_RELEASE_ROOT:-$(mktemp -d /tmp/vigie-debian.XXXXXX)}
cleanup() {
    umount "$target/proc" 2>/dev/null || true
    [ -n "${VIGIE_RELEASE_ROOT:-}" ] || rm -rf "$target"
}
trap cleanup EXIT

bootstrap() {
    debootstrap --variant=minbase "$suite" "$target" "$mirror" > /tmp/vigie-debootstrap.log 2>&1 \
        || { tail -20 /tmp/vigie-debootstrap.log; return 1; }
}
step "debootstrap --variant=minbase $suite" bootstrap
echo "minimal root: $(du -sh "$target" | cut -f1)"
mount -t proc proc "$target/proc"
# No Swift in there: the binary must not find one.
if chroot "$target" sh -c 'command -v swift || ls /usr/lib/swift' >/dev/null 2>&1; then
    echo "release-test: the minimal root has a Swift toolchain" >&2; exit 1
fi
in_root() { chroot "$target" /usr/bin/env -i PATH=/usr/local/bin:/usr/bin:/bin HOME=/root LANG=C.UTF-8 "$@"; }
step "apt-get install $runtime_packages" \
    in_root sh -c "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $runtime_packages >/dev/null"
step "unpack the archive" tar -xzf "$archive" -C "$target/opt"
dir=$(basename "$archive" .tar.gz)
step "install the binary" in_root install -m 0755 "/opt/$dir/bin/vigie" /usr/local/bin/vigie
echo "shared libraries the binary loads in the minimal root:"
in_root ldd /usr/local/bin/vigie
step "vigie --version" in_root vigie --version
step "vigie validate (example rules)" in_root sh -c "cd /opt/$dir && vigie validate examples/rules"
step "vigie dry-run (example events)" in_root sh -c "cd /opt/$dir && vigie dry-run examples/rules --events examples/events.jsonl"
step "vigie demo" in_root sh -c "cd /tmp && vigie demo --quiet --rules /opt/$dir/examples/rules"
step "man page renders (man -l, if man is present)" sh -c "command -v man >/dev/null && MANPAGER=cat man -l '$target/opt/$dir/share/man/man1/vigie-serve.1' | head -5 || echo 'man not on this host'"
echo "release-test: all steps passed"
