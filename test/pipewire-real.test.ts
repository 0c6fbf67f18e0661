// The PipeWire hosts against a real PipeWire session: the project's own
// sandbox (scripts/pipewire-sandbox.sh), which .ci/run starts. Without it these
// tests are skipped, never passed; under .ci/run (RINGSTREAM_REQUIRE_PIPEWIRE=1)
// a missing sandbox fails.
import { describe, expect, it } from 'vitest';
import { findDelay, noise } from './helpers';
import { paplay, parecord, pwRequired, pwSandbox, pwSink } from './pipewire';

const sink = pwSink ?? '';

describe('the PipeWire sandbox', () => {
  it.runIf(pwRequired)('is running where the run requires it (.ci/run)', () => {
    expect(pwSandbox).toBe(true);
  });

  it.skipIf(!pwSandbox)('plays paplay into its sink and parecord records it back from the monitor, exactly', async () => {
    const sig = noise(2 * 24_000, 5);
    const rec = parecord(`${sink}.monitor`);
    await new Promise((r) => setTimeout(r, 300));
    await paplay(sink, sig);
    await new Promise((r) => setTimeout(r, 300));
    const got = await rec.stop();
    const d = findDelay(got, sig, 2);
    expect(d).toBeGreaterThanOrEqual(0);
    expect(got.subarray(2 * d, 2 * d + sig.length)).toEqual(sig);
  });
});
