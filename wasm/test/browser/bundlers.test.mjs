// The README's "Bundlers" section, done: a small page importing `esafety`
// from the installed tarball, built by esbuild and by Vite (the pinned
// devDependencies), served on 127.0.0.1 and opened in headless Chromium.
// Each build must emit the `.wasm`, the page must fetch it as
// application/wasm, and the decision it makes must be the Node build's.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { build as viteBuild } from 'vite';
import { installPackage, launchChromium, loadNodePackage, serve, REPO } from '../helpers.mjs';

const node = loadNodePackage();
const POLICY_JSON = node.Policy.fromToml(readFileSync(join(REPO, 'policies', 'secondary-pupils.toml'), 'utf8')).toJson();
const REQUEST = { url: 'https://www.bet365.com/', group: 'pupils', age: 14, time: '2026-03-02T10:00:00Z' };

let project;
let browser;

/**
 * The page's script: loads the built-in sample bundle and the shipped
 * policy, decides one request and errs once on purpose, and shows the
 * result as JSON in #result. `wasm` is how it initializes.
 */
function mainJs({ specifier, wasmImport, initArg }) {
  return `import init, { sampleBundleBytes, Bundle, Policy, Engine, EsafetyError, canonicalize } from '${specifier}';
${wasmImport}
const out = document.getElementById('result');
try {
  await init(${initArg});
  const engine = new Engine(Bundle.fromBytes(sampleBundleBytes()), Policy.fromJson(${JSON.stringify(POLICY_JSON)}));
  const decision = engine.decide(${JSON.stringify(REQUEST)});
  let coded = null;
  try { canonicalize(42); } catch (e) { coded = e instanceof EsafetyError ? e.code : 'not an EsafetyError: ' + e; }
  out.textContent = JSON.stringify({ decision, coded });
} catch (e) {
  out.textContent = JSON.stringify({ error: String(e && e.stack || e) });
}
`;
}

const HTML = '<!doctype html><meta charset="utf-8"><title>esafety bundled</title><pre id="result">loading</pre><script type="module" src="./main.js"></script>\n';

before(async () => {
  project = installPackage('esafety-bundlers-');
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  if (project) rmSync(project.dir, { recursive: true, force: true });
});

/** Serves `dist`, opens its index.html, and resolves to {result, hits}. */
async function open(dist) {
  const server = await serve({ mounts: { '/': dist }, routes: { '/favicon.ico': '' } });
  try {
    const page = await browser.context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${server.origin}/index.html`);
    await page.waitForFunction(() => document.getElementById('result').textContent !== 'loading', null, { timeout: 30_000 });
    const result = JSON.parse(await page.textContent('#result'));
    await page.close();
    assert.deepEqual(errors, []);
    return { result, hits: server.hits };
  } finally {
    await server.close();
  }
}

/** The files under `dir` (relative paths). */
function files(dir, prefix = '') {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]);
}

function checkDecision(result, hits, dist) {
  assert.equal(result.error, undefined, result.error);
  assert.deepEqual(result.decision, new node.Engine(node.sampleBundle(), node.Policy.fromJson(POLICY_JSON)).decide(REQUEST));
  assert.equal(result.decision.action, 'block');
  assert.equal(result.coded, 'invalid-argument');
  const wasm = files(dist).filter((f) => f.endsWith('.wasm'));
  assert.equal(wasm.length, 1, `the build emits one .wasm: ${files(dist).join(', ')}`);
  assert.ok(hits.some((h) => h.path === `/${wasm[0]}`), `the page did not fetch /${wasm[0]}: ${hits.map((h) => h.path).join(', ')}`);
}

test('esbuild (file loader for the .wasm, as the README says): the page decides in Chromium', async () => {
  const src = join(project.dir, 'esbuild-src');
  const dist = join(project.dir, 'esbuild-dist');
  mkdirSync(src, { recursive: true });
  writeFileSync(join(src, 'main.js'), mainJs({
    specifier: 'esafety',
    wasmImport: "import wasmUrl from 'esafety/web/esafety_bg.wasm';",
    initArg: '{ module_or_path: wasmUrl }',
  }));
  await esbuild.build({
    entryPoints: [join(src, 'main.js')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    outdir: dist,
    loader: { '.wasm': 'file' },
    absWorkingDir: project.dir,
    logLevel: 'silent',
  });
  writeFileSync(join(dist, 'index.html'), HTML);
  assert.ok(existsSync(join(dist, 'main.js')));
  const { result, hits } = await open(dist);
  checkDecision(result, hits, dist);
});

test('Vite (nothing to configure: it emits the .wasm from new URL(…, import.meta.url)): the page decides in Chromium', async () => {
  const root = join(project.dir, 'vite-src');
  const dist = join(project.dir, 'vite-dist');
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, 'main.js'), mainJs({ specifier: 'esafety', wasmImport: '', initArg: '' }));
  writeFileSync(join(root, 'index.html'), HTML);
  await viteBuild({
    root,
    configFile: false,
    logLevel: 'silent',
    base: './',
    build: { outDir: dist, emptyOutDir: true, target: 'es2022' },
  });
  const { result, hits } = await open(dist);
  checkDecision(result, hits, dist);
});
