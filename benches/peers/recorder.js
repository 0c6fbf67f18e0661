// The recording side of the peer bench, in its own process: a ringstream JACK
// input on the sandbox's `loopback` client output ports, i.e. what every
// library played into ALSA `loopback`. It records until the parent sends
// 'stop' (or `maxSeconds` pass), then writes the raw float32 frames to
// `out` and prints one JSON line: the frames, the xruns, and `t0Ns`, the
// process.hrtime (CLOCK_MONOTONIC, shared by every process) of recorded frame
// 0, so a player's call time can be placed in the recording.
// Usage: node recorder.js OUT.f32 [maxSeconds]
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const rs = require(path.resolve(__dirname, '../../dist/index.js'));

const SR = 48000;
const CH = 2;

const ports = () => new Set(execFileSync('jack_lsp', { encoding: 'utf8' }).split('\n').filter(Boolean));

/**
 * Maps stream frames to hrtime: polls frameCount for `ms` and keeps the
 * earliest (t - frames / SR) seen, i.e. the wake-up closest to the callback.
 */
function clockOffset(s, ms) {
  let best = Infinity;
  let last = s.frameCount;
  const end = process.hrtime.bigint() + BigInt(ms) * 1_000_000n;
  for (let t = process.hrtime.bigint(); t < end; t = process.hrtime.bigint()) {
    const f = s.frameCount;
    if (f !== last) {
      last = f;
      const off = Number(t) - (f / SR) * 1e9;
      if (off < best) best = off;
    }
  }
  return best;
}

async function main() {
  const [out, maxSeconds = '60'] = process.argv.slice(2);
  const before = ports();
  const s = new rs.InputStream({ host: 'jack', samplerate: SR, channels: CH });
  const mine = [...ports()].filter((p) => !before.has(p) && /:in_\d+$/.test(p)).sort();
  if (mine.length !== CH) throw new Error(`expected ${CH} new JACK input ports, found ${mine.join(', ')}`);
  mine.forEach((p, i) => execFileSync('jack_connect', [`loopback:output_${i + 1}`, p]));
  const buf = new Float32Array(Number(maxSeconds) * SR * CH);
  const done = s.record({ out: buf });
  while (s.frameCount === 0) await new Promise((r) => setTimeout(r, 1));
  const t0Ns = clockOffset(s, 400);
  process.send?.({ ready: true, t0Ns });
  process.on('message', (m) => {
    if (m === 'stop') s.stop();
  });
  const rec = await done;
  const frames = rec.length / CH;
  fs.writeFileSync(out, Buffer.from(rec.buffer, rec.byteOffset, rec.byteLength));
  const result = { frames, t0Ns, xruns: s.xruns, framesLost: s.framesLost, latency: s.latency, blocksize: s.blocksize };
  await s.close();
  process.send?.({ result });
  console.log(JSON.stringify(result));
  process.disconnect?.();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
