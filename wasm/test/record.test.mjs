// `engine.record(request, options?)`, `engine.recordJson(...)` and
// `searchTerms(url)`: the decision record with the identity passed in, a
// pseudonymised user (HMAC-SHA-256 under the caller's key, checked here
// with Node's own crypto), and no plaintext in a statutory record. Both
// exist in the full build only: the extension build must not export them.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadNodePackage, PKG, REPO } from './helpers.mjs';

const esafety = loadNodePackage();
const { sampleBundle, Policy, Engine, EsafetyError, searchTerms } = esafety;
const extension = createRequire(import.meta.url)(join(PKG, 'extension', 'node', 'index.js'));

const policy = Policy.fromToml(readFileSync(join(REPO, 'policies', 'secondary-pupils.toml'), 'utf8'));
const engine = new Engine(sampleBundle(), policy);
const T = '2026-03-02T10:00:00Z';
const IWF_URL = 'http://whole-site.iwf-test2.esafety.invalid/some/page.html';
const KEY = new Uint8Array(Array.from({ length: 32 }, (_, i) => i + 1));

describe('engine.record', () => {
  test('keeps the identity passed in and decides as engine.decide', () => {
    const rec = engine.record({
      url: 'https://www.bet365.com/',
      time: T,
      site: 'hill-school',
      clientIp: '10.1.2.3',
      user: 'ada',
      group: 'pupils',
      age: 14,
      device: 'managed',
    });
    const decision = engine.decide({ url: 'https://www.bet365.com/', time: T, group: 'pupils', age: 14, device: 'managed' });
    assert.equal(rec.site, 'hill-school');
    assert.equal(rec.client_ip, '10.1.2.3');
    assert.equal(rec.user, 'ada');
    assert.equal(rec.group, 'pupils');
    assert.equal(rec.age, 14);
    assert.equal(rec.device, 'managed');
    assert.equal(rec.policy, policy.id);
    assert.equal(rec.action, decision.action);
    assert.equal(rec.rule, decision.rule);
    assert.deepEqual(rec.categories, [...decision.categories]);
    assert.equal(rec.url, decision.canonical);
    assert.equal(rec.time, '2026-03-02T10:00:00+00:00');
    assert.deepEqual(JSON.parse(engine.recordJson({ url: 'https://www.bet365.com/', time: T, site: 'hill-school', clientIp: '10.1.2.3', user: 'ada', group: 'pupils', age: 14, device: 'managed' })), rec);
  });

  test('an absent identity is null, epoch milliseconds are a time', () => {
    const rec = engine.record({ url: 'http://unlisted.example/', time: Date.parse(T) });
    for (const k of ['site', 'client_ip', 'user', 'group', 'age', 'device']) assert.equal(rec[k], null, k);
    assert.equal(rec.time, '2026-03-02T10:00:00+00:00');
  });

  test('pseudonymKey writes the user as pseudonym: + 32 hex digits of HMAC-SHA-256(key, user)', () => {
    const rec = engine.record({ url: 'http://unlisted.example/', time: T, user: 'ada' }, { pseudonymKey: KEY });
    const want = `pseudonym:${createHmac('sha256', KEY).update('ada').digest('hex').slice(0, 32)}`;
    assert.equal(rec.user, want);
    assert.doesNotMatch(engine.recordJson({ url: 'http://unlisted.example/', time: T, user: 'ada' }, { pseudonymKey: KEY }), /"ada"/);
    // The same user, the same pseudonym; another key, another one.
    assert.equal(engine.record({ url: 'http://b.example/', time: T, user: 'ada' }, { pseudonymKey: KEY }).user, want);
    assert.notEqual(engine.record({ url: 'http://b.example/', time: T, user: 'ada' }, { pseudonymKey: KEY.map((b) => b ^ 1) }).user, want);
  });

  test('clientIp: false leaves the address out', () => {
    assert.equal(engine.record({ url: 'http://a.example/', time: T, clientIp: '10.1.2.3' }, { clientIp: false }).client_ip, null);
  });

  // As squid-helper records the request a warning page's pass let
  // through: the warn record marked `proceeded: true`; a block is never
  // marked, whatever the host says.
  const proceedCases = [
    ['a warned page continued to', 'http://mediafire.com/', 'warn', true],
    ['a warned page not continued to', 'http://mediafire.com/', 'warn', false],
    ['a blocked page the host says was continued to', 'https://www.bet365.com/', 'block', true],
  ];
  for (const [name, url, action, proceeded] of proceedCases) {
    test(`proceeded: ${name}`, () => {
      const rec = engine.record({ url, time: T, group: 'pupils', age: 14 }, { proceeded });
      assert.equal(rec.action, action);
      const marked = action === 'warn' && proceeded;
      assert.equal(rec.proceeded, marked ? true : undefined);
      const line = engine.recordJson({ url, time: T, group: 'pupils', age: 14 }, { proceeded });
      assert.equal(line.endsWith(',"proceeded":true}'), marked, line);
    });
  }

  test('a statutory record holds the digest id, the alert and an incident draft, never the URL', () => {
    const rec = engine.record({ url: IWF_URL, time: T, user: 'ada', group: 'pupils', age: 14 });
    assert.equal(rec.action, 'block');
    assert.deepEqual(rec.categories, ['child-abuse']);
    assert.match(rec.url, /^sha256:[0-9a-f]+/);
    assert.ok(rec.alert, 'a statutory block alerts');
    assert.ok(rec.incident, 'a statutory block drafts an incident');
    const line = engine.recordJson({ url: IWF_URL, time: T, user: 'ada', group: 'pupils', age: 14 });
    for (const plain of ['iwf-test2', 'whole-site', 'some/page', 'esafety.invalid']) {
      assert.ok(!line.includes(plain), `the record has \`${plain}\` in it: ${line}`);
    }
  });

  test('a URL that is not one is a blocked record with rule error', () => {
    const rec = engine.record({ url: 'http://[::1', time: T });
    assert.equal(rec.action, 'block');
    assert.equal(rec.rule, 'error');
    assert.equal(rec.url, null);
    assert.equal(typeof rec.error, 'string');
  });

  const bad = [
    ['an unknown field', { url: 'http://a.example/', time: T, usr: 'x' }, undefined, /usr/],
    ['no time', { url: 'http://a.example/' }, undefined, /time/],
    ['a bad clientIp', { url: 'http://a.example/', time: T, clientIp: 'not an ip' }, undefined, /not an IPv4 or IPv6 address/],
    ['a bad device', { url: 'http://a.example/', time: T, device: 'laptop' }, undefined, /laptop/],
    ['a short key', { url: 'http://a.example/', time: T, user: 'u' }, { pseudonymKey: new Uint8Array(4) }, /16/],
    ['an unknown option', { url: 'http://a.example/', time: T }, { pseudonym: KEY }, /pseudonym/],
    ['a proceeded that is not a boolean', { url: 'http://a.example/', time: T }, { proceeded: 'yes' }, /proceeded/],
    ['a Proxy request', new Proxy({ url: 'http://a.example/', time: T }, { ownKeys() { throw new Error('trap'); } }), undefined, /cannot read `request`/],
    ['a throwing getter', Object.defineProperty({ time: T }, 'url', { enumerable: true, get() { throw new Error('getter'); } }), undefined, /cannot read `request`/],
  ];
  for (const [name, request, options, message] of bad) {
    test(`refuses ${name} with an EsafetyError`, () => {
      assert.throws(() => engine.record(request, options), (e) => {
        assert.ok(e instanceof EsafetyError, String(e));
        assert.match(e.code, /^invalid-(request|argument)$/);
        assert.match(e.message, message);
        return true;
      });
    });
  }
});

