// WASM-vs-native decisions per second, in one run, on the same URL stream,
// bundle, policy, request context and time:
//   - Node: engine.decide({url, group, age, device, time}) of the Node build
//     (wasm/pkg/node): reading the request object, canonicalize + classify +
//     evaluate, and the `check --json`-shaped object the caller gets (built
//     directly as a JS object by wasm/src/decision.rs);
//   - Node, extension build (wasm/pkg/extension/node, when built): the same
//     loop with the same bundle bytes and the policy as JSON (toJson);
//   - native: esafety::policy::Engine::check, the same canonicalize +
//     classify + evaluate, returning the same report as a Rust value (what a
//     Rust caller gets), from the release example `decide_stream`
//     (wasm/bench/decide_stream.rs);
//   - with --chromium, also the Node half's loop in headless Chromium (the
//     ES-module build in a page on 127.0.0.1), where an extension runs.
// Every half counts its actions over one pass; the counts must agree.
//
// Usage (from the repository root, after scripts/build-wasm.sh):
//   node wasm/bench/decide.mjs [--seconds 3] [--rounds 5] [--bundle B.esb] [--urls FILE]
//       [--policy policies/secondary-pupils.toml] [--no-native] [--chromium] [--fresh]
// --fresh makes a new request object for every decision in Node (an
// extension makes one per navigation event) instead of reusing one.
// Default URL stream: $ESAFETY_DATA/peer-lists/top500-sitelist.txt (20,603
// real page URLs); default bundle: the built-in sample bundle.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { dataDir, launchChromium, loadNodePackage, serve, withoutContentLimits, PKG, REPO, WASM_DIR } from '../test/helpers.mjs';

const { values: opts } = parseArgs({
  options: {
    seconds: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '5' },
    bundle: { type: 'string' },
    urls: { type: 'string' },
    policy: { type: 'string', default: 'policies/secondary-pupils.toml' },
    time: { type: 'string', default: '2026-03-02T10:00:00Z' },
    'no-native': { type: 'boolean', default: false },
    chromium: { type: 'boolean', default: false },
    fresh: { type: 'boolean', default: false },
  },
});
const seconds = Number(opts.seconds);
const rounds = Math.max(1, Math.trunc(Number(opts.rounds)) || 1);
const fresh = opts.fresh;
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
// The extension build (wasm/pkg/extension): the same bundle bytes, and the
// policy as the JSON it reads (the full build's Policy.toJson, without the
// content limits the extension build cannot apply: helpers.mjs).
const extensionEntry = join(PKG, 'extension', 'node', 'esafety.js');
const extension = existsSync(extensionEntry) ? createRequire(import.meta.url)(extensionEntry) : null;
const extensionEngine = extension
  ? new extension.Engine(
      extension.Bundle.fromBytes(bundle.toBytes()),
      extension.Policy.fromJson(
        withoutContentLimits(esafety.Policy.load(readFileSync(policyPath, 'utf8'), opts.policy).toJson()),
        'policy.json',
      ),
    )
  : null;
const time = Date.parse(opts.time);
const request = { url: '', group: 'pupils', age: 14, device: 'managed', time };

/** One pass over the stream: the count of each action, and of errors. */
function countActions(e) {
  const counts = {};
  let failures = 0;
  for (const url of urls) {
    request.url = url;
    try {
      const a = e.decide(request).action;
      counts[a] = (counts[a] ?? 0) + 1;
    } catch {
      failures += 1;
    }
  }
  return { counts, failures };
}
const { counts: actions, failures: errors } = countActions(engine);
const extensionPass = extensionEngine ? countActions(extensionEngine) : null;
let sink = 0;
/** Decides the whole stream over and over for `seconds`. */
function nodeRound(engine) {
  let decisions = 0;
  const start = performance.now();
  while (performance.now() - start < seconds * 1000) {
    for (const url of urls) {
      request.url = url;
      try {
        // --fresh: a new request object per navigation, as an extension
        // makes one from each navigation event.
        const r = fresh ? { url, group: 'pupils', age: 14, device: 'managed', time } : request;
        sink += engine.decide(r).reasons.length;
      } catch {
        sink += 1;
      }
    }
    decisions += urls.length;
  }
  const elapsed = (performance.now() - start) / 1000;
  return { decisions, seconds: elapsed, decisions_per_second: decisions / elapsed };
}

