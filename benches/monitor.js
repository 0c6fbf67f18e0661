// The Monitor's cost per call, and the CPU per second of audio of a
// worker-fed playback: 5 s of virtual-device playback at real-time pace
// with and without a Monitor every 10 ms (stereo, 0.01 s windows), the
// difference in process CPU divided by the calls.
'use strict';
const rs = require('..');

async function run(withMonitor) {
  const s = new rs.OutputStream({ device: 'virtual:null', channels: 2, blocksize: 256 });
  const sig = new Float32Array(2 * 48000 * 5).fill(0.1);
  let calls = 0;
  const mon = withMonitor ? new rs.Monitor(s, () => calls++, { interval: 0.01 }) : undefined;
  const cpu0 = process.cpuUsage();
  await s.play(sig);
  const cpu = process.cpuUsage(cpu0);
  mon?.stop();
  await s.close();
  return { cpuMs: (cpu.user + cpu.system) / 1000, calls };
}

module.exports = async () => {
  const base = await run(false);
  const mon = await run(true);
  const per = (mon.cpuMs - base.cpuMs) / Math.max(1, mon.calls);
  console.log(
    `Monitor, 10 ms windows of stereo over 5 s: ${mon.calls} calls, ${(per * 1000).toFixed(1)} us CPU per call (${mon.cpuMs.toFixed(0)} vs ${base.cpuMs.toFixed(0)} ms)`,
  );
  console.log(`playback CPU per second of audio without a monitor: ${(base.cpuMs / 5).toFixed(1)} ms`);
};
if (require.main === module) module.exports();
