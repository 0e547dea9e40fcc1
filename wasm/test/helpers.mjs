// Shared helpers of the esafety WebAssembly tests: the built package, the
// shared test vectors, a static file server on 127.0.0.1 and headless
// Chromium (Debian's /usr/bin/chromium driven by playwright-core; no browser
// download).
import { createRequire } from 'node:module';
import { cpSync, readFileSync, readdirSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto';
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

/** The Node build of the package (wasm/pkg/node/index.js, its CommonJS entry), built by scripts/build-wasm.sh. */
export function loadNodePackage() {
  const entry = join(PKG, 'node', 'index.js');
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
 * Serves `mounts` ({urlPrefix: folder}) and `routes` ({path: answer |
 * fn(req) => answer or a promise of one; an answer is an HTML body, or
 * `{status, headers, body}`}) on 127.0.0.1 with an ephemeral port.
 * Resolves to {port, origin, close, hits}: `hits` logs every request that
 * reached the server (`{host, path}`), in order.
 */
export function serve({ mounts = {}, routes = {} } = {}) {
  const hits = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    hits.push({ host: req.headers.host, path: url.pathname });
    const route = routes[url.pathname];
    if (route !== undefined) {
      Promise.resolve(typeof route === 'function' ? route(req) : route).then((answer) => {
        // A string or bytes: an HTML page. `{status, headers, body}`: that.
        const full = answer !== null && typeof answer === 'object' && !ArrayBuffer.isView(answer);
        const { status = 200, headers = {}, body = '' } = full ? answer : { body: answer };
        res.writeHead(status, { 'content-type': MIME['.html'], 'cache-control': 'no-store', ...headers });
        res.end(body);
      });
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
export async function launchChromium({ extraArgs = [], allowExtensions = false, dropFlags = [], ignoreDefaultArgs = [] } = {}) {
  const { chromium } = await import('playwright-core');
  const userDataDir = mkdtempSync(join(tmpdir(), 'esafety-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    // We pass --headless=new ourselves so the mode is explicit.
    headless: false,
    args: [...CHROMIUM_FLAGS.filter((f) => !dropFlags.includes(f)), ...extraArgs],
    ignoreDefaultArgs: [...(allowExtensions ? ['--disable-extensions'] : []), ...ignoreDefaultArgs],
    timeout: 60_000,
  });
  return {
    context,
    userDataDir,
    close: async () => {
      await context.close().catch(() => {});
      rmSync(userDataDir, { recursive: true, force: true, maxRetries: 5 });
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

/** Flags of every browser with the extension: loopback only, no https upgrade. */
const EXTENSION_FLAGS = [
  '--host-resolver-rules=MAP * 127.0.0.1',
  '--disable-features=HttpsUpgrades,HttpsFirstBalancedModeAutoEnable',
];

/** Where Chromium on Linux reads machine policies (one JSON file each). */
export const POLICY_DIR = process.env.ESAFETY_CHROMIUM_POLICY_DIR ?? '/etc/chromium/policies/managed';

/**
 * Headless Chromium with the extension in `dir` and every host name
 * resolving to 127.0.0.1 (nothing leaves the machine); resolves to
 * `{browser, worker, extensionId}`, with the extension's service worker
 * once it has started. `browser.close()` ends it all.
 *
 * Unmanaged (the default): the unpacked extension loaded with
 * `--load-extension`, as a developer (or a user) installs it; Chromium
 * then refuses the extension a blocking `webRequest` listener.
 *
 * `{managed: true}`: force-installed as an administrator does it. The
 * folder is packed into a CRX3 signed with a key made for the run
 * (`chromium --pack-extension`; the extension id derives from the key), an
 * update manifest and the CRX are served on 127.0.0.1, and a policy file
 * in `POLICY_DIR` lists it in `ExtensionInstallForcelist`, with
 * `managedConfig` (default: the folder's config.json) as its
 * `chrome.storage.managed` (the `3rdparty` policy)
 * and `DeveloperToolsAvailability: 1` (by default Chromium refuses DevTools,
 * and so the test driver, on extensions installed by policy). The policy
 * file is removed when the browser is closed, when the launch fails, and
 * when the process exits.
 *
 * @param {string} dir the extension folder
 * @param {{managed?: boolean, managedConfig?: object, extraArgs?: string[]}} options
 *   (`extraArgs`: more Chromium flags)
 */
export async function launchWithExtension(dir, { managed = false, managedConfig, extraArgs = [] } = {}) {
  if (!managed) {
    const browser = await launchChromium({
      allowExtensions: true,
      extraArgs: [`--disable-extensions-except=${dir}`, `--load-extension=${dir}`, ...EXTENSION_FLAGS, ...extraArgs],
    });
    const worker = browser.context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://'))
      ?? await browser.context.waitForEvent('serviceworker', { timeout: 30_000 });
    return { browser, worker, extensionId: new URL(worker.url()).host };
  }
  // The default configuration: the extension's own config.json, if any.
  const config = managedConfig ?? (existsSync(join(dir, 'config.json')) ? JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) : {});
  const work = mkdtempSync(join(tmpdir(), 'esafety-crx-'));
  const cleanups = [() => rmSync(work, { recursive: true, force: true })];
  const cleanup = async () => {
    for (const f of cleanups.splice(0).reverse()) await f();
  };
  try {
    const packed = packExtension(dir, work);
    const updates = await serve({
      routes: {
        '/update.xml': () => updateManifest(packed, `${updates.origin}/extension.crx`),
        '/extension.crx': () => packed.crx,
      },
    });
    cleanups.push(() => updates.close());
    const policyFile = join(POLICY_DIR, `esafety-test-${process.pid}-${packed.id}.json`);
    mkdirSync(POLICY_DIR, { recursive: true });
    const removePolicy = () => rmSync(policyFile, { force: true });
    process.once('exit', removePolicy);
    cleanups.push(() => {
      removePolicy();
      process.removeListener('exit', removePolicy);
    });
    writeFileSync(policyFile, JSON.stringify({
      ExtensionInstallForcelist: [`${packed.id};${updates.origin}/update.xml`],
      DeveloperToolsAvailability: 1,
      '3rdparty': { extensions: { [packed.id]: config } },
    }));
    // No --disable-background-networking: with it Chromium does not run the
    // extension updater, which is what installs a force-listed extension.
    const browser = await launchChromium({
      allowExtensions: true,
      dropFlags: ['--disable-background-networking'],
      extraArgs: [...EXTENSION_FLAGS, ...extraArgs],
      ignoreDefaultArgs: ['--disable-background-networking', '--disable-component-extensions-with-background-pages'],
    });
    const close = browser.close;
    cleanups.push(close);
    browser.close = cleanup;
    const isOurs = (w) => w.url().startsWith(`chrome-extension://${packed.id}/`);
    const worker = browser.context.serviceWorkers().find(isOurs)
      ?? await browser.context.waitForEvent('serviceworker', { predicate: isOurs, timeout: 60_000 });
    return { browser, worker, extensionId: packed.id };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

/**
 * Packs `dir` into `work`/extension.crx with a new RSA key:
 * `{id, crx, version}`.
 */
export function packExtension(dir, work) {
  const copy = join(work, 'extension');
  cpSync(dir, copy, { recursive: true });
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'der' },
  });
  const key = join(work, 'key.pem');
  writeFileSync(key, privateKey, { mode: 0o600 });
  execFileSync(CHROMIUM, ['--headless=new', '--no-sandbox', `--pack-extension=${copy}`, `--pack-extension-key=${key}`], { stdio: 'ignore', timeout: 60_000 });
  return {
    id: extensionId(publicKey),
    crx: readFileSync(join(work, 'extension.crx')),
    version: JSON.parse(readFileSync(join(copy, 'manifest.json'), 'utf8')).version,
  };
}

/** The extension id of a public key (SPKI DER): its SHA-256's first 16 bytes in the letters a-p. */
export function extensionId(spki) {
  const hex = createHash('sha256').update(spki).digest('hex').slice(0, 32);
  return [...hex].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join('');
}

/** The gupdate update manifest Chromium's extension updater reads. */
function updateManifest({ id, version }, codebase) {
  return `<?xml version='1.0' encoding='UTF-8'?>
<gupdate xmlns='http://www.google.com/update2/response' protocol='2.0'>
  <app appid='${id}'><updatecheck codebase='${codebase}' version='${version}' /></app>
</gupdate>
`;
}

/**
 * The package as users get it: `npm pack` of wasm/pkg into a new temp
 * folder, installed (offline: the package has no dependencies) into a fresh
 * project there. Resolves to `{dir, tarball, packed, installed}`: `packed`
 * is npm's report of the tarball, `installed` its node_modules folder.
 */
export function installPackage(prefix = 'esafety-npm-') {
  const npm = (args, cwd) =>
    execFileSync('npm', [...args, '--offline', '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const packed = JSON.parse(npm(['pack', '--json', '--pack-destination', dir, PKG], dir))[0];
  const tarball = join(dir, packed.filename);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'app', private: true }));
  npm(['install', tarball], dir);
  return { dir, tarball, packed, installed: join(dir, 'node_modules', 'esafety') };
}

/** A tool of wasm/node_modules/.bin (the pinned devDependencies). */
export function tool(name) {
  return join(WASM_DIR, 'node_modules', '.bin', name);
}

/**
 * A policy's JSON (as the full build's `policy.toJson()` writes it) without
 * its content limit and content rules, for the extension build, which
 * cannot scan content and refuses a policy that names a limit. Without
 * scanned content the limit is never crossed and a content rule never
 * matches, so every request decides the same (scripts/build-wasm.sh does
 * this for the example extension).
 * @param {string} json
 * @returns {string}
 */
export function withoutContentLimits(json) {
  const doc = JSON.parse(json);
  delete doc.content_limit;
  delete doc.content_message;
  if (Array.isArray(doc.rules)) doc.rules = doc.rules.filter((r) => r.content_limit === undefined);
  return JSON.stringify(doc);
}
