/**
 * Loads the native addon before any module that uses it, so that a platform
 * without a prebuilt binary gets an error that names what was looked for and
 * how to build from source, instead of a loader stack trace.
 * @internal
 * @packageDocumentation
 */
import { ErrorCode } from '../common/errors.js';

/**
 * napi-rs's name for a platform, as in the package `ringstream-<name>`.
 * `platformName('freebsd', 'x64')` is `'freebsd-x64'`.
 * @internal
 */
export function platformName(platform: NodeJS.Platform = process.platform, arch: string = process.arch): string {
  const parts: string[] = [platform, arch];
  if (platform === 'linux') {
    const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
    parts.push(report?.header?.glibcVersionRuntime ? 'gnu' : 'musl');
  } else if (platform === 'win32') {
    parts.push('msvc');
  }
  return parts.join('-');
}

/** The BSDs where cpal has the ALSA, JACK, PulseAudio and PipeWire hosts (the plugin's `cfg(alsa_stack)`). */
const BSDS: readonly string[] = ['freebsd', 'netbsd', 'dragonfly'];

/** What a build from source needs on `platform`, besides Rust. */
function buildNeeds(platform: NodeJS.Platform): string {
  if (BSDS.includes(platform)) {
    return (
      'a C compiler, pkg-config and alsa-lib (FreeBSD: pkg install rust pkgconf alsa-lib; ' +
      'ringstream type-checks for FreeBSD but a BSD build has never been tried)'
    );
  }
  return 'a C compiler, pkg-config and the ALSA and JACK headers (Debian/Ubuntu: libasound2-dev libjack-jackd2-dev)';
}

/**
 * The error thrown when no native binary loads for platform `name`: it names
 * the package looked for and how to build from source.
 * @internal
 */
export function nativeBindingError(
  name: string,
  platform: NodeJS.Platform,
  cause: unknown,
): Error & { code: typeof ErrorCode.NATIVE_BINDING } {
  return Object.assign(
    new Error(
      `ringstream: no native binary loads for ${name} (Node.js ${process.versions.node}). ` +
        `npm installs it as the optional package ringstream-${name}: reinstall without --no-optional / --omit=optional. ` +
        `If there is no such package for your platform, build from source: install Rust (rustup), ` +
        `${buildNeeds(platform)}, ` +
        `then run \`npm install\` in a clone of the ringstream repository and install that folder. ` +
        `NAPI_RS_NATIVE_LIBRARY_PATH may name a .node file to load instead.`,
    ),
    { code: ErrorCode.NATIVE_BINDING, cause },
  );
}

try {
  require('../../index.js');
} catch (cause) {
  throw nativeBindingError(platformName(), process.platform, cause);
}
