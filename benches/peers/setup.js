// What the peer bench needs before it runs: the pinned peers installed here
// (idempotent: `npm ci` only when one is missing), and a dedicated audio
// sandbox whose ALSA `default` is the loopback (for the libraries that cannot
// choose a device), started if it is not running and stopped at the end.
'use strict';
const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const HERE = __dirname;
const ROOT = path.resolve(HERE, '../..');
const PEERS = Object.keys(require('./package.json').dependencies);

const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;

/** Installs what is missing (cmake for audify's RtAudio; the peers themselves). */
function installPeers() {
  const missing = PEERS.filter((p) => !fs.existsSync(path.join(HERE, 'node_modules', p, 'package.json')));
  if (missing.length === 0) return;
  if (!has('cmake')) {
    if (process.getuid?.() === 0 && has('apt-get')) {
      console.log('peers: installing cmake (apt-get), needed to build audify (RtAudio)');
      execFileSync('apt-get', ['install', '-y', '-qq', 'cmake'], {
        stdio: 'inherit',
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      });
    } else {
      console.log('peers: cmake is missing; audify will not build. Install it: sudo apt-get install cmake');
    }
  }
  // node-gyp cannot download Node's headers here: point it at the running node's own.
  const nodedir = path.resolve(process.execPath, '../..');
  console.log(`peers: npm ci in ${path.relative(ROOT, HERE)} (missing: ${missing.join(', ')}; node headers from ${nodedir})`);
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], {
    cwd: HERE,
    stdio: 'inherit',
    env: { ...process.env, npm_config_nodedir: nodedir },
  });
}

/** The exact version of each peer as installed. */
function versions() {
  const out = {};
  for (const p of PEERS) {
    try {
      out[p] = JSON.parse(fs.readFileSync(path.join(HERE, 'node_modules', p, 'package.json'), 'utf8')).version;
    } catch {
      out[p] = null;
    }
  }
  out.ringstream = require(path.join(ROOT, 'package.json')).version;
  return out;
}

function sandboxScript() {
  const candidates = [process.env.AUDIO_SANDBOX_SCRIPT, path.resolve(ROOT, '../shared/audio-sandbox.sh'), '/work/shared/audio-sandbox.sh'];
  const found = candidates.find((c) => c && fs.existsSync(c));
  if (!found) throw new Error(`audio-sandbox.sh not found (tried ${candidates.filter(Boolean).join(', ')}); set AUDIO_SANDBOX_SCRIPT`);
  return found;
}

/**
 * Starts (or reuses) the bench's own sandbox and puts its environment into
 * process.env, so every child process sees it. Returns a stop function that
 * stops it only if this call started it.
 */
function startSandbox() {
  const script = sandboxScript();
  const env = {
    ...process.env,
    AUDIO_SANDBOX_DIR: process.env.PEERS_SANDBOX_DIR ?? '/tmp/ringstream-peers-sandbox',
    AUDIO_SANDBOX_SERVER: process.env.PEERS_SANDBOX_SERVER ?? 'ringstream-peers',
    AUDIO_SANDBOX_DEFAULT: 'loopback',
  };
  const running = spawnSync('bash', [script, 'status'], { env, stdio: 'ignore' }).status === 0;
  const lines = execFileSync('bash', [script, 'start'], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  for (const m of lines.matchAll(/^export (\w+)=(.*)$/gm)) process.env[m[1]] = m[2];
  for (const k of ['AUDIO_SANDBOX_DIR', 'AUDIO_SANDBOX_SERVER', 'AUDIO_SANDBOX_DEFAULT']) process.env[k] = env[k];
  const period = Number(execFileSync('jack_bufsize', { encoding: 'utf8' }).trim());
  return {
    period,
    stop() {
      if (!running) spawnSync('bash', [script, 'stop'], { env, stdio: 'ignore' });
    },
  };
}

module.exports = { installPeers, versions, startSandbox, ROOT };
