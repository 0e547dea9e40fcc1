// End to end, managed, cold start: the force-installed extension is
// configured (chrome.storage.managed) to fetch its bundle from a server
// that takes seconds to answer, so the worker runs for that long without a
// ready engine. Requests made then must not reach the origin, unlisted ones
// included (they end on the block page: the block-everything ruleset's
// until the worker has switched it off, then the listener's, which loads
// the page again once the engine is ready); once it is, unlisted pages
// load and listed ones are blocked; and the same holds when the worker
// starts again (a reload).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { launchWithExtension, loadNodePackage, serve, WASM_DIR } from '../helpers.mjs';

const EXT = join(WASM_DIR, 'extension');
const DELAY_MS = 4000;

let origin;
let bundles;
let browser;
let worker;
let bundleServed = [];

before(async () => {
  assert.ok(existsSync(join(EXT, 'lib', 'embedded.js')), 'run scripts/build-wasm.sh first');
  const bytes = Buffer.from(loadNodePackage().sampleBundleBytes());
  origin = await serve({
    routes: { '/': (req) => `<!doctype html><title>served</title><p id="host">${req.headers.host}</p>` },
  });
  bundles = await serve({
    routes: {
      '/bundle.esb': () => new Promise((ok) => setTimeout(() => {
        bundleServed.push(Date.now());
        ok({ headers: { 'content-type': 'application/octet-stream' }, body: bytes });
      }, DELAY_MS)),
    },
  });
  ({ browser, worker } = await launchWithExtension(EXT, {
    managed: true,
    managedConfig: { group: 'pupils', age: 14, device: 'managed', bundleUrl: `${bundles.origin}/bundle.esb` },
  }));
});

after(async () => {
  await browser?.close();
  await origin?.close();
  await bundles?.close();
});

/** Opens `url` while the engine is not ready; resolves to the page, with `seen`: every address its main frame showed. */
async function openEarly(url) {
  const page = await browser.context.newPage();
  page.seen = [];
  page.on('framenavigated', (f) => {
    if (f === page.mainFrame()) page.seen.push(f.url());
  });
  await page.goto(url, { waitUntil: 'commit' }).catch(() => {});
  return page;
}

const blockPageSeen = (page) => page.seen.some((u) => u.startsWith('chrome-extension://') && new URL(u).pathname === '/block.html');

test('before the engine is ready nothing reaches the origin; once it is, unlisted pages load and listed ones do not', async () => {
  assert.equal(await worker.evaluate(() => globalThis.esafetyTimings.readyMs), null, 'the engine is not ready yet');
  const unlisted = await openEarly(`http://unlisted.example:${origin.port}/`);
  const listed = await openEarly(`http://www.bet365.com:${origin.port}/`);
  assert.deepEqual(origin.hits, [], 'no request reached the origin before the engine was ready');
  assert.equal(await worker.evaluate(() => globalThis.esafetyTimings.readyMs), null, 'the engine was still not ready');
  assert.ok(blockPageSeen(unlisted), unlisted.seen.join(' '));
  assert.ok(blockPageSeen(listed), listed.seen.join(' '));
  assert.equal(await worker.evaluate(() => globalThis.esafetyReady), true);
  assert.equal(bundleServed.length, 1);
  // Now the engine decides: the unlisted page loads (again by itself if
  // the listener blocked it, else when opened again), the listed one is
  // blocked by the engine.
  await loads(unlisted, `http://unlisted.example:${origin.port}/`);
  const again = await openEarly(`http://www.bet365.com:${origin.port}/`);
  await again.waitForURL((u) => u.pathname === '/block.html', { timeout: 10_000 });
  assert.deepEqual([...new Set(origin.hits.filter((h) => h.path === '/').map((h) => h.host.split(':')[0]))], ['unlisted.example']);
  for (const p of [unlisted, listed, again]) await p.close();
});

/** Waits for `page` to show `url`, by itself (the block page's retry) or opened again. */
async function loads(page, url) {
  const retried = await page.waitForURL(url, { timeout: 3000 }).then(() => true, () => false);
  if (!retried) await page.goto(url);
  assert.equal(await page.textContent('#host'), new URL(url).host);
  assert.equal(new URL(page.url()).host, new URL(url).host);
}

test('when the worker starts again, requests wait on the engine again', async () => {
  const before = origin.hits.filter((h) => h.path === '/').length;
  const restarted = browser.context.waitForEvent('serviceworker', { timeout: 30_000 });
  await worker.evaluate(() => chrome.runtime.reload()).catch(() => {});
  worker = await restarted;
  const page = await openEarly(`http://unlisted.example:${origin.port}/`);
  assert.equal(origin.hits.filter((h) => h.path === '/').length, before);
  assert.equal(await worker.evaluate(() => globalThis.esafetyTimings.readyMs), null, 'the engine was still not ready');
  assert.ok(blockPageSeen(page), page.seen.join(' '));
  assert.equal(await worker.evaluate(() => globalThis.esafetyReady), true);
  await loads(page, `http://unlisted.example:${origin.port}/`);
  assert.equal(origin.hits.filter((h) => h.path === '/').length, before + 1);
  await page.close();
});
