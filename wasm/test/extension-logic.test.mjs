// The example extension's request check (wasm/extension/check.js) and its
// status wording (guarantees.js) with the Node build of the package, the
// bundle and the policy the extension ships (wasm/extension/lib/embedded.js,
// written by scripts/build-wasm.sh).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadNodePackage, WASM_DIR } from './helpers.mjs';
import { answer, checkNavigation, blockPage, decide, moduleFailedDecision, readBlockPage, readConfig, unavailable, PAGE_MAX, SHOWN_MAX } from '../extension/check.js';
import { guarantees } from '../extension/guarantees.js';
import { readEmbedded } from '../extension/build.mjs';

const { Bundle, Policy, Engine, errorDecision } = loadNodePackage();
// The full build in Node (the extension runs the extension build, whose
// decisions the shared vectors check alike: test/extension-build.test.mjs).
const EXT = join(WASM_DIR, 'extension');
const shipped = await readEmbedded(EXT);
const engine = new Engine(Bundle.fromBytes(shipped.bundle), Policy.fromJson(shipped.policy, shipped.policyFile));
const context = JSON.parse(readFileSync(join(EXT, 'config.json'), 'utf8'));
const MONDAY_10_GMT = Date.UTC(2026, 2, 2, 10, 0);
const IWF_WORDING =
  'Access has been denied by your internet access provider because this page may contain indecent images of children as identified by the Internet Watch Foundation';

