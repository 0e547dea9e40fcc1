// The example extension's figures in headless Chromium, with a ~100k-entry
// bundle embedded in a copy of the extension (compiled from the real public
// lists, as browser-load.mjs does):
//
// - per-request decision time inside the service worker: the blocking
//   listener itself (`onBeforeRequest`: the engine's decision and the
//   answer), over 10,000 requests of the real URL stream
//   (top500-sitelist.txt, in order, repeated as needed); median and p99.
//   The worker's clock is coarsened (an extension worker is not
//   cross-origin isolated), so each URL is timed over `--repeat` calls in a
//   row and divided; the clock's step is printed.
// - engine ready time after the worker starts: `performance.now()` in the
//   worker (its origin is the worker's start) when the engine is built at
//   the script's top level (what decides the first event of an install
//   without policy) and, installed by policy, when the engine of the
//   managed configuration is in use.
// - worker memory: the resident set of the extension's renderer process
//   (/proc/PID/status VmRSS), with the engine built.
//
// The peer in the same run: the same decisions in Node (the package's Node
// build over the same bundle and URLs), per call.
//
// Usage (repository root, after scripts/build-wasm.sh; the managed half
// writes a policy file into /etc/chromium/policies/managed/ and removes it):
//   node wasm/bench/extension.mjs [--bundle B.esb] [--requests 10000] [--repeat 20] [--runs 5] [--no-managed] [--cli path/to/esafety]
// --runs: fresh browser starts per mode; the ready times printed are their medians.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { dataDir, launchWithExtension, loadNodePackage, REPO, WASM_DIR } from '../test/helpers.mjs';
import { readEmbedded, writeEmbedded } from '../extension/build.mjs';

const { values: opts } = parseArgs({
  options: {
    bundle: { type: 'string' },
    requests: { type: 'string', default: '10000' },
    repeat: { type: 'string', default: '100' },
    'no-managed': { type: 'boolean', default: false },
    cli: { type: 'string', default: process.env.ESAFETY_CLI },
    runs: { type: 'string', default: '5' },
  },
});
const runs = Math.max(1, Math.trunc(Number(opts.runs)) || 1);
const requests = Number(opts.requests);
const repeat = Number(opts.repeat);
const work = mkdtempSync(join(tmpdir(), 'esafety-ext-bench-'));
const lists = join(dataDir(), 'peer-lists');
let bundlePath = opts.bundle ? resolve(opts.bundle) : null;
if (!bundlePath) {
  bundlePath = join(work, 'lists.esb');
  const [cmd, pre] = opts.cli ? [resolve(opts.cli), []] : ['cargo', ['run', '--quiet', '--release', '-p', 'esafety-cli', '--']];
  execFileSync(cmd, [...pre, 'compile',
    '--list', `local-ads=${join(lists, 'easylist.txt')}`,
    '--list', `local-tracking=${join(lists, 'easyprivacy.txt')}`,
    '--list', `local-scam=${join(lists, 'spam404-main-blacklist.txt')}`,
    '-o', bundlePath], { cwd: REPO, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, SOURCE_DATE_EPOCH: '1767225600' } });
}
const bundle = readFileSync(bundlePath);
const stream = readFileSync(join(lists, 'top500-sitelist.txt'), 'utf8').split('\n').filter((l) => /^https?:/.test(l));
const urls = Array.from({ length: requests }, (_, i) => stream[i % stream.length]);

const ext = join(work, 'extension');
cpSync(join(WASM_DIR, 'extension'), ext, { recursive: true });
writeEmbedded(ext, { ...(await readEmbedded(join(WASM_DIR, 'extension'))), bundle });
const { context } = await readEmbedded(ext).then((e) => ({ context: e.config }));
const entries = (() => {
  const node = loadNodePackage();
  const b = node.Bundle.fromBytes(bundle);
  const n = b.info().lists.reduce((sum, l) => sum + l.entries, 0);
  b.free();
  return n;
})();

/** Times the worker's listener over `urls`: per-URL microseconds and the clock step. */
async function timeInWorker(worker) {
  return worker.evaluate(({ urls, repeat }) => {
    const listener = globalThis.esafetyOnBeforeRequest;
    const per = [];
    let blocked = 0;
    for (const url of urls) {
      const details = { url, type: 'image', tabId: 1, initiator: 'https://unlisted.example' };
      const t = performance.now();
      let answer;
      for (let i = 0; i < repeat; i++) answer = listener(details);
      per.push(((performance.now() - t) * 1000) / repeat);
      if (answer.cancel || answer.redirectUrl) blocked++;
    }
    let step = Infinity;
    for (let i = 0, last = performance.now(); i < 100000; i++) {
      const now = performance.now();
      if (now > last) step = Math.min(step, now - last);
      last = now;
    }
    return { per, blocked, stepUs: step * 1000 };
  }, { urls, repeat });
}

