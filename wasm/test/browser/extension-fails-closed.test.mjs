// End to end: a copy of the example extension whose shipped bundle is
// damaged, loaded into headless Chromium (unmanaged). Without an engine it
// must not let anything through unchecked: the block-everything ruleset
// stays on, so no request reaches the origin, and every web page ends on
// the block page with the bundle's error as the reason.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchWithExtension, serve, settle, WASM_DIR } from '../helpers.mjs';
import { readEmbedded, writeEmbedded } from '../../extension/build.mjs';

const EXT = join(WASM_DIR, 'extension');

let server;
let browser;
let worker;
let copy;

before(async () => {
  assert.ok(existsSync(join(EXT, 'lib', 'embedded.js')), 'run scripts/build-wasm.sh first');
  copy = mkdtempSync(join(tmpdir(), 'esafety-extension-'));
  cpSync(EXT, copy, { recursive: true });
  writeEmbedded(copy, { ...(await readEmbedded(EXT)), bundle: Buffer.from('not a bundle') });
  server = await serve({
    routes: { '/': (req) => `<!doctype html><title>served</title><p id="host">${req.headers.host}</p>` },
  });
  ({ browser, worker } = await launchWithExtension(copy));
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (copy) rmSync(copy, { recursive: true, force: true });
});

test('the damaged bundle leaves the worker without an engine', async () => {
  assert.equal(await worker.evaluate(() => globalThis.esafetyReady), false);
});

test('an unlisted site is blocked, with the bundle error as the reason', async () => {
  const page = await settle(browser, `http://unlisted.example:${server.port}/`);
  assert.equal(new URL(page.url()).pathname, '/block.html', page.url());
  const reason = await page.textContent('#reasons li');
  assert.match(reason, /^the request could not be checked, so it is blocked: .*bundle/i, reason);
  assert.equal(await page.textContent('#rule'), 'error');
  assert.deepEqual(server.hits, [], 'nothing reached the origin');
  await page.close();
});