describe('searchTerms', () => {
  const cases = [
    ['google', 'https://www.google.com/search?q=how+to+Knit&hl=en', { site: 'google', terms: 'how to Knit' }],
    ['bing', 'https://www.bing.com/search?q=cats%20and%20dogs', { site: 'bing', terms: 'cats and dogs' }],
    ['duckduckgo', 'https://duckduckgo.com/?q=weather', { site: 'duckduckgo', terms: 'weather' }],
    ['youtube', 'https://www.youtube.com/results?search_query=lego', { site: 'youtube', terms: 'lego' }],
    ['not a search', 'https://www.bbc.co.uk/news', null],
    ['a search site without terms', 'https://www.google.com/', null],
  ];
  for (const [name, url, want] of cases) {
    test(name, () => assert.deepEqual(searchTerms(url), want));
  }

  test('the record carries the same search terms', () => {
    const url = 'https://www.google.com/search?q=how+to+Knit';
    assert.deepEqual(engine.record({ url, time: T }).search_terms, searchTerms(url));
  });

  test('not a URL, or not a string: an EsafetyError', () => {
    assert.throws(() => searchTerms('http://[::1'), (e) => e instanceof EsafetyError && e.code === 'invalid-url');
    assert.throws(() => searchTerms(42), (e) => e instanceof EsafetyError && e.code === 'invalid-argument');
  });
});

test('the extension build has neither (full build only)', () => {
  assert.equal(extension.searchTerms, undefined);
  assert.equal(typeof extension.Engine.prototype.record, 'undefined');
  assert.equal(typeof extension.Engine.prototype.decide, 'function');
});