describe('extension check.js', () => {
  test('the manifest is MV3 with wasm-unsafe-eval and a module service worker', () => {
    const m = JSON.parse(readFileSync(join(EXT, 'manifest.json'), 'utf8'));
    assert.equal(m.manifest_version, 3);
    assert.equal(m.background.type, 'module');
    assert.match(m.content_security_policy.extension_pages, /'wasm-unsafe-eval'/);
    for (const p of ['webRequest', 'webRequestBlocking', 'declarativeNetRequest', 'webNavigation', 'storage', 'alarms']) {
      assert.ok(m.permissions.includes(p), p);
    }
    assert.equal(m.storage.managed_schema, 'managed_schema.json');
    assert.deepEqual(m.declarative_net_request.rule_resources.map((r) => [r.id, r.enabled]), [['fail-closed', true]]);
  });

  test('the managed schema has the keys the worker reads, and the worker refuses others', () => {
    const schema = JSON.parse(readFileSync(join(EXT, 'managed_schema.json'), 'utf8'));
    assert.deepEqual(Object.keys(schema.properties).sort(), ['age', 'bundleUrl', 'device', 'group', 'policy']);
    assert.deepEqual(readConfig({}, context), { context, policy: null, bundleUrl: null });
    assert.deepEqual(readConfig({ group: 'staff', age: 40, bundleUrl: 'https://s.example/b.esb' }, context).context, { group: 'staff', age: 40, device: 'managed' });
    assert.throws(() => readConfig({ grup: 'staff' }, context), /unknown key `grup`/);
    assert.throws(() => readConfig({ age: '14' }, context), /`age` is a string, not a number/);
  });

  test('the fail-closed ruleset blocks every request type until the rules are written', () => {
    const rules = JSON.parse(readFileSync(join(EXT, 'rules', 'fail-closed.json'), 'utf8'));
    const types = rules.flatMap((r) => r.condition.resourceTypes);
    assert.equal(new Set(types).size, types.length);
    assert.equal(types.length, 15);
    assert.equal(rules[0].action.type, 'redirect');
    assert.equal(readBlockPage(rules[0].action.redirect.extensionPath.slice('/block.html'.length)).rule, 'error');
  });

  // The blocking listener's answer, per request type (managed installs).
  test('a blocked request: pages and frames go to the block page, everything else is cancelled', () => {
    const report = decide(engine, 'https://www.bet365.com/x.png', MONDAY_10_GMT, context, errorDecision);
    const pageUrl = (p) => `chrome-extension://id/${p}`;
    for (const type of ['main_frame', 'sub_frame']) {
      const a = answer(report, { type, url: report.url }, pageUrl);
      assert.ok(a.redirectUrl.startsWith('chrome-extension://id/block.html#'), type);
    }
    for (const type of ['image', 'media', 'script', 'stylesheet', 'font', 'xmlhttprequest', 'websocket', 'ping', 'object', 'csp_report', 'other']) {
      assert.deepEqual(answer(report, { type, url: report.url }, pageUrl), { cancel: true }, type);
    }
    const allowed = decide(engine, 'https://unlisted.example/', MONDAY_10_GMT, context, errorDecision);
    assert.deepEqual(answer(allowed, { type: 'image', url: allowed.url }, pageUrl), {});
    assert.deepEqual(answer(null, { type: 'main_frame', url: 'chrome://settings/' }, pageUrl), {});
  });

  test('a warned request is let through once its page was continued to', () => {
    const report = decide(engine, 'https://wetransfer.com/', MONDAY_10_GMT, context, errorDecision);
    assert.equal(report.action, 'warn');
    const pageUrl = (p) => p;
    assert.ok(answer(report, { type: 'main_frame', url: report.url }, pageUrl).redirectUrl);
    assert.deepEqual(answer(report, { type: 'image', url: report.url }, pageUrl), { cancel: true });
    const proceeded = new Set([report.url]);
    assert.deepEqual(answer(report, { type: 'main_frame', url: report.url }, pageUrl, proceeded), {});
    const image = decide(engine, 'https://wetransfer.com/logo.png', MONDAY_10_GMT, context, errorDecision);
    assert.deepEqual(answer(image, { type: 'image', url: image.url, documentUrl: report.url }, pageUrl, proceeded), {});
  });

  test('a request blocked while the filter starts carries its address to load again', () => {
    const report = errorDecision('http://unlisted.example/', 'the filter is starting');
    const a = answer(report, { type: 'main_frame', url: report.url }, (p) => p, new Set(), report.url);
    assert.equal(readBlockPage(a.redirectUrl.slice('block.html'.length)).retry, 'http://unlisted.example/');
  });

  test('the one JavaScript copy of the fail-closed decision has the shape of the core one', () => {
    const core = errorDecision('http://a.example/', 'why');
    const ours = moduleFailedDecision('http://a.example/', 'why');
    assert.deepEqual(Object.keys(ours).sort(), Object.keys(core).sort());
    for (const k of ['url', 'action', 'rule', 'categories', 'reasons']) assert.deepEqual(ours[k], core[k], k);
  });

  test('the status wording: managed covers everything, unmanaged names what it leaves out', () => {
    const managed = guarantees({ mode: 'managed', error: null, dnr: null });
    assert.match(managed.guaranteed[0], /every request of every type .* child-abuse \(IWF\) and terrorism lists included/);
    // The shape engine.dnrRules gives (its contents are checked in Chromium,
    // extension.test.mjs; the Node build has no dnr feature).
    const coverage = [
      { list: 'sample-gambling', category: 'gambling', coverage: 'rules' },
      { list: 'sample-streaming', category: 'streaming', coverage: 'engine' },
      { list: 'sample-iwf', category: 'child-abuse', coverage: 'sensitive' },
    ];
    const notCovered = ['`sample-iwf` (child-abuse, 5 entries): held only as digests', '`sample-terrorism` (terrorism, 2 entries): held only as digests'];
    const unmanaged = guarantees({ mode: 'unmanaged', error: null, dnr: { coverage, notCovered, engineOnly: ['x'], spellingDifferences: ['y'] } });
    assert.match(unmanaged.guaranteed[0], /sample-gambling \(gambling\)/);
    assert.ok(!unmanaged.guaranteed[0].includes('sample-iwf'));
    assert.ok(unmanaged.notGuaranteed.some((l) => l.startsWith('`sample-iwf` (child-abuse')));
    assert.ok(unmanaged.notGuaranteed.some((l) => l.startsWith('`sample-terrorism` (terrorism')));
    const failed = guarantees({ mode: 'unmanaged', error: 'bad bundle', dnr: null });
    assert.deepEqual(failed.guaranteed, ['the filter could not start, so every web request is blocked']);
  });

  test('a listed gambling site goes to the block page with the reason', () => {
    const { report, page } = checkNavigation(engine, 'https://www.bet365.com/', MONDAY_10_GMT, context, errorDecision);
    assert.equal(report.action, 'block');
    assert.ok(page.startsWith('block.html#'));
    const shown = readBlockPage(page.slice('block.html'.length));
    assert.equal(shown.url, 'https://www.bet365.com/');
    assert.deepEqual(shown.categories, ['gambling']);
    assert.equal(shown.rule, report.rule);
    assert.deepEqual(shown.reasons, report.reasons);
  });

  test('a child-abuse page shows the IWF wording and never its address', () => {
    const url = 'http://whole-site.iwf-test2.esafety.invalid/x.html';
    const { report, page } = checkNavigation(engine, url, MONDAY_10_GMT, context, errorDecision);
    assert.equal(report.rule, 'baseline');
    const shown = readBlockPage(page.slice('block.html'.length));
    assert.ok(shown.message.includes(IWF_WORDING));
    assert.equal(shown.url, null);
    assert.ok(!decodeURIComponent(page).includes('iwf-test2'));
  });

  test('an unlisted page loads', () => {
    const { report, page } = checkNavigation(engine, 'http://unlisted.example:8080/', MONDAY_10_GMT, context, errorDecision);
    assert.equal(report.action, 'allow');
    assert.equal(page, null);
  });

  test('a warned page goes to the page in warning mode', () => {
    const { report, page } = checkNavigation(engine, 'https://wetransfer.com/', MONDAY_10_GMT, context, errorDecision);
    assert.equal(report.action, 'warn');
    assert.equal(readBlockPage(page.slice('block.html'.length)).action, 'warn');
  });

  test('pages that are not web pages are not checked', () => {
    for (const url of ['chrome://settings/', 'about:blank', 'chrome-extension://abc/block.html', 'data:text/html,hi', 'file:///etc/passwd']) {
      assert.deepEqual(checkNavigation(engine, url, MONDAY_10_GMT, context, errorDecision), { report: null, page: null }, url);
    }
  });

  test('an engine failure fails closed', () => {
    const broken = { decide() { const e = new Error('boom'); e.code = 'invalid-request'; throw e; } };
    const { report, page } = checkNavigation(broken, 'https://example.com/', MONDAY_10_GMT, context, errorDecision);
    assert.equal(report.action, 'block');
    assert.deepEqual(readBlockPage(page.slice('block.html'.length)).reasons, ['the request could not be checked, so it is blocked: boom']);
  });

  test('without an engine every web page is blocked, with the reason', () => {
    let error;
    try {
      Bundle.fromBytes(new Uint8Array([1, 2, 3]));
    } catch (e) {
      error = e;
    }
    assert.ok(error instanceof Error);
    const none = unavailable(error);
    for (const url of ['http://unlisted.example/', 'https://www.bbc.co.uk/']) {
      const { report, page } = checkNavigation(none, url, MONDAY_10_GMT, context, errorDecision);
      assert.equal(report.action, 'block', url);
      assert.deepEqual(readBlockPage(page.slice('block.html'.length)).reasons, [`the request could not be checked, so it is blocked: ${error.message}`]);
    }
    assert.equal(checkNavigation(none, 'chrome://settings/', MONDAY_10_GMT, context, errorDecision).page, null);
  });

  test('a web address the engine cannot read fails closed, with the reason', () => {
    for (const url of ['http://[::1/', 'https://a.example:99999/', `http://a.example/${'a'.repeat(2 * 1024 * 1024)}`]) {
      const { report, page } = checkNavigation(engine, url, MONDAY_10_GMT, context, errorDecision);
      assert.equal(report.action, 'block', url.slice(0, 40));
      assert.equal(report.rule, 'error');
      assert.ok(page.length <= PAGE_MAX, `${page.length}`);
      assert.match(readBlockPage(page.slice('block.html'.length)).reasons[0], /^the request could not be checked, so it is blocked: (invalid host|invalid port|url is \d+ bytes long)/);
    }
  });

  // Chromium opens addresses up to 2 MiB; a listed page with a long query
  // or fragment added is still that page.
  test('a long query or fragment does not get a listed page past the filter', () => {
    for (const [name, url] of [
      ['fragment', `https://www.bet365.com/#${'a'.repeat(1_500_000)}`],
      ['query', `https://www.bet365.com/poker?${'q'.repeat(2_000_000)}`],
      ['child-abuse', `http://whole-site.iwf-test2.esafety.invalid/x.html?${'a'.repeat(1_000_000)}#${'b'.repeat(1_000_000)}`],
    ]) {
      const { report, page } = checkNavigation(engine, url, MONDAY_10_GMT, context, errorDecision);
      assert.equal(report.action, 'block', name);
      assert.ok(page.length <= PAGE_MAX, `${name}: the block page's address is ${page.length} long`);
      const shown = readBlockPage(page.slice('block.html'.length));
      assert.ok(shown.categories.length === 1 && ['gambling', 'child-abuse'].includes(shown.categories[0]), name);
      if (name === 'child-abuse') assert.equal(shown.url, null);
      else assert.equal(shown.url, `${url.slice(0, SHOWN_MAX)}…`, name);
    }
  });

  test('a warning offers the whole address to continue to, while the page stays under the limit', () => {
    const short = `https://wetransfer.com/?${'a'.repeat(100_000)}`;
    const shown = readBlockPage(checkNavigation(engine, short, MONDAY_10_GMT, context, errorDecision).page.slice('block.html'.length));
    assert.equal(shown.action, 'warn');
    assert.equal(shown.proceed, short);
    assert.equal(shown.url.length, SHOWN_MAX + 1);
    const long = `https://wetransfer.com/?${'a'.repeat(1_900_000)}`;
    const { page } = checkNavigation(engine, long, MONDAY_10_GMT, context, errorDecision);
    assert.ok(page.length <= PAGE_MAX);
    const clipped = readBlockPage(page.slice('block.html'.length));
    assert.equal(clipped.action, 'warn');
    assert.equal(clipped.proceed, null, 'too long to carry: the page offers no way on');
  });

  test('texts are cut without splitting a surrogate pair', () => {
    const report = { url: `http://a.example/${'a'.repeat(SHOWN_MAX - 18)}\u{1F600}`, action: 'block', rule: 'r', categories: [], reasons: [], message: null };
    const shown = readBlockPage(blockPage(report).slice('block.html'.length));
    assert.equal(shown.url, `${report.url.slice(0, SHOWN_MAX - 1)}…`);
    assert.ok(shown.url.isWellFormed());
  });

  test('blockPage / readBlockPage round-trip and reject junk', () => {
    const report = { url: 'http://a.example/', action: 'block', rule: 'r', categories: [], reasons: ['x'], message: 'm' };
    assert.deepEqual(readBlockPage(blockPage(report).slice('block.html'.length)), { action: 'block', rule: 'r', categories: [], reasons: ['x'], message: 'm', url: 'http://a.example/', proceed: null, retry: null });
    const warned = { ...report, action: 'warn' };
    assert.equal(readBlockPage(blockPage(warned).slice('block.html'.length)).proceed, 'http://a.example/');
    assert.equal(readBlockPage('#%E0%A4%A'), null);
    assert.equal(readBlockPage('#42'), null);
  });
});
