// The declarativeNetRequest rules match as the engine does, on the shared
// classify vectors (tests/vectors/classify.toml), in Chromium, counted in
// the origin's request log: the extension installed without policy writes
// its rules, an unlisted page embeds every vector URL as an image, and
//
// - a URL the engine does not block must reach the origin (the rules never
//   block more than the engine);
// - a URL the engine blocks, on lists the rules cover (status: `rules`),
//   must not;
// - a URL the engine blocks on a list the rules leave to the engine (the
//   sensitive lists, warnings, time-dependent rules) reaches it: what the
//   status page says an install without policy does not guarantee.
//
// The origin listens on 127.0.0.1:80 and :443 (a certificate made for the
// run; Chromium is told to ignore certificate errors), so that vector URLs
// keep their scheme and default port (an explicit port is a spelling
// difference, SPELLING_DIFFERENCES) and HSTS-preloaded hosts are reached.
// Skipped when either port is taken.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchWithExtension, loadNodePackage, loadVectors, WASM_DIR } from '../helpers.mjs';
import { readEmbedded } from '../../extension/build.mjs';

const EXT = join(WASM_DIR, 'extension');
const hits = [];
let servers = [];
let browser;
let extensionId;
let portTaken = null;

/** A self-signed certificate for the run. */
function certificate() {
  const dir = mkdtempSync(join(tmpdir(), 'esafety-cert-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=esafety-test'], { stdio: 'ignore' });
    return { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

before(async () => {
  const handler = (scheme) => (req, res) => {
    hits.push(`${scheme}://${req.headers.host}${req.url}`);
    res.writeHead(200, { 'content-type': 'text/html', 'cache-control': 'no-store' });
    res.end(req.url === '/embeds.html' ? embeds() : '');
  };
  for (const [server, port] of [[createServer(handler('http')), 80], [createTlsServer(certificate(), handler('https')), 443]]) {
    await new Promise((ok) => {
      server.once('error', (e) => {
        portTaken = e.message;
        ok();
      });
      server.listen(port, '127.0.0.1', () => {
        servers.push(server);
        ok();
      });
    });
  }
  if (portTaken) return;
  ({ browser, extensionId } = await launchWithExtension(EXT, { extraArgs: ['--ignore-certificate-errors'] }));
});

after(async () => {
  await browser?.close();
  for (const s of servers) await new Promise((ok) => s.close(ok));
});

const { doc } = loadVectors('classify');
/** The vector URLs as requested here: without fragment; IP-literal hosts left out (the resolver rules map names only). */
const cases = doc.case
  .map((c) => ({ name: c.name, url: new URL(c.url) }))
  .filter(({ url }) => /^https?:$/.test(url.protocol) && !/^[\d.]+$/.test(url.hostname))
  .map(({ name, url }) => {
    url.hash = '';
    return { name, url: url.href };
  });

function embeds() {
  return `<!doctype html><title>embeds</title>${cases.map((c) => `<img src="${c.url.replace(/"/g, '%22')}">`).join('')}`;
}

test('the rules block what the engine blocks on covered lists, and nothing it lets through', async (t) => {
  if (portTaken) {
    t.skip(`127.0.0.1:80 is not free (${portTaken})`);
    return;
  }
  const status = await (async () => {
    const page = await browser.context.newPage();
    await page.goto(`chrome-extension://${extensionId}/status.html`);
    const s = await page.evaluate(() => chrome.runtime.sendMessage({ type: 'status' }));
    await page.close();
    return s;
  })();
  assert.equal(status.mode, 'unmanaged');
  const covered = new Map(status.dnr.coverage.map((c) => [c.list, c.coverage]));

  const shipped = await readEmbedded(EXT);
  const node = loadNodePackage();
  const engine = new node.Engine(node.Bundle.fromBytes(shipped.bundle), node.Policy.fromJson(shipped.policy, shipped.policyFile));
  const now = Date.now();

  const page = await browser.context.newPage();
  await page.goto('http://unlisted.example/embeds.html');
  assert.ok(hits.includes('http://unlisted.example/embeds.html'));
  await page.waitForFunction(() => [...document.images].every((i) => i.complete), null, { timeout: 20_000 });
  await page.waitForTimeout(300);
  await page.close();

  const rows = [];
  const debug = [];
  for (const { name, url } of cases) {
    const report = engine.decide({ ...status.context, url, time: now });
    const u = new URL(url);
    const reached = hits.includes(`${u.protocol}//${u.host}${u.pathname}${u.search}`);
    const lists = engine.classify(url).matches.map((m) => m.list);
    const allRules = lists.length > 0 && lists.every((l) => covered.get(l) === 'rules');
    rows.push({ name, url, action: report.action, lists, reached, allRules });
    debug.push(`${reached ? 'reached' : 'blocked'}\t${report.action}\t${lists.join(',')}\t${url}`);
  }
  if (process.env.ESAFETY_DEBUG) console.log(debug.join('\n'));
  for (const { name, url, action, lists, reached, allRules } of rows) {
    if (action !== 'block') {
      assert.ok(reached, `${name}: the engine says ${action} for ${url}, but the rules blocked it`);
    } else if (allRules) {
      assert.ok(!reached, `${name}: the engine blocks ${url} (${lists}), covered by rules, but it reached the origin`);
    } else {
      assert.ok(reached, `${name}: ${url} (${lists}) is left to the engine, so an image of it reaches the origin; if the rules now cover it, update the status wording`);
    }
  }
  // Both kinds are exercised.
  assert.ok(rows.some((r) => !r.reached) && rows.some((r) => r.reached), JSON.stringify(rows));
});
