// JACK plumbing for the real-device tests: the sandbox's loopback client.
import { execFileSync } from 'node:child_process';
import { expect } from 'vitest';

/** The JACK server's period (the sandbox's AUDIO_SANDBOX_PERIOD, 1024 by default). */
export const jackPeriod = (): number => Number(execFileSync('jack_bufsize', { encoding: 'utf8' }).trim());

/** The JACK ports that exist now. */
export const jackPorts = (): Set<string> => new Set(execFileSync('jack_lsp', { encoding: 'utf8' }).split('\n').filter(Boolean));

/** Connects a JACK duplex stream's ports (`channels` each way) to the sandbox loopback client; returns them. */
export function jackLoop(before: Set<string>, channels = 2): { outs: string[]; ins: string[] } {
  const ports = new Set(execFileSync('jack_lsp', { encoding: 'utf8' }).split('\n').filter(Boolean));
  const mine = [...ports].filter((p) => !before.has(p));
  const byIndex = (re: RegExp) =>
    mine.filter((p) => re.test(p)).sort((a, b) => Number(a.match(/(\d+)$/)![1]) - Number(b.match(/(\d+)$/)![1]));
  const outs = byIndex(/:out_\d+$/);
  const ins = byIndex(/:in_\d+$/);
  expect(outs).toHaveLength(channels);
  expect(ins).toHaveLength(channels);
  outs.forEach((p, i) => execFileSync('jack_connect', [p, `loopback:input_${i + 1}`]));
  ins.forEach((p, i) => execFileSync('jack_connect', [`loopback:output_${i + 1}`, p]));
  return { outs, ins };
}

/** Our JACK ports' latencies (playback of our outputs + capture of our inputs), from jack_lsp. */
export function jackPortLatency(outs: string[], ins: string[]): number {
  const lat = (port: string, which: 'playback' | 'capture') => {
    const text = execFileSync('jack_lsp', ['-l', port], { encoding: 'utf8' });
    const m = text.match(new RegExp(`port ${which} latency = \\[ (\\d+) (\\d+) \\]`));
    if (!m) throw new Error(`no ${which} latency for ${port} in ${text}`);
    return Number(m[2]);
  };
  return Math.max(...outs.map((p) => lat(p, 'playback'))) + Math.max(...ins.map((p) => lat(p, 'capture')));
}
