// The platform packages: one per `napi.targets` entry, named as napi-rs
// names them (ringstream-<platform>), each holding the addon and the cpal
// plugin. build-dist.js, pack.js and the packed-install test share this.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { parseTriple } = require('@napi-rs/cli');

const root = path.resolve(__dirname, '..');
const pkg = require(path.join(root, 'package.json'));

/** The glibc the linux-gnu binaries are built against (cargo-zigbuild's suffix). */
const GLIBC = '2.17';

/** Everything about one target triple that the scripts need. */
function platform(triple) {
  const t = parseTriple(triple);
  const ext = t.platform === 'win32' ? '.dll' : t.platform === 'darwin' ? '.dylib' : '.so';
  const cargoLib =
    t.platform === 'win32' ? 'ringstream_cpal.dll' : t.platform === 'darwin' ? 'libringstream_cpal.dylib' : 'libringstream_cpal.so';
  return {
    triple,
    name: t.platformArchABI,
    platform: t.platform,
    arch: t.arch,
    abi: t.abi,
    packageName: `${pkg.name}-${t.platformArchABI}`,
    dir: path.join(root, 'npm', t.platformArchABI),
    addon: `${pkg.napi.binaryName}.${t.platformArchABI}.node`,
    plugin: `${pkg.napi.binaryName}-cpal.${t.platformArchABI}${ext}`,
    cargoPlugin: cargoLib,
    // The PipeWire host's plugin (feature `pipewire`, linking libpipewire-0.3,
    // resolved on the user's machine), beside the main one so that a machine
    // without libpipewire still loads that. linux-x64-gnu only: bindgen and
    // the link need libpipewire-0.3-dev for the target's architecture, which
    // only the host's is installed (.ci/run).
    pipewirePlugin:
      t.platform === 'linux' && t.abi === 'gnu' && t.arch === 'x64'
        ? `${pkg.napi.binaryName}-cpal-pipewire.${t.platformArchABI}${ext}`
        : null,
    // Linux binaries link through cargo-zigbuild: glibc ones against an old
    // glibc (zig's libc stubs) so they load on old distributions, musl ones
    // against zig's musl (plain cargo would link the host's glibc).
    zigTarget: t.platform === 'linux' ? (t.abi === 'gnu' ? `${triple}.${GLIBC}` : triple) : null,
    // Debian's multiarch folder, where `libasound2-dev:<arch>` puts alsa.pc
    // for the plugin's link (musl links against the host's x86_64 one: only
    // its symbols are needed at link time).
    multiarch: t.platform === 'linux' ? `${t.arch === 'arm64' ? 'aarch64' : 'x86_64'}-linux-gnu` : null,
  };
}

/** The files `p`'s package ships: the addon and its plugins. */
function binaries(p) {
  return [p.addon, p.plugin, p.pipewirePlugin].filter(Boolean);
}

/** The platforms napi.targets lists. */
function platforms() {
  return pkg.napi.targets.map(platform);
}

/** The platform of the running process (its napi triple), or null when napi.targets has none. */
function hostPlatform() {
  const musl = process.platform === 'linux' && !process.report?.getReport()?.header?.glibcVersionRuntime;
  const abi = process.platform === 'linux' ? (musl ? 'musl' : 'gnu') : process.platform === 'win32' ? 'msvc' : null;
  const name = [process.platform, process.arch, abi].filter(Boolean).join('-');
  return platforms().find((p) => p.name === name) ?? null;
}

/**
 * The packages a machine like `host` builds besides its own, and the packed
 * cross test runs (scripts/setup-platforms.sh installs the toolchains and
 * runtimes): from linux-x64-gnu, arm64 and musl through zig, Windows through
 * mingw-w64. macOS needs Apple's SDK; win32-x64-msvc needs Microsoft's CRT,
 * which cargo-xwin downloads from Microsoft, unreachable here.
 */
function crossTargets(host) {
  if (host?.name !== 'linux-x64-gnu') return [];
  return ['aarch64-unknown-linux-gnu', 'x86_64-unknown-linux-musl', 'x86_64-pc-windows-gnu'].map(platform);
}

/**
 * napi-build insists on a libnode.dll to link windows-gnu against; with
 * Node-API resolved at load time (crates/node/Cargo.toml) nothing is taken
 * from it, so an empty one does (the packed cross test checks the imports).
 * Returns the environment to build `p` with: LIBNODE_PATH for windows-gnu.
 */
function libnodeEnv(p, targetDir) {
  if (p.platform !== 'win32' || p.abi !== 'gnu') return {};
  const stub = path.join(targetDir, 'libnode-stub');
  fs.mkdirSync(stub, { recursive: true });
  const dll = path.join(stub, 'libnode.dll');
  try {
    execFileSync('x86_64-w64-mingw32-gcc', ['-shared', '-o', dll, '-x', 'c', '/dev/null']);
  } catch {
    // No mingw-w64: enough for type-checking (check:targets), which links nothing.
    if (!fs.existsSync(dll)) fs.writeFileSync(dll, '');
  }
  return { LIBNODE_PATH: stub };
}

module.exports = { root, pkg, GLIBC, platform, binaries, platforms, hostPlatform, crossTargets, libnodeEnv };
