// The ringstream command's arguments, help, device list and failures: the
// real bin in a child process, on the virtual host.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OPTIONS } from '../src/cli/args';
import { parseSize, parseTime, parseVolume, toFrames } from '../src/cli/units';
import { parse } from '../src/cli/args';
import { plan } from '../src/cli/config';
import { count, fitHeader, latencyField } from '../src/cli/status';
import { cli, root } from './cli-helpers';
import { writeWav } from '../src/index';

const dir = mkdtempSync(join(tmpdir(), 'ringstream-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ringstream: sizes and times', () => {
  it('reads sizes with k K m M suffixes', () => {
    expect([
      parseSize('512', 'x'),
      parseSize('64K', 'x'),
      parseSize('48k', 'x'),
      parseSize('44.1k', 'x'),
      parseSize('1M', 'x'),
      parseSize('2m', 'x'),
    ]).toEqual([512, 65536, 48000, 44100, 1048576, 2000000]);
    for (const bad of ['', 'k', '1.5', '-3', '4G', '1e3']) expect(() => parseSize(bad, '--blocksize'), bad).toThrow(/--blocksize/);
  });

  it('reads [[H:]M:]S[.frac] seconds and samples with a trailing s', () => {
    const f = (t: string) => toFrames(parseTime(t, '--duration', true), 48000);
    expect([f('0.5'), f('1:30'), f('1:02:03.25'), f('.25'), f('1Ks'), f('480ks'), f('100s'), f('-1')]).toEqual([
      24000,
      90 * 48000,
      3723.25 * 48000,
      12000,
      1024,
      480000,
      100,
      -1,
    ]);
    for (const bad of ['1:xx', '1:60', '1.5:00', 'abc', '1:2:3:4', '-2', '1.5Ks.'])
      expect(() => parseTime(bad, '--duration', true), bad).toThrow(/--duration/);
    expect(() => parseTime('-1', '--offset')).toThrow(/--offset/);
  });

  it("reads sox's -v: a linear factor (negative inverts) or decibels with a dB suffix", () => {
    expect(['0.5', '2', '-1', '.25', '+1.5'].map((v) => parseVolume(v, '-v'))).toEqual([
      { factor: 0.5 },
      { factor: 2 },
      { factor: -1 },
      { factor: 0.25 },
      { factor: 1.5 },
    ]);
    expect(['-6dB', '+3dB', '0db', '-0.5DB'].map((v) => parseVolume(v, '-v'))).toEqual([{ db: -6 }, { db: 3 }, { db: 0 }, { db: -0.5 }]);
    for (const bad of ['', 'loud', '6 dB', 'dB', '1e3', '-6dBFS', '0x10'])
      expect(() => parseVolume(bad, '--volume'), bad).toThrow(/--volume: invalid value .*; expected a linear factor/);
  });

  it("the header breaks between fields to fit, cuts a field too long alone, and counts read as sox's", () => {
    const fields: [string, string][] = [
      ['', 'in.wav'],
      [' -> ', 'out.wav'],
      [' ', 'on virtual:loopback (virtual)'],
      [', ', '48000 Hz'],
    ];
    expect(fitHeader(fields, 'rs: ', undefined)).toEqual(['rs: in.wav -> out.wav on virtual:loopback (virtual), 48000 Hz']);
    expect(fitHeader(fields, 'rs: ', 40)).toEqual(['rs: in.wav -> out.wav', '  on virtual:loopback (virtual),', '  48000 Hz']);
    const long = fitHeader([['', `/${'a'.repeat(100)}/in.wav`], ...fields.slice(1)], 'rs: ', 40);
    for (const l of long) expect(l.length, l).toBeLessThan(40);
    expect(long[0]).toMatch(/^rs: \/a+\.\.\.a+\/in\.wav$/);
    expect(long[1]).toBe('  out.wav on virtual:loopback (virtual)');
    expect([0, 999, 1000, 49_152, 999_600, 1_234_567, 2e9].map(count)).toEqual(['0', '999', '1.00k', '49.2k', '999k', '1.23M', '2.00G']);
  });

  it('the header names each direction whose latency is known, and has no latency field when none is', () => {
    expect(latencyField([0.0213, 0.0107])).toEqual([[', ', 'latency out 10.7 ms, in 21.3 ms']]);
    expect(latencyField([0.0213, 0])).toEqual([[', ', 'latency in 21.3 ms']]);
    expect(latencyField([0, 0.0107])).toEqual([[', ', 'latency out 10.7 ms']]);
    expect(latencyField([0, 0])).toEqual([]);
  });

  it('-D PLAYBACK,RECORD is a pair; a comma before KEY= stays in an ALSA name', () => {
    const devices = (...args: string[]) => {
      const p = plan(parse(['in.wav', 'out.wav', ...args]), {});
      return [p.playback.device, p.record.device];
    };
    expect(devices('-D', 'virtual:loopback,virtual:null')).toEqual(['virtual:loopback', 'virtual:null']);
    expect(devices('-D', '1,0')).toEqual([1, 0]);
    expect(devices('-D', 'a', '-D', 'b')).toEqual(['a', 'b']);
    expect(devices('-D', 'hw:CARD=Loopback,DEV=0')).toEqual(['hw:CARD=Loopback,DEV=0', 'hw:CARD=Loopback,DEV=0']);
    expect(devices('-D', 'hw:CARD=Loopback,DEV=0,hw:CARD=Loopback,DEV=1')).toEqual(['hw:CARD=Loopback,DEV=0', 'hw:CARD=Loopback,DEV=1']);
    expect(() => devices('-D', 'a,')).toThrow(/--device: invalid value "a,"; expected PLAYBACK,RECORD/);
    expect(() => devices('-D', 'a,b', '-D', 'c')).toThrow(/at most two devices/);
    // A device for a direction that does not run is refused, not ignored.
    expect(() => plan(parse(['null', 'out.wav', '-D', 'a,b']), {})).toThrow(
      /^--device a is for playback, and INPUT is null: give -D b alone$/,
    );
    expect(() => plan(parse(['in.wav', '-D', 'a,b']), {})).toThrow(/^--device b is for recording, and OUTPUT is null: give -D a alone$/);
    expect(plan(parse(['null', 'out.wav', '-D', 'b,b']), {}).record.device).toBe('b');
  });
});

describe('ringstream: the command line', () => {
  it('--version prints the package version and loads no audio code', () => {
    const r = cli(['--version']);
    expect(r.status).toBe(0);
    const { version } = require(join(root, 'package.json')) as { version: string };
    expect(r.stdout.toString()).toBe(`ringstream ${version}\n`);
  });

  it('--help lists every option with its default', () => {
    const r = cli(['-h']);
    expect(r.status).toBe(0);
    const text = r.stdout.toString();
    for (const o of OPTIONS) {
      const line = text.split('\n').find((l) => new RegExp(`^ +(-\\w, )? *--${o.long}\\b`).test(l));
      expect(line, o.long).toBeDefined();
      if (o.short) expect(line).toContain(`-${o.short}, --${o.long}`);
      if (o.value) expect(line).toContain(`[default: ${o.default}]`);
    }
    expect(text).toMatch(/--buffersize SIZE .*\[default: 65536\]/);
  });

  it('-l lists the virtual devices as a numbered table with a header, marks, ids, host and channels, and nothing on stderr', () => {
    const r = cli(['-l', '-H', 'virtual']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.toString().trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ +# +ID +NAME +HOST +IN +OUT +RATE$/);
    expect(lines[1]).toMatch(/^\* +0 +virtual:loopback +loopback +virtual +32 +32 +48000 Hz$/);
    expect(lines[2]).toMatch(/^ +1 +virtual:null +null +virtual +32 +32 +48000 Hz$/);
    expect(lines[3]).toMatch(/^ +2 +virtual:stereo48 +stereo48 +virtual +2 +2 +48000 Hz$/);
    expect(lines).toHaveLength(4);
  });

  it('-l without a host lists every host, each direction marked once per host, with the legend, and no ALSA or JACK noise on stderr', () => {
    const r = cli(['-l']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const text = r.stdout.toString();
    expect(text).toMatch(/virtual:loopback/);
    expect(text).toMatch(/> default input, < default output, \* both \(once per host\); default host: \w+/);
    const rows = text.split('\n').filter((l) => /^. +\d+ /.test(l));
    rows.forEach((l, i) => expect(Number(l.slice(1).trim().split(/ +/)[0])).toBe(i));
    const hosts = new Set(rows.map((l) => l.trim().split(/ +/).at(-5)));
    expect(hosts).toContain('virtual'); // the host column, read right
    for (const host of hosts) {
      const marked = rows.filter((l) => l.trim().split(/ +/).at(-5) === host).map((l) => l[0]);
      expect(marked.filter((m) => m === '*' || m === '>').length, host).toBeLessThanOrEqual(1);
      expect(marked.filter((m) => m === '*' || m === '<').length, host).toBeLessThanOrEqual(1);
    }
  });

  it('-D N opens row N of -l (counted over every host), and a number past the list says how many there are', () => {
    const text = cli(['-l']).stdout.toString();
    const host = /default host: (\w+)/.exec(text)![1];
    const rows = text.split('\n').filter((l) => /^. +\d+ /.test(l));
    // A row of another host than the default: its number is not the default host's index.
    const n = rows.findIndex((l) => !l.includes(` ${host} `) && / [1-9]\d* +[1-9]\d* +\d+ Hz$/.test(l));
    expect(n).toBeGreaterThan(-1);
    const id = rows[n].slice(1).trim().split(/ +/)[1];
    const r = cli(['null', join(dir, 'n.wav'), '-D', String(n), '-d', '0.05']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(` on ${id} (`);
    const past = cli(['null', join(dir, 'n.wav'), '-D', String(rows.length), '-d', '0.05']);
    expect(past.status).toBe(1);
    expect(past.stderr).toContain(
      `no device number ${rows.length}; there are ${rows.length}, numbered 0 to ${rows.length - 1} (see ringstream -l)`,
    );
  });

  it('a bad duration exits 2 naming the option and the value', () => {
    const r = cli(['null', join(dir, 'x.wav'), '-H', 'virtual', '-d', '1:xx']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--duration: invalid value "1:xx"/);
  });

  it('an unknown option exits 2 with the nearest known one', () => {
    const r = cli(['--durashun', '3', 'a.wav']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown option --durashun; did you mean --duration\?/);
  });

  it('error wording: says what was wrong and what would be right, with no unlikely suggestion', () => {
    const err = (...args: string[]) => {
      const r = cli(['a.wav', ...args]);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      return r.stderr.trim();
    };
    // -c 0 is about channels, not size suffixes.
    expect(err('-c', '0')).toMatch(/^ringstream: --channels: invalid value "0"; expected a whole number of channels, 1 or more/);
    expect(err('-c', '0')).not.toMatch(/suffix/);
    // An unknown letter suggests nothing (every letter is "near" -l); another case does.
    expect(err('-x')).toBe('ringstream: unknown option -x (see ringstream --help)');
    expect(err('-L')).toMatch(/unknown option -L; did you mean -l\?/);
    expect(err('--speed', '3')).toBe('ringstream: unknown option --speed (see ringstream --help)');
    // -v: what it takes, and that it scales the playback only.
    expect(err('-v', 'loud')).toMatch(
      /^ringstream: --volume: invalid value "loud"; expected a linear factor such as 0\.5 .* or decibels such as -6dB/,
    );
    const rec = cli(['null', join(dir, 'o.wav'), '-v', '0.5']);
    expect(rec.status).toBe(2);
    expect(rec.stderr.trim()).toBe(
      'ringstream: --volume scales what is played, and INPUT is null (nothing is played) (see ringstream --help)',
    );
    expect(err('--blocksiz', '3')).toMatch(/did you mean --blocksize\?/);
    // A missing value in our style, not parseArgs' "Option '-d, --duration <value>' argument missing".
    expect(err('-d')).toMatch(/^ringstream: --duration: missing value; expected TIME after it/);
  });

  it('-s / --channel-select is refused as ASIO-only (exit 2), pointing at -m', () => {
    for (const o of ['-s', '--channel-select']) {
      const r = cli(['a.wav', o, '1']);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`^ringstream: ${o} is ASIO-only .*; use -m CHMAP to pick channels`));
    }
  });

  it('a missing input file exits 1 with one line naming it, and creates no output', () => {
    const out = join(dir, 'never.wav');
    const r = cli([join(dir, 'missing.wav'), out, '-H', 'virtual']);
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/missing\.wav.*\[ERR_IO\]/);
    expect(() => require('node:fs').statSync(out)).toThrow();
  });

  it('RAW input without its layout exits 2 naming what is missing', () => {
    const r = cli(['-', 'null', '-t', 'raw', '-H', 'virtual'], { input: Buffer.alloc(16) });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/RAW input needs --rate, --channels, --encoding/);
    const o = cli(['null', '-', '-t', 'raw', '-H', 'virtual', '-d', '10s']);
    expect(o.status).toBe(2);
    expect(o.stderr).toMatch(/RAW output needs --encoding/);
  });

  it('@file reads arguments from a file, one per line', () => {
    const args = join(dir, 'args.txt');
    writeFileSync(args, ['-H', 'virtual', '-d', 'nonsense'].join('\n'));
    const r = cli(['null', join(dir, 'y.wav'), `@${args}`]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--duration: invalid value "nonsense"/);
    const missing = cli(['@' + join(dir, 'nope.txt')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/nope\.txt: cannot read the argument file/);
  });

  it('a bad device exits 1 with the device error; a bad buffersize exits 2', () => {
    const r = cli(['null', join(dir, 'z.wav'), '-D', 'virtual:nowhere', '-d', '0.1']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/\[ERR_DEVICE_NOT_FOUND\]/);
    // The device is named as given, not in Rust's debug form (Name("nope"), Index(99)).
    expect(r.stderr).toMatch(/no device named 'virtual:nowhere'; devices: virtual:loopback, virtual:null.* \(see ringstream -l\)/);
    const i = cli(['null', join(dir, 'z.wav'), '-H', 'virtual', '-D', '99', '-d', '0.1']);
    expect(i.stderr).toMatch(/no device matches index 99;.*\(see ringstream -l\)/);
    // Names match case aside, as sounddevice's do.
    const c = cli(['null', join(dir, 'z.wav'), '-H', 'virtual', '-D', 'LoopBack', '-d', '0.05']);
    expect(c.status, c.stderr).toBe(0);
    expect(c.stderr).toContain(' on virtual:loopback (');
    const b = cli(['null', join(dir, 'z.wav'), '-H', 'virtual', '--buffersize', '1000']);
    expect(b.status).toBe(2);
    expect(b.stderr).toMatch(/--buffersize: invalid value "1000"; expected a power of 2/);
  });

  it('-D PLAYBACK,RECORD on two devices says it cannot (exit 1); the same device twice, any case, runs', async () => {
    const input = join(dir, 'two.wav');
    await writeWav(input, new Float32Array(2 * 4800), { samplerate: 48000, channels: 2, format: 'f32' });
    const r = cli([input, join(dir, 'two-out.wav'), '-D', 'virtual:loopback,virtual:null']);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr.trim()).toBe(
      'ringstream: recording on virtual:null and playing on virtual:loopback at once needs two devices on one clock, which no host here runs (one duplex stream plays and records on one device); give one device for both, or open an InputStream and an OutputStream [ERR_UNSUPPORTED_CONFIG]',
    );
    const same = cli([input, join(dir, 'two-out.wav'), '-D', 'virtual:loopback,Virtual:Loopback', '-q']);
    expect(same.status, same.stderr).toBe(0);
  });

  it('-c , -e , and -m : are refused with exit 2, naming the option', () => {
    for (const [opt, val] of [
      ['-c', ','],
      ['-e', ','],
      ['-m', ':'],
      ['-m', '1:0'],
      ['-m', '1,x'],
      ['-m', '1:2,2:2'],
    ]) {
      const r = cli(['null', join(dir, 'c.wav'), '-H', 'virtual', '-d', '0.1', opt, val]);
      expect(r.status, `${opt} ${val}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(/--(channels|encoding|map): invalid value/);
    }
    const three = cli(['-m', '1', '2', 'null', join(dir, 'c.wav'), '-m', '3']);
    expect(three.status).toBe(2);
    expect(three.stderr).toMatch(/at most two maps/);
  });

  it("-r other than an input file's rate exits 2 in the one style, naming the file's rate; -r equal to it runs", async () => {
    const input = join(dir, 'rate44.wav');
    await writeWav(input, new Float32Array(4410), { samplerate: 44100, channels: 1, format: 'f32' });
    const out = join(dir, 'rate-out.wav');
    const r = cli([input, out, '-H', 'virtual', '-r', '48k']);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr.trim()).toBe(
      `ringstream: --rate: invalid value "48000"; expected the input's own rate, 44100 Hz, or no --rate (a file plays at its rate and the engine converts to the device's) (see ringstream --help)`,
    );
    expect(() => require('node:fs').statSync(out)).toThrow();
    const same = cli([input, 'null', '-H', 'virtual', '-r', '44.1k', '-q']);
    expect(same.status, same.stderr).toBe(0);
  });

  it('an output named .flac, .aiff or .au records in that format; .ogg and .mp3 are refused (exit 2, nothing written)', () => {
    for (const ext of ['flac', 'aiff', 'au']) {
      const out = join(dir, `out.${ext}`);
      const r = cli(['null', out, '-H', 'virtual', '-d', '0.1']);
      expect(r.status, r.stderr).toBe(0);
      expect(execFileSync('soxi', ['-t', out], { encoding: 'utf8' }).trim()).toBe(ext === 'aiff' ? 'aiff' : ext);
    }
    for (const ext of ['ogg', 'mp3']) {
      const out = join(dir, `out.${ext}`);
      const r = cli(['null', out, '-H', 'virtual', '-d', '0.1']);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/can be read but not written/);
      expect(() => require('node:fs').statSync(out)).toThrow();
    }
  });
});
