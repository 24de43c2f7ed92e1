#!/usr/bin/env bash
# Builds the release archive dist/vigie-<version>-linux-<arch>.tar.gz (docs/production.md):
# the binary with the Swift standard library and Foundation linked in statically, man pages,
# bash/zsh/fish completions, the systemd unit, an example configuration, example rules and
# events, LICENSE and a README of its own.
#
# The version is `git describe` of the commit built: the tag without its `v` on a tagged
# commit (v1.2.0 -> 1.2.0, v1.2.0-3-gabc -> 1.2.0-3-gabc), else 0.0.0-<commits>-g<hash>;
# Nothing of the work tree but its committed state is built. The version reaches the binary through
# Sources/VigieKit/Ops/ReleaseStamp.generated.swift, written into the exported copy that
# is built (never into the work tree), and -DVIGIE_RELEASE; a plain `swift build` keeps
# printing 0.0.0-dev.
#
# Environment: VIGIE_RELEASE_SCRATCH (build folder, default .build-release),
# VIGIE_RELEASE_OUT (output folder, default dist). Prints the archive's path last.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
[ -x /opt/swift/usr/bin/swift ] && export PATH="/opt/swift/usr/bin:$PATH"
scratch=${VIGIE_RELEASE_SCRATCH:-.build-release}
out=${VIGIE_RELEASE_OUT:-dist}

if described=$(git describe --tags --match 'v[0-9]*' 2>/dev/null); then
    version=${described#v}
else
    version="0.0.0-$(git rev-list --count HEAD)-g$(git rev-parse --short=12 HEAD)"
fi
arch=$(uname -m)
name="vigie-$version-linux-$arch"
echo "release: $name"

# The binary is built from the commit itself (git archive HEAD), never from the work tree:
# uncommitted edits cannot slip in, and the version stamp is written into that copy only.
# The copy is synced file by file (rsync -c) so that unchanged files keep their time
# stamps and a second release build is incremental.
mkdir -p "$scratch"
src="$root/$scratch/src"
export_dir=$(mktemp -d)
git archive --format=tar HEAD | tar -x -C "$export_dir"
printf '// Written by scripts/release.sh.\n#if VIGIE_RELEASE\nlet releaseStamp = "%s"\n#endif\n' "$version" \
    > "$export_dir/Sources/VigieKit/Ops/ReleaseStamp.generated.swift"
mkdir -p "$src"
rsync -rc --delete --exclude=/Package.resolved "$export_dir/" "$src/"
rm -rf "$export_dir"
start=$(date +%s)
swift build -c release --static-swift-stdlib --package-path "$src" --scratch-path "$root/$scratch" \
    -Xswiftc -DVIGIE_RELEASE --product vigie
echo "release: build took $(( $(date +%s) - start )) s"
binary="$scratch/release/vigie"
printed=$("$binary" --version)
[ "$printed" = "$version" ] || { echo "release: the binary prints version '$printed', expected '$version'" >&2; exit 1; }

# Shared libraries: only those of docs/production.md ("Runtime requirements") are allowed.
allowed='^(linux-vdso|ld-linux-x86-64|ld-linux-aarch64|libc|libm|libdl|librt|libpthread|libutil|libgcc_s|libstdc\+\+|libsqlite3|libz)\.so'
libraries=$(ldd "$binary" | awk '{print $1}' | sed 's#.*/##')
echo "release: shared libraries: $(echo $libraries)"
unexpected=$(echo "$libraries" | grep -Ev "$allowed" || true)
[ -z "$unexpected" ] || { echo "release: undocumented shared libraries: $unexpected" >&2; exit 1; }

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
dir="$stage/$name"
mkdir -p "$dir/bin" "$dir/share/man/man1" "$dir/share/bash-completion/completions" \
    "$dir/share/zsh/site-functions" "$dir/share/fish/vendor_completions.d" \
    "$dir/contrib/systemd" "$dir/examples/rules"
install -m 0755 "$binary" "$dir/bin/vigie"
strip "$dir/bin/vigie"
"$dir/bin/vigie" --version >/dev/null
python3 scripts/manpages.py "$dir/bin/vigie" "$dir/share/man/man1" "$version" "$(git log -1 --format=%cs)"
"$dir/bin/vigie" --generate-completion-script bash > "$dir/share/bash-completion/completions/vigie"
"$dir/bin/vigie" --generate-completion-script zsh > "$dir/share/zsh/site-functions/_vigie"
"$dir/bin/vigie" --generate-completion-script fish > "$dir/share/fish/vendor_completions.d/vigie.fish"
install -m 0644 contrib/systemd/vigie.service "$dir/contrib/systemd/"
install -m 0644 contrib/examples/vigie.yaml contrib/examples/events.jsonl "$dir/examples/"
install -m 0644 Rules/*.yaml "$dir/examples/rules/"
install -m 0644 LICENSE "$dir/LICENSE"
install -m 0644 contrib/release/README.md "$dir/README.md"
sed -i "s/@VERSION@/$version/g; s/@LIBRARIES@/$(echo $libraries | sed 's/ /, /g')/" "$dir/README.md"

mkdir -p "$out"
archive="$out/$name.tar.gz"
tar -C "$stage" --owner=0 --group=0 --numeric-owner -czf "$archive" "$name"
(cd "$out" && sha256sum "$name.tar.gz" > "$name.tar.gz.sha256")
echo "release: $(du -h "$archive" | cut -f1) ($(stat -c %s "$archive") bytes), binary $(stat -c %s "$dir/bin/vigie") bytes"
echo "$archive"
