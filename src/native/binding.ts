/**
 * Loads the native addon before any module that uses it, so that a platform
 * without a prebuilt binary gets an error that names what was looked for and
 * how to build from source, instead of a loader stack trace.
 * @internal
 * @packageDocumentation
 */
import { ErrorCode } from '../common/errors.js';

/** napi-rs's name for this platform, as in the package `ringstream-<name>`. */
function platformName(): string {
  const parts: string[] = [process.platform, process.arch];
  if (process.platform === 'linux') {
    const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
    parts.push(report?.header?.glibcVersionRuntime ? 'gnu' : 'musl');
  } else if (process.platform === 'win32') {
    parts.push('msvc');
  }
  return parts.join('-');
}

try {
  require('../../index.js');
} catch (cause) {
  const name = platformName();
  throw Object.assign(
    new Error(
      `ringstream: no native binary loads for ${name} (Node.js ${process.versions.node}). ` +
        `npm installs it as the optional package ringstream-${name}: reinstall without --no-optional / --omit=optional. ` +
        `If there is no such package for your platform, build from source: install Rust (rustup), ` +
        `a C compiler, pkg-config and the ALSA and JACK headers (Debian/Ubuntu: libasound2-dev libjack-jackd2-dev), ` +
        `then run \`npm install\` in a clone of the ringstream repository and install that folder. ` +
        `NAPI_RS_NATIVE_LIBRARY_PATH may name a .node file to load instead.`,
    ),
    { code: ErrorCode.NATIVE_BINDING, cause },
  );
}
