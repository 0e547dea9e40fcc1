// Load time of a ~100k-entry bundle in headless Chromium (and in Node for
// comparison): `Bundle.fromBytes` (full validation: checksum, sections,
// automata) and `new Engine` over it, with the ES-module build served on
// 127.0.0.1.
//
// The bundle is compiled from real public lists with the CLI:
//   easylist (local-ads) + easyprivacy (local-tracking) + spam404 (local-scam)
// from $ESAFETY_DATA/peer-lists (about 103k entries), unless --bundle is given.
//
// Usage (repository root, after scripts/build-wasm.sh):
//   node wasm/bench/browser-load.mjs [--bundle B.esb] [--runs 5] [--cli path/to/esafety]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { dataDir, launchChromium, loadNodePackage, serve, PKG, REPO, WASM_DIR } from '../test/helpers.mjs';

const { values: opts } = parseArgs({
  options: {
    bundle: { type: 'string' },
    runs: { type: 'string', default: '5' },
    cli: { type: 'string', default: process.env.ESAFETY_CLI },
  },
});
const runs = Number(opts.runs);
const work = mkdtempSync(join(tmpdir(), 'esafety-load-'));
let bundlePath = opts.bundle ? resolve(opts.bundle) : null;
if (!bundlePath) {
  const lists = join(dataDir(), 'peer-lists');
  if (!existsSync(join(lists, 'easylist.txt'))) {
    console.error(`bench: ${lists} has no easylist.txt; set ESAFETY_DATA or pass --bundle`);
    process.exit(2);
  }
  bundlePath = join(work, 'lists.esb');
  const [cmd, pre] = opts.cli ? [opts.cli, []] : ['cargo', ['run', '--quiet', '--release', '-p', 'esafety-cli', '--']];
  execFileSync(cmd, [...pre, 'compile',
    '--list', `local-ads=${join(lists, 'easylist.txt')}`,
    '--list', `local-tracking=${join(lists, 'easyprivacy.txt')}`,
    '--list', `local-scam=${join(lists, 'spam404-main-blacklist.txt')}`,
    '-o', bundlePath], { cwd: REPO, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, SOURCE_DATE_EPOCH: '1767225600' } });
}
const bytes = readFileSync(bundlePath);
const policy = readFileSync(join(REPO, 'policies', 'secondary-pupils.toml'), 'utf8');

// Node.
const node = loadNodePackage();
const nodeLoad = [];
const nodeEngine = [];
let entries = 0;
for (let i = 0; i < runs; i++) {
  let t = performance.now();
  const b = node.Bundle.fromBytes(bytes);
  nodeLoad.push(performance.now() - t);
  t = performance.now();
  const e = new node.Engine(b, node.Policy.fromToml(policy));
  nodeEngine.push(performance.now() - t);
  entries = b.info().lists.reduce((n, l) => n + l.entries, 0);
  e.free();
  b.free();
}

// Chromium.
const server = await serve({
  mounts: { '/pkg/': PKG, '/test/browser/': join(WASM_DIR, 'test', 'browser') },
  routes: { '/lists.esb': () => bytes, '/favicon.ico': '' },
});
const browser = await launchChromium();
let chrome;
try {
  const page = await browser.context.newPage();
  await page.goto(`${server.origin}/test/browser/page.html`);
  await page.waitForFunction(() => document.getElementById('status').textContent !== 'loading');
  chrome = await page.evaluate(async ({ n, policyText }) => {
    const r = { init: window.esafetyInitMs, fetch: [], load: [], engine: [] };
    const esafety = await import('/pkg/web/esafety.js');
    for (let i = 0; i < n; i++) {
      let t = performance.now();
      const buf = new Uint8Array(await (await fetch('/lists.esb', { cache: 'no-store' })).arrayBuffer());
      r.fetch.push(performance.now() - t);
      t = performance.now();
      const b = esafety.Bundle.fromBytes(buf);
      r.load.push(performance.now() - t);
      t = performance.now();
      const e = new esafety.Engine(b, esafety.Policy.fromToml(policyText));
      r.engine.push(performance.now() - t);
      e.free();
      b.free();
    }
    return r;
  }, { n: runs, policyText: policy });
} finally {
  await browser.close();
  await server.close();
  rmSync(work, { recursive: true, force: true });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (xs) => `${median(xs).toFixed(1)} ms (median of ${xs.length}; first ${xs[0].toFixed(1)}, min ${Math.min(...xs).toFixed(1)})`;
console.log(`bundle: ${opts.bundle ?? 'easylist + easyprivacy + spam404'} — ${bytes.length} bytes, ${entries} entries`);
console.log(`Chromium ${execFileSync('/usr/bin/chromium', ['--version'], { encoding: 'utf8' }).trim().split('\n').pop()}:`);
console.log(`  init (fetch + compile esafety_bg.wasm): ${chrome.init.toFixed(1)} ms`);
console.log(`  fetch bundle from 127.0.0.1:            ${ms(chrome.fetch)}`);
console.log(`  Bundle.fromBytes (validate):            ${ms(chrome.load)}`);
console.log(`  new Engine (bundle + policy):           ${ms(chrome.engine)}`);
console.log(`node ${process.version}:`);
console.log(`  Bundle.fromBytes (validate):            ${ms(nodeLoad)}`);
console.log(`  new Engine (bundle + policy):           ${ms(nodeEngine)}`);
