// WASM-vs-native decisions per second, in one run, on the same URL stream,
// bundle, policy, request context and time:
//   - Node: engine.decide({url, group, age, device, time}) of the Node build
//     (wasm/pkg/node): reading the request object, canonicalize + classify +
//     evaluate, and the `check --json`-shaped object the caller gets (built
//     directly as a JS object by wasm/src/decision.rs);
//   - native: esafety::policy::Engine::check, the same canonicalize +
//     classify + evaluate, returning the same report as a Rust value (what a
//     Rust caller gets), from the release example `decide_stream`
//     (wasm/bench/decide_stream.rs).
// Both halves count their actions over one pass; the counts must agree.
//
// Usage (from the repository root, after scripts/build-wasm.sh):
//   node wasm/bench/decide.mjs [--seconds 3] [--bundle B.esb] [--urls FILE]
//       [--policy policies/secondary-pupils.toml] [--no-native]
// Default URL stream: $ESAFETY_DATA/peer-lists/top500-sitelist.txt (20,603
// real page URLs); default bundle: the built-in sample bundle.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { dataDir, loadNodePackage, REPO } from '../test/helpers.mjs';

const { values: opts } = parseArgs({
  options: {
    seconds: { type: 'string', default: '3' },
    bundle: { type: 'string' },
    urls: { type: 'string' },
    policy: { type: 'string', default: 'policies/secondary-pupils.toml' },
    time: { type: 'string', default: '2026-03-02T10:00:00Z' },
    'no-native': { type: 'boolean', default: false },
  },
});
const seconds = Number(opts.seconds);
const urlsPath = resolve(opts.urls ?? join(dataDir(), 'peer-lists', 'top500-sitelist.txt'));
if (!existsSync(urlsPath)) {
  console.error(`bench: ${urlsPath} is missing; set ESAFETY_DATA or pass --urls`);
  process.exit(2);
}
const policyPath = resolve(REPO, opts.policy);
const bundlePath = opts.bundle ? resolve(opts.bundle) : null;
const urls = readFileSync(urlsPath, 'utf8').split('\n').map((l) => l.trim()).filter(Boolean);

// --- Node (WebAssembly) ---
const esafety = loadNodePackage();
let t = performance.now();
const bundle = bundlePath ? esafety.Bundle.fromBytes(readFileSync(bundlePath)) : esafety.sampleBundle();
const bundleMs = performance.now() - t;
t = performance.now();
const engine = new esafety.Engine(bundle, esafety.Policy.load(readFileSync(policyPath, 'utf8'), opts.policy));
const engineMs = performance.now() - t;
const time = Date.parse(opts.time);
const request = { url: '', group: 'pupils', age: 14, device: 'managed', time };

const actions = {};
let errors = 0;
for (const url of urls) {
  request.url = url;
  try {
    const a = engine.decide(request).action;
    actions[a] = (actions[a] ?? 0) + 1;
  } catch {
    errors += 1;
  }
}
let decisions = 0;
let sink = 0;
const start = performance.now();
while (performance.now() - start < seconds * 1000) {
  for (const url of urls) {
    request.url = url;
    try {
      sink += engine.decide(request).reasons.length;
    } catch {
      sink += 1;
    }
  }
  decisions += urls.length;
}
const nodeSeconds = (performance.now() - start) / 1000;
const wasm = { decisions, seconds: nodeSeconds, decisions_per_second: decisions / nodeSeconds, actions, errors };

// --- native ---
let native = null;
if (!opts['no-native']) {
  const args = ['run', '--quiet', '--release', '-p', 'esafety-wasm', '--example', 'decide_stream', '--',
    '--urls', urlsPath, '--policy', policyPath, '--seconds', String(seconds), '--time', opts.time];
  if (bundlePath) args.push('--bundle', bundlePath);
  native = JSON.parse(execFileSync('cargo', args, { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }));
}

const fmt = (n) => Math.round(n).toLocaleString('en-GB');
console.log(`URL stream: ${urlsPath} (${urls.length} URLs)`);
console.log(`bundle: ${bundlePath ?? 'built-in sample'} (${bundle.info().lists.reduce((n, l) => n + l.entries, 0)} entries; Bundle.fromBytes ${bundleMs.toFixed(1)} ms, new Engine ${engineMs.toFixed(1)} ms in Node)`);
console.log(`policy: ${opts.policy}; request: group pupils, age 14, managed, time ${opts.time}`);
console.log(`node ${process.version} (WebAssembly): ${fmt(wasm.decisions_per_second)} decisions/s (${wasm.decisions} in ${wasm.seconds.toFixed(2)} s) actions ${JSON.stringify(actions)} errors ${errors}`);
if (native) {
  console.log(`native Rust (release):      ${fmt(native.decisions_per_second)} decisions/s (${native.decisions} in ${native.seconds.toFixed(2)} s) actions ${JSON.stringify(native.actions)} errors ${native.errors}`);
  console.log(`native / WebAssembly: ${(native.decisions_per_second / wasm.decisions_per_second).toFixed(2)}x (goal: within 3x)`);
  const same = JSON.stringify(native.actions) === JSON.stringify(Object.fromEntries(Object.entries(actions).sort())) && native.errors === errors;
  console.log(`same decisions: ${same ? 'yes' : 'NO'}`);
  if (!same) process.exitCode = 1;
}
if (sink < 0) console.log(sink);