/** VmRSS (KiB) of each extension renderer process (the worker's; one is expected). */
function workerRssKiB() {
  const out = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmdline.includes('--type=renderer') || !cmdline.includes('--extension-process')) continue;
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) out.push(Number(m[1]));
    } catch {
      // The process ended.
    }
  }
  return out.join(' + ') || 'unknown';
}

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], p99: s[Math.min(s.length - 1, Math.floor(s.length * 0.99))] };
};

const median = (xs) => {
  const v = xs.filter((x) => typeof x === 'number').sort((a, b) => a - b);
  if (v.length === 0) return null;
  const m = Math.floor(v.length / 2);
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
};
/** The median of each timing over runs (`phases` too), with every run's ready time. */
function medianTimings(all) {
  const out = { runs: all.length, readyAll: all.map((t) => t.readyMs), phases: {} };
  for (const k of ['scriptMs', 'moduleMs', 'engineMs', 'readyMs']) out[k] = median(all.map((t) => t[k]));
  for (const k of Object.keys(all[0].phases ?? {})) out.phases[k] = median(all.map((t) => t.phases[k]));
  return out;
}

const out = {};
try {
  // Without policy: the engine built at the top level. A fresh browser
  // (and so a first start of the worker) each run.
  {
    const all = [];
    let rss;
    for (let run = 0; run < runs; run++) {
      const { browser, worker } = await launchWithExtension(ext);
      try {
        await worker.evaluate(() => globalThis.esafetyReady);
        all.push(await worker.evaluate(() => globalThis.esafetyTimings));
        rss = workerRssKiB();
      } finally {
        await browser.close();
      }
    }
    out.unmanaged = { ...medianTimings(all), rssKiB: rss };
  }
  if (!opts['no-managed']) {
    const all = [];
    let timed;
    let rss;
    for (let run = 0; run < runs; run++) {
      const { browser, worker } = await launchWithExtension(ext, { managed: true });
      try {
        await worker.evaluate(() => globalThis.esafetyReady);
        all.push(await worker.evaluate(() => globalThis.esafetyTimings));
        rss = workerRssKiB();
        if (run === runs - 1) timed = await timeInWorker(worker);
      } finally {
        await browser.close();
      }
    }
    out.managed = { ...medianTimings(all), rssKiB: rss, ...timed };
  }
} finally {
  rmSync(work, { recursive: true, force: true, maxRetries: 5 });
}

// The peer: the package's Node build, the same bundle, policy and URLs.
const node = loadNodePackage();
const shipped = await readEmbedded(join(WASM_DIR, 'extension'));
const engine = new node.Engine(node.Bundle.fromBytes(bundle), node.Policy.fromJson(shipped.policy, shipped.policyFile));
const nodePer = [];
const now = Date.now();
for (const url of urls) {
  const t = performance.now();
  for (let i = 0; i < repeat; i++) engine.decide({ ...context, url, time: now });
  nodePer.push(((performance.now() - t) * 1000) / repeat);
}

const us = (x) => `${x.toFixed(2)} µs`;
console.log(`bundle: ${opts.bundle ?? 'easylist + easyprivacy + spam404'} — ${bundle.length} bytes, ${entries} entries`);
console.log(`requests: ${urls.length} of top500-sitelist.txt, each timed over ${repeat} calls in a row`);
console.log(`Chromium ${execFileSync('/usr/bin/chromium', ['--version'], { encoding: 'utf8' }).trim().split('\n').pop()}:`);
const ms = (x) => (x == null ? 'n/a' : `${x.toFixed(1)} ms`);
const phaseLine = (p) => Object.entries(p).map(([k, v]) => `${k.replace(/Ms$/, '')} ${ms(v)}`).join(', ');
console.log(`ready times: medians over ${runs} fresh browser start(s), in ms since the worker started (performance.now() in the worker)`);
if (out.unmanaged) {
  const u = out.unmanaged;
  console.log(`  without policy: script body started ${ms(u.scriptMs)} (imports evaluated), module compiled ${ms(u.moduleMs)}, engine built ${ms(u.engineMs)} (top level), rules written ${ms(u.readyMs)}; worker process RSS ${u.rssKiB} KiB`);
  console.log(`    steps: ${phaseLine(u.phases)}`);
}
if (out.managed) {
  const m = out.managed;
  const s = stats(m.per);
  console.log(`  by policy: script body started ${ms(m.scriptMs)}, module compiled ${ms(m.moduleMs)}, engine built ${ms(m.engineMs)}, managed configuration in use (ready) ${ms(m.readyMs)} [runs: ${m.readyAll.map((x) => x?.toFixed(1)).join(', ')}]; worker process RSS ${m.rssKiB} KiB`);
  console.log(`    steps: ${phaseLine(m.phases)}`);
  console.log(`  listener decision: median ${us(s.median)}, p99 ${us(s.p99)} (${m.blocked} of ${urls.length} blocked; worker clock step ${m.stepUs.toFixed(1)} µs)`);
}
const n = stats(nodePer);
console.log(`node ${process.version} (peer, same run): engine.decide median ${us(n.median)}, p99 ${us(n.p99)}`);
