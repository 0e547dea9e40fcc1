// End to end, managed, cold start: the force-installed extension is
// configured (chrome.storage.managed) to fetch its bundle from a server
// that takes seconds to answer, so the worker runs for that long without a
// ready engine. Requests made then must not reach the origin, unlisted ones
// included; a page blocked then loads by itself once the engine is ready;
// and the same holds when the worker starts again (a reload).
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

/** Opens `url` while the engine is not ready; resolves to the page. */
async function openEarly(url) {
  const page = await browser.context.newPage();
  await page.goto(url).catch(() => {});
  return page;
}

test('before the engine is ready nothing reaches the origin, and a blocked page loads once it is', async () => {
  assert.equal(await worker.evaluate(() => globalThis.esafetyTimings.readyMs), null, 'the engine is not ready yet');
  const unlisted = await openEarly(`http://unlisted.example:${origin.port}/`);
  const listed = await openEarly(`http://www.bet365.com:${origin.port}/`);
  assert.equal(new URL(unlisted.url()).pathname, '/block.html', unlisted.url());
  assert.equal(await unlisted.textContent('#rule'), 'error');
  assert.match(await unlisted.textContent('#reasons'), /starting/);
  assert.deepEqual(origin.hits, [], 'no request reached the origin before the engine was ready');
  assert.equal(await worker.evaluate(() => globalThis.esafetyReady), true);
  assert.equal(bundleServed.length, 1);
  // The blocked unlisted page loads again by itself; the listed one is now
  // blocked by the engine.
  await unlisted.waitForURL(`http://unlisted.example:${origin.port}/`, { timeout: 10_000 });
  assert.equal(await unlisted.textContent('#host'), `unlisted.example:${origin.port}`);
  await listed.waitForTimeout(500);
  assert.equal(new URL(listed.url()).pathname, '/block.html');
  assert.deepEqual(origin.hits.map((h) => h.host.split(':')[0]), ['unlisted.example']);
  await unlisted.close();
  await listed.close();
});

test('when the worker starts again, requests wait on the engine again', async () => {
  const before = origin.hits.length;
  const restarted = browser.context.waitForEvent('serviceworker', { timeout: 30_000 });
  await worker.evaluate(() => chrome.runtime.reload()).catch(() => {});
  worker = await restarted;
  const page = await openEarly(`http://unlisted.example:${origin.port}/`);
  assert.equal(new URL(page.url()).pathname, '/block.html', page.url());
  assert.equal(origin.hits.length, before);
  assert.equal(await worker.evaluate(() => globalThis.esafetyReady), true);
  await page.waitForURL(`http://unlisted.example:${origin.port}/`, { timeout: 10_000 });
  assert.equal(origin.hits.length, before + 1);
  await page.close();
});