/**
 * The same loop in headless Chromium (the ES-module build, from a page on
 * 127.0.0.1), with `--chromium`: the browser is where an extension runs.
 * Returns `{ round, actions, close }`.
 */
async function chromiumHalf() {
  const server = await serve({
    mounts: { '/pkg/': PKG, '/test/browser/': join(WASM_DIR, 'test', 'browser') },
    routes: {
      '/urls.txt': () => urls.join('\n'),
      '/bundle.esb': () => (bundlePath ? readFileSync(bundlePath) : ''),
      '/favicon.ico': '',
    },
  });
  const browser = await launchChromium();
  const close = async () => {
    await browser.close();
    await server.close();
  };
  try {
    const page = await browser.context.newPage();
    await page.goto(`${server.origin}/test/browser/page.html`);
    await page.waitForFunction(() => document.getElementById('status').textContent !== 'loading');
    const version = await page.evaluate(() => navigator.userAgent.match(/Chrome\/[0-9.]+/)?.[0] ?? navigator.userAgent);
    const first = await page.evaluate(async ({ policyText, policyName, hasBundle, time }) => {
      const esafety = await import('/pkg/web/esafety.js');
      const list = (await (await fetch('/urls.txt')).text()).split('\n');
      const bundle = hasBundle
        ? esafety.Bundle.fromBytes(new Uint8Array(await (await fetch('/bundle.esb')).arrayBuffer()))
        : esafety.sampleBundle();
      const engine = new esafety.Engine(bundle, esafety.Policy.load(policyText, policyName));
      const request = { url: '', group: 'pupils', age: 14, device: 'managed', time };
      const counts = {};
      let failures = 0;
      for (const url of list) {
        request.url = url;
        try {
          const a = engine.decide(request).action;
          counts[a] = (counts[a] ?? 0) + 1;
        } catch {
          failures += 1;
        }
      }
      window.esafetyBench = { engine, list, request };
      return { actions: counts, errors: failures };
    }, { policyText: readFileSync(policyPath, 'utf8'), policyName: opts.policy, hasBundle: bundlePath !== null, time });
    const round = () => page.evaluate((ms) => {
      const { engine, list, request } = window.esafetyBench;
      let decisions = 0;
      let sinkInPage = 0;
      const start = performance.now();
      while (performance.now() - start < ms) {
        for (const url of list) {
          request.url = url;
          try {
            sinkInPage += engine.decide(request).reasons.length;
          } catch {
            sinkInPage += 1;
          }
        }
        decisions += list.length;
      }
      const elapsed = (performance.now() - start) / 1000;
      return { decisions, seconds: elapsed, decisions_per_second: decisions / elapsed, sink: sinkInPage };
    }, seconds * 1000);
    return { version, round, ...first, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** The native half, one process per round (built by the first round). */
function nativeRound() {
  const args = ['run', '--quiet', '--release', '-p', 'esafety-wasm', '--example', 'decide_stream', '--',
    '--urls', urlsPath, '--policy', policyPath, '--seconds', String(seconds), '--time', opts.time];
  if (bundlePath) args.push('--bundle', bundlePath);
  return JSON.parse(execFileSync('cargo', args, { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }));
}

// Rounds alternate the two halves, so that a slow spell of this shared
// machine falls on both rather than on one.
const fmt = (n) => Math.round(n).toLocaleString('en-GB');
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
console.log(`URL stream: ${urlsPath} (${urls.length} URLs)`);
console.log(`bundle: ${bundlePath ?? 'built-in sample'} (${bundle.info().lists.reduce((n, l) => n + l.entries, 0)} entries; Bundle.fromBytes ${bundleMs.toFixed(1)} ms, new Engine ${engineMs.toFixed(1)} ms in Node)`);
console.log(`policy: ${opts.policy}; request: group pupils, age 14, managed, time ${opts.time}`);
console.log(`node ${process.version} (WebAssembly) against native Rust (release), ${rounds} round(s) of ${seconds} s each:`);
const chromium = opts.chromium ? await chromiumHalf() : null;
if (chromium) console.log(`(with ${chromium.version}, headless, the same loop in a page on 127.0.0.1)`);
const wasmRates = [];
const ratios = [];
const extensionRates = [];
const extensionRatios = [];
const chromiumRates = [];
const chromiumRatios = [];
let native = null;
try {
  for (let round = 1; round <= rounds; round += 1) {
    const wasm = nodeRound(engine);
    wasmRates.push(wasm.decisions_per_second);
    let line = `  round ${round}: WebAssembly ${fmt(wasm.decisions_per_second)} decisions/s`;
    const ext = extensionEngine ? nodeRound(extensionEngine) : null;
    if (ext) {
      extensionRates.push(ext.decisions_per_second);
      line += `, extension build ${fmt(ext.decisions_per_second)} decisions/s`;
    }
    const inPage = chromium ? await chromium.round() : null;
    if (inPage) {
      chromiumRates.push(inPage.decisions_per_second);
      sink += inPage.sink;
      line += `, Chromium ${fmt(inPage.decisions_per_second)} decisions/s`;
    }
    if (!opts['no-native']) {
      native = nativeRound();
      ratios.push(native.decisions_per_second / wasm.decisions_per_second);
      line += `, native ${fmt(native.decisions_per_second)} decisions/s, native / WebAssembly ${ratios.at(-1).toFixed(2)}x`;
      if (ext) {
        extensionRatios.push(native.decisions_per_second / ext.decisions_per_second);
        line += ` (extension build ${extensionRatios.at(-1).toFixed(2)}x)`;
      }
      if (inPage) {
        chromiumRatios.push(native.decisions_per_second / inPage.decisions_per_second);
        line += ` (Chromium ${chromiumRatios.at(-1).toFixed(2)}x)`;
      }
    }
    console.log(line);
  }
} finally {
  if (chromium) await chromium.close();
}
console.log(`WebAssembly: median ${fmt(median(wasmRates))} decisions/s; actions ${JSON.stringify(actions)} errors ${errors}`);
const sorted = (counts) => JSON.stringify(Object.fromEntries(Object.entries(counts).sort()));
let same = true;
if (extensionPass) {
  console.log(`extension build: median ${fmt(median(extensionRates))} decisions/s; actions ${JSON.stringify(extensionPass.counts)} errors ${extensionPass.failures}`);
  same &&= sorted(extensionPass.counts) === sorted(actions) && extensionPass.failures === errors;
}
if (chromium) {
  console.log(`Chromium: median ${fmt(median(chromiumRates))} decisions/s; actions ${JSON.stringify(chromium.actions)} errors ${chromium.errors}`);
  same &&= sorted(chromium.actions) === sorted(actions) && chromium.errors === errors;
}
if (native) {
  console.log(`native / WebAssembly (full build): median ${median(ratios).toFixed(2)}x over ${rounds} round(s) (goal: within 2.5x)`);
  if (extensionRatios.length) console.log(`native / WebAssembly (extension build): median ${median(extensionRatios).toFixed(2)}x over ${rounds} round(s) (goal: within 2.5x)`);
  if (chromium) console.log(`native / Chromium: median ${median(chromiumRatios).toFixed(2)}x over ${rounds} round(s)`);
  same &&= JSON.stringify(native.actions) === sorted(actions) && native.errors === errors;
}
if (native || chromium || extensionPass) {
  console.log(`same decisions: ${same ? 'yes' : 'NO'}`);
  if (!same) process.exitCode = 1;
}
if (sink < 0) console.log(sink);
