// The peer bench's report: a markdown table, then the raw analysis of every
// recording (gap positions and lengths), then the ring and WAV figures.
'use strict';

const f1 = (v) => (v == null ? '-' : v.toFixed(1));
const f0 = (v) => (v == null ? '-' : v.toFixed(0));

function failure(r) {
  const first = String(r.error ?? 'failed').split('\n')[0];
  return `fails: ${first.slice(0, 120)}`;
}

function stallCell(s) {
  if (!s.ok && !s.heard) return failure(s);
  if (!s.heard) return 'nothing reached the device';
  const lost = s.missing ? `, ${s.missing} frames never played` : '';
  return `${s.gaps.length} gaps, ${f0(s.gapFrames / 48)} ms${lost}`;
}

function reportedCell(s) {
  const r = s?.reported;
  if (!r) return '-';
  if (s.logged) return `logged ${s.logged.lines} lines on stderr, e.g. "${s.logged.first}"`;
  if (r.xruns != null) return `${r.events.length} 'xrun' events: ${r.xruns} xruns, framesLost ${r.framesLost}`;
  if (r.errors?.length) return `errors: ${r.errors.slice(0, 2).join('; ')}`;
  return 'nothing';
}

function tailCell(t) {
  if (!t.heard) return t.ok ? 'nothing heard' : failure(t);
  return `${t.lostEnd} (start: ${t.lostStart})`;
}

function duplexCell(d) {
  if (!d.ok) return failure(d);
  if (d.unsupported) return 'no duplex';
  const delays = d.runs.map((r) => (r.delay == null ? 'none' : r.delay)).join(' / ');
  const rep = d.runs[0].reported == null ? 'not reported' : `reported ${d.runs.map((r) => r.reported).join(' / ')}`;
  return `${delays} (${rep})`;
}

function cpuCell(c) {
  return c.ok ? `${f1(c.cpuMsPerSecond)}` : failure(c);
}

/** The markdown table, one row per library (and one for ringstream with a buffer shorter than the stall). */
function table(rows) {
  const head = [
    'library',
    'fed as its docs stream',
    'stall test: gaps (total)',
    'what the library reported',
    'tail: frames lost at the end',
    'call to first sound (ms)',
    'CPU ms per s of audio',
    'peak RSS (MB)',
    'duplex round trip, frames (3 runs)',
  ];
  const lines = [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`];
  for (const r of rows) {
    const t = r.tail;
    const cells = [
      `${r.pkg} ${r.version ?? ''}`.trim(),
      r.how,
      stallCell(r.stall),
      reportedCell(r.stall),
      r.tail ? tailCell(t) : '-',
      r.tail?.heard ? f0(t.firstSoundMs) : '-',
      r.cpu ? cpuCell(r.cpu) : '-',
      r.cpu?.ok ? f0(r.cpu.maxRssMB) : '-',
      r.duplex ? duplexCell(r.duplex) : '-',
    ];
    lines.push(`| ${cells.map((c) => String(c).replace(/\|/g, '/')).join(' | ')} |`);
  }
  return lines.join('\n');
}

/** Every recording's analysis, as text. */
function raw(rows) {
  const out = [];
  for (const r of rows) {
    const s = r.stall;
    out.push(`${r.label}:`);
    if (s.heard) {
      const gaps = s.gaps.map((g) => `at ${f0(g.atMs)} ms: ${g.frames} frames (${f1(g.ms)} ms)`).join('; ') || 'none';
      out.push(
        `  stall: first sound ${f0(s.firstSoundMs)} ms after the call; gaps: ${gaps}; frames never played: ${s.missing}; stalls run: ${s.stalls}; recorder xruns: ${s.recorderXruns} (attempts ${s.attempts})`,
      );
    } else out.push(`  stall: ${s.ok ? 'nothing reached the device' : failure(s)}`);
    out.push(`  reported: ${JSON.stringify(s.reported ?? null)}${s.logged ? `; logged: ${JSON.stringify(s.logged)}` : ''}`);
    const t = r.tail;
    if (t?.heard) {
      out.push(
        `  tail: first sound ${f0(t.firstSoundMs)} ms after the call; lost at the start ${t.lostStart}, at the end ${t.lostEnd} frames; span ${t.span}, sounding ${t.sounding}, gaps ${t.gapFrames} frames; the call returned ${f0(t.returnedAfterLastSoundMs)} ms after the last sound; recorder xruns ${t.recorderXruns} (attempts ${t.attempts})`,
      );
    } else if (t) out.push(`  tail: ${t.ok ? 'nothing heard' : failure(t)}`);
    if (r.cpu)
      out.push(
        `  cpu: ${r.cpu.ok ? `${f1(r.cpu.cpuMsPerSecond)} ms per s over ${r.cpu.seconds} s (took ${f1(r.cpu.wall)} s), peak RSS ${f0(r.cpu.maxRssMB)} MB; reported ${JSON.stringify(r.cpu.reported ?? null)}` : failure(r.cpu)}`,
      );
    if (r.duplex) out.push(`  duplex: ${JSON.stringify(r.duplex.runs ?? r.duplex.error ?? 'no duplex')}`);
  }
  return out.join('\n');
}

module.exports = { table, raw };
