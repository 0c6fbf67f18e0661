// Runs one library's scenario in a child process, with the JACK recorder in
// another when the scenario is heard: returns the child's JSON result and the
// recording (interleaved float32) with the recorder's clock mapping.
'use strict';
const { fork, spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const SR = 48000;

/** Runs `node child.js ...args`; resolves with its last JSON line (or the failure), never rejects. */
function child(args, timeoutMs) {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [path.join(__dirname, 'child.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.on('close', (code, sig) => {
      clearTimeout(timer);
      const line = out
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .pop();
      let result;
      try {
        result = line ? JSON.parse(line) : undefined;
      } catch {
        result = undefined;
      }
      if (!result)
        result = { ok: false, error: sig ? `killed by ${sig} (timeout ${timeoutMs} ms or crash)` : `exit code ${code}, no result` };
      if (code !== 0 && result.ok) result.exitCode = code;
      result.stderr = err.trim().split('\n').slice(-6).join('\n');
      // what a library only logs (naudiodon prints PortAudio's status flags) is still a report
      const logged = err.split('\n').filter((l) => /underflow|overflow|underrun|overrun|xrun/i.test(l));
      if (logged.length) result.logged = { lines: logged.length, first: logged[0].trim() };
      resolve(result);
    });
  });
}

/** Starts the recorder; resolves once it records, with a stop() that resolves with the recording. */
function recorder() {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ringstream-peers-')), 'rec.f32');
  const p = fork(path.join(__dirname, 'recorder.js'), [file, '60'], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  let err = '';
  p.stderr.on('data', (d) => (err += d));
  const exited = new Promise((resolve) => p.on('exit', resolve));
  let result;
  p.on('message', (m) => {
    if (m.result) result = m.result;
  });
  return new Promise((resolve, reject) => {
    p.once('message', (m) => {
      if (!m.ready) return reject(new Error('recorder: unexpected message'));
      resolve({
        t0Ns: m.t0Ns,
        async stop() {
          p.send('stop');
          await exited;
          if (!result) throw new Error(`recorder failed: ${err}`);
          const b = fs.readFileSync(file);
          fs.rmSync(path.dirname(file), { recursive: true, force: true });
          return { ...result, data: new Float32Array(b.buffer, b.byteOffset, b.length / 4) };
        },
      });
    });
    p.once('exit', (code) => reject(new Error(`recorder exited (${code}) before recording: ${err}`)));
  });
}

/** One heard run: the recorder, the library's child, 0.5 s more of recording. */
async function heard(args, timeoutMs) {
  const rec = await recorder();
  const result = await child(args, timeoutMs);
  await new Promise((r) => setTimeout(r, 500));
  const recording = await rec.stop();
  return { result, recording };
}

/** Nanoseconds on the recorder's clock of recorded frame `f`. */
const frameTimeNs = (recording, f) => recording.t0Ns + (f / SR) * 1e9;

module.exports = { child, heard, frameTimeNs };
