// Shared helpers of the esafety WebAssembly tests: the built package, the
// shared test vectors, a static file server on 127.0.0.1 and headless
// Chromium (Debian's /usr/bin/chromium driven by playwright-core; no browser
// download).
import { createRequire } from 'node:module';
import { readFileSync, readdirSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join, dirname, extname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseToml } from 'smol-toml';

export const WASM_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const REPO = resolve(WASM_DIR, '..');
// ESAFETY_WASM_PKG points the tests and benches at another build of the package.
export const PKG = process.env.ESAFETY_WASM_PKG ? resolve(process.env.ESAFETY_WASM_PKG) : join(WASM_DIR, 'pkg');

const require = createRequire(import.meta.url);

/** The Node build of the package (wasm/pkg/node), built by scripts/build-wasm.sh. */
export function loadNodePackage() {
  const entry = join(PKG, 'node', 'esafety.js');
  if (!existsSync(entry)) {
    throw new Error(`${entry} is missing; run scripts/build-wasm.sh first`);
  }
  return require(entry);
}

/** The ESAFETY_DATA folder (real public lists), default ../shared/data. */
export function dataDir() {
  return process.env.ESAFETY_DATA ?? resolve(REPO, '..', 'shared', 'data');
}

/**
 * Every shared test vector file tests/vectors/NAME.toml, parsed; `[]` when
 * the file does not exist. Cases can be filtered by name with ESAFETY_VECTOR
 * (a substring), like REGEX_TEST in the regex crate.
 */
export function loadVectors(name) {
  const path = join(REPO, 'tests', 'vectors', `${name}.toml`);
  if (!existsSync(path)) return null;
  const doc = parseToml(readFileSync(path, 'utf8'));
  return { path, doc };
}

export function vectorFilter(caseName) {
  const f = process.env.ESAFETY_VECTOR;
  return !f || String(caseName).includes(f);
}

/** Shipped policy files (policies/**.toml that parse as AUPs are chosen by the caller). */
export function listFiles(dir, ext) {
  const out = [];
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listFiles(p, ext));
    else if (p.endsWith(ext)) out.push(p);
  }
  return out.sort();
}

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.esb': 'application/octet-stream',
  '.toml': 'text/plain; charset=utf-8',
  '.css': 'text/css',
};

/**
 * Serves `mounts` ({urlPrefix: folder}) and `routes` ({path: body | fn(req)})
 * on 127.0.0.1 with an ephemeral port. Resolves to {port, origin, close, hits}.
 */
export function serve({ mounts = {}, routes = {} } = {}) {
  const hits = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    hits.push({ host: req.headers.host, path: url.pathname });
    const route = routes[url.pathname];
    if (route !== undefined) {
      const body = typeof route === 'function' ? route(req) : route;
      res.writeHead(200, { 'content-type': MIME['.html'], 'cache-control': 'no-store' });
      res.end(body);
      return;
    }
    for (const [prefix, folder] of Object.entries(mounts)) {
      if (!url.pathname.startsWith(prefix)) continue;
      const rel = decodeURIComponent(url.pathname.slice(prefix.length));
      const file = resolve(folder, rel);
      if (!(file + sep).startsWith(resolve(folder) + sep) || !existsSync(file) || statSync(file).isDirectory()) break;
      res.writeHead(200, {
        'content-type': MIME[extname(file)] ?? 'application/octet-stream',
        'cache-control': 'no-store',
      });
      res.end(readFileSync(file));
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      ok({
        port,
        origin: `http://127.0.0.1:${port}`,
        hits,
        close: () => new Promise((done) => {
          server.closeAllConnections?.();
          server.close(() => done());
        }),
      });
    });
  });
}

export const CHROMIUM = process.env.ESAFETY_CHROMIUM ?? '/usr/bin/chromium';

/** The flags this machine needs (no sandbox as root, no network but loopback). */
export const CHROMIUM_FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];

/**
 * Launches Debian's Chromium headless with a fresh profile in a temp folder.
 * Resolves to {context, close}; `close` also removes the profile.
 */
export async function launchChromium({ extraArgs = [], allowExtensions = false } = {}) {
  const { chromium } = await import('playwright-core');
  const userDataDir = mkdtempSync(join(tmpdir(), 'esafety-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    // We pass --headless=new ourselves so the mode is explicit.
    headless: false,
    args: [...CHROMIUM_FLAGS, ...extraArgs],
    ignoreDefaultArgs: allowExtensions ? ['--disable-extensions'] : [],
    timeout: 60_000,
  });
  return {
    context,
    userDataDir,
    close: async () => {
      await context.close().catch(() => {});
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Navigates a new tab of `browser` (from `launchChromium`) to `url` and
 * resolves to the page once it settles, on the page an extension may have
 * redirected it to.
 */
export async function settle(browser, url) {
  const page = await browser.context.newPage();
  // A redirect by an extension aborts the original navigation.
  await page.goto(url).catch(() => {});
  await page.waitForLoadState('load');
  // Give the service worker the time to redirect a page that loaded first.
  await page.waitForTimeout(500);
  await page.waitForLoadState('load');
  return page;
}

/**
 * Headless Chromium with the unpacked extension in `dir` loaded, every host
 * name resolving to 127.0.0.1 (nothing leaves the machine) and no upgrade
 * of http to https; resolves to `{browser, worker}`, the extension's
 * service worker once it has started.
 */
export async function launchWithExtension(dir) {
  const browser = await launchChromium({
    allowExtensions: true,
    extraArgs: [
      `--disable-extensions-except=${dir}`,
      `--load-extension=${dir}`,
      '--host-resolver-rules=MAP * 127.0.0.1',
      '--disable-features=HttpsUpgrades,HttpsFirstBalancedModeAutoEnable',
    ],
  });
  const worker = browser.context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://'))
    ?? await browser.context.waitForEvent('serviceworker', { timeout: 30_000 });
  return { browser, worker };
}
