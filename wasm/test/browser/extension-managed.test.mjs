// End to end, managed: the example extension force-installed by policy into
// headless Chromium, as an administrator deploys it (a CRX signed with a
// test key, an update manifest on 127.0.0.1, ExtensionInstallForcelist in
// /etc/chromium/policies/managed/, removed afterwards; helpers.mjs). Its
// blocking webRequest listener decides every request before it is sent:
// the proof is the origin server's request log, which must never show a
// listed request, of any type, while unlisted pages load.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchWithExtension, serve, POLICY_DIR, WASM_DIR } from '../helpers.mjs';

const EXT = join(WASM_DIR, 'extension');
const IWF_WORDING = 'Access has been denied by your internet access provider because this page may contain indecent images of children as identified by the Internet Watch Foundation';

let server;
let browser;
let worker;
let extensionId;
let P;

const GAMBLING = 'www.bet365.com';
const IWF_SITE = 'whole-site.iwf-test2.esafety.invalid';
const IWF_PAGE_HOST = 'iwf-test.esafety.invalid';

before(async () => {
  assert.ok(existsSync(join(EXT, 'lib', 'embedded.js')), 'run scripts/build-wasm.sh first');
  server = await serve({
    routes: {
      '/': (req) => `<!doctype html><title>served</title><p id="host">${req.headers.host}</p>`,
      '/x.html': '<!doctype html><title>served</title><p>page</p>',
      '/frame.html': () => `<!doctype html><title>frame</title><p id="outer">outer</p><iframe id="f" src="http://${GAMBLING}:${P}/framed.html"></iframe>`,
      '/image.html': () => `<!doctype html><title>image</title><img id="i" src="http://img.${IWF_SITE}:${P}/abuse.png"><p>text</p>`,
      '/script.html': () => `<!doctype html><title>script</title><script src="http://${GAMBLING}:${P}/s.js"></script><p id="done">loaded</p>`,
      '/fetch.html': () => `<!doctype html><title>fetch</title><script>
        window.result = fetch('http://${GAMBLING}:${P}/api', { mode: 'no-cors' }).then(() => 'fetched', (e) => 'failed: ' + e.message);
        window.socket = new Promise((ok) => { const ws = new WebSocket('ws://${GAMBLING}:${P}/ws'); ws.onerror = () => ok('error'); ws.onopen = () => ok('open'); });
      </script>`,
      '/redirect': () => ({ status: 302, headers: { location: `http://${GAMBLING}:${P}/redirected` }, body: '' }),
      '/unlisted-image.png': { status: 200, headers: { 'content-type': 'image/png' }, body: '' },
    },
  });
  P = server.port;
  ({ browser, worker, extensionId } = await launchWithExtension(EXT, {
    managed: true,
    managedConfig: { group: 'pupils', age: 14, device: 'managed' },
  }));
  assert.equal(await worker.evaluate(() => globalThis.esafetyReady), true);
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** The requests that reached the origin for `host` (any port). */
const hitsFor = (host) => server.hits.filter((h) => h.host.split(':')[0].toLowerCase().replace(/\.$/, '') === host);

/** Opens `url` in a new tab and waits for it to settle. */
async function visit(url) {
  const page = await browser.context.newPage();
  await page.goto(url).catch(() => {});
  await page.waitForLoadState('load').catch(() => {});
  await page.waitForTimeout(300);
  return page;
}

test('the extension is force-installed by policy with a blocking listener', async () => {
  assert.match(extensionId, /^[a-p]{32}$/);
  assert.equal(await worker.evaluate(() => globalThis.esafetyMode), 'managed');
  assert.ok(readdirSync(POLICY_DIR).some((f) => f.includes(extensionId)));
});

test('a listed page never reaches the origin and shows the block page', async () => {
  const page = await visit(`http://${GAMBLING}:${P}/`);
  assert.equal(new URL(page.url()).pathname, '/block.html', page.url());
  assert.equal(await page.textContent('#categories'), 'gambling');
  assert.deepEqual(hitsFor(GAMBLING), []);
  await page.close();
});

test('a child-abuse page never reaches the origin; the block page has the IWF wording, not the address', async () => {
  const page = await visit(`http://${IWF_PAGE_HOST}:${P}/abuse/page-1.html`);
  assert.equal(new URL(page.url()).pathname, '/block.html', page.url());
  assert.ok((await page.textContent('#wording')).includes(IWF_WORDING));
  assert.equal(await page.textContent('#url'), '(not shown)');
  assert.ok(!page.url().includes('iwf-test'));
  assert.deepEqual(hitsFor(IWF_PAGE_HOST), []);
  await page.close();
});

test('a listed frame inside an unlisted page shows the block page inside the frame', async () => {
  const page = await visit(`http://unlisted.example:${P}/frame.html`);
  assert.equal(await page.textContent('#outer'), 'outer');
  const frame = page.frames().find((f) => f !== page.mainFrame());
  assert.ok(frame, 'the frame exists');
  await frame.waitForSelector('#categories', { timeout: 10_000 });
  assert.equal(new URL(frame.url()).pathname, '/block.html', frame.url());
  assert.equal(await frame.textContent('#categories'), 'gambling');
  assert.deepEqual(hitsFor(GAMBLING), []);
  assert.equal(hitsFor('unlisted.example').filter((h) => h.path === '/frame.html').length, 1);
  await page.close();
});

test('a child-abuse image embedded in an unlisted page never reaches the origin', async () => {
  const page = await visit(`http://unlisted.example:${P}/image.html`);
  assert.equal(await page.evaluate(() => document.getElementById('i').complete && document.getElementById('i').naturalWidth), 0);
  assert.deepEqual(hitsFor(`img.${IWF_SITE}`), []);
  await page.close();
});

test('a listed script, fetch() and WebSocket from page script never reach the origin', async () => {
  const page = await visit(`http://unlisted.example:${P}/script.html`);
  assert.equal(await page.textContent('#done'), 'loaded');
  await page.close();
  const fetching = await visit(`http://unlisted.example:${P}/fetch.html`);
  assert.match(await fetching.evaluate(() => window.result), /^failed/);
  assert.equal(await fetching.evaluate(() => window.socket), 'error');
  await fetching.close();
  assert.deepEqual(hitsFor(GAMBLING), []);
});

test('a redirect from an unlisted address to a listed one stops at the redirect', async () => {
  const page = await visit(`http://unlisted.example:${P}/redirect`);
  assert.equal(new URL(page.url()).pathname, '/block.html', page.url());
  assert.equal(hitsFor('unlisted.example').filter((h) => h.path === '/redirect').length, 1);
  assert.deepEqual(hitsFor(GAMBLING), []);
  await page.close();
});

test('listed addresses spelled with evasions never reach the origin', async () => {
  for (const url of [
    `http://WWW.BET365.COM.:${P}/`,
    `http://www.bet365.com:${P}//x.html`,
    `http://${IWF_PAGE_HOST}.:${P}/abuse/%70age-1.html`,
    `http://IWF-TEST.esafety.invalid:${P}/abuse/./x/../page-1.html#frag`,
  ]) {
    const page = await visit(url);
    assert.equal(new URL(page.url()).pathname, '/block.html', `${url} -> ${page.url()}`);
    await page.close();
  }
  assert.deepEqual(hitsFor(GAMBLING), []);
  assert.deepEqual(hitsFor(IWF_PAGE_HOST), []);
});

// mediafire.com is warned (file sharing): the request does not go out until
// the user continues. (Not wetransfer.com or mega.nz: HSTS-preloaded.)
test('a warned page reaches the origin only after the user continues', async () => {
  const page = await visit(`http://mediafire.com:${P}/`);
  assert.equal(new URL(page.url()).pathname, '/block.html', page.url());
  assert.deepEqual(hitsFor('mediafire.com'), []);
  await page.click('#proceed');
  await page.waitForURL(`http://mediafire.com:${P}/`, { timeout: 10_000 });
  assert.equal(await page.textContent('#host'), `mediafire.com:${P}`);
  assert.equal(hitsFor('mediafire.com').filter((h) => h.path === '/').length, 1);
  await page.close();
});

test('unlisted pages load', async () => {
  const page = await visit(`http://unlisted.example:${P}/`);
  assert.equal(await page.textContent('#host'), `unlisted.example:${P}`);
  await page.close();
});

test('the status page says the engine decides every request', async () => {
  const page = await visit(`chrome-extension://${extensionId}/status.html`);
  await page.waitForSelector('body[data-ready="true"]');
  assert.match(await page.textContent('#mode'), /by policy/);
  assert.match(await page.textContent('#guaranteed'), /every request of every type/);
  await page.close();
});
