// The ES-module build in headless Chromium (Debian's /usr/bin/chromium),
// loaded from a page served on 127.0.0.1: it must decide every shared
// decision vector exactly as the Node build does, with the time-zone data
// inside the .wasm (Europe/London lesson times in summer and winter).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium, loadNodePackage, loadVectors, serve, PKG, REPO, WASM_DIR } from '../helpers.mjs';

const node = loadNodePackage();
let server;
let browser;
let page;
const consoleErrors = [];

before(async () => {
  server = await serve({
    mounts: {
      '/pkg/': PKG,
      '/policies/': join(REPO, 'policies'),
      '/test/browser/': join(WASM_DIR, 'test', 'browser'),
    },
    routes: { '/favicon.ico': '' },
  });
  browser = await launchChromium();
  page = await browser.context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  await page.goto(`${server.origin}/test/browser/page.html`);
  await page.waitForFunction(() => document.getElementById('status').textContent !== 'loading', null, { timeout: 30_000 });
  const status = await page.textContent('#status');
  assert.equal(status, 'ready', status);
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test('the .wasm is served as application/wasm from 127.0.0.1 and instantiates', async () => {
  assert.ok(server.hits.some((h) => h.path === '/pkg/web/esafety_bg.wasm'));
  assert.equal(await page.evaluate(() => window.esafetyTest.version), node.version());
});

test('canonicalize and classify give the Node results', async () => {
  const urls = ['HTTP://WWW.Example.COM/a/../b#x', 'http://3279880203/blah', 'https://www.bet365.com/', 'http://whole-site.iwf-test2.esafety.invalid/'];
  for (const u of urls) {
    assert.deepEqual(await page.evaluate((x) => window.esafetyTest.canonicalize(x), u), node.canonicalize(u));
    assert.deepEqual(await page.evaluate((x) => window.esafetyTest.classify(x), u), node.sampleBundle().classify(u));
  }
});

test('every decision vector decides as in Node, and as the vector says', async () => {
  const vectors = loadVectors('decisions');
  assert.ok(vectors, 'tests/vectors/decisions.toml is missing');
  const cases = vectors.doc.case.map((c) => {
    const request = { url: c.url, time: c.at };
    if (c.group !== undefined) request.group = c.group;
    if (c.age !== undefined) request.age = Number(c.age);
    if (c.device !== undefined) request.device = c.device;
    return { name: c.name, policy: c.policy, request, expect: c };
  });
  const got = await page.evaluate((cs) => window.esafetyTest.decide(cs), cases.map(({ policy, request }) => ({ policy, request })));
  const bundle = node.sampleBundle();
  cases.forEach((c, i) => {
    const engine = new node.Engine(bundle, node.Policy.load(readFileSync(join(REPO, c.policy), 'utf8'), c.policy));
    assert.deepEqual(got[i], engine.decide(c.request), c.name);
    assert.equal(got[i].action, c.expect.expect_action, c.name);
    assert.equal(got[i].rule, c.expect.expect_rule, c.name);
    engine.free();
  });
});

test('Europe/London from the bundled time-zone database', async () => {
  const policy = 'policies/secondary-pupils.toml';
  const at = (time) => ({ policy, request: { url: 'https://www.instagram.com/', group: 'pupils', age: 14, device: 'managed', time } });
  const [summerLesson, summerBefore, winterLesson] = await page.evaluate(
    (cs) => window.esafetyTest.decide(cs),
    [at('2026-06-01T07:50:00Z'), at('2026-06-01T07:30:00Z'), at('2026-01-05T12:00:00Z')],
  );
  assert.equal(summerLesson.rule, 'block-distractions-in-lessons'); // 08:50 BST
  assert.equal(summerBefore.rule, 'monitor-social-13-plus'); // 08:30 BST
  assert.equal(winterLesson.rule, 'block-distractions-in-lessons'); // 12:00 GMT
});

test('errors are Errors with the core message, code and help', async () => {
  const e = await page.evaluate(() => window.esafetyTest.errors());
  assert.equal(e.url.isError, true);
  assert.equal(e.url.code, 'invalid-url');
  assert.match(e.url.message, /^unsupported scheme `javascript`/);
  assert.equal(e.bundle.code, 'invalid-bundle');
  assert.match(e.bundle.message, /^not an esafety bundle/);
  assert.equal(e.policy.code, 'invalid-policy');
  assert.match(e.policy.message, /^bad\.toml:1:/);
  assert.ok(e.policy.help.length > 0);
});

test('no console errors', () => {
  assert.deepEqual(consoleErrors, []);
});
