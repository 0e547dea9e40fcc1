// engine.decide crosses the JavaScript/WebAssembly boundary through
// wasm/js/decide.js: a plain request is read in one call straight into
// WebAssembly memory (the group and device bytes are reused while they stay
// the same), anything else is read field by field in Rust, and the result is
// made with one object literal from cached strings. These tests check that
// every route gives the same decision, and that the caches never leak one
// request or result into another.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadNodePackage, loadVectors, REPO } from './helpers.mjs';

const { sampleBundle, Policy, Engine, Bundle } = loadNodePackage();

const policyText = readFileSync(join(REPO, 'policies', 'secondary-pupils.toml'), 'utf8');
const engine = new Engine(sampleBundle(), Policy.fromToml(policyText));

// A policy whose decisions depend on group, age and device, and one of
// whose reasons carries a NUL (the result lists are joined on NUL).
const byUser = new Engine(sampleBundle(), Policy.fromToml(`
id = "by-user"
default = "allow"

[[rules]]
id = "staff-allow-gambling"
action = "allow"
categories = ["gambling"]
groups = ["staff"]

[[rules]]
id = "byod-warn-gambling"
action = "warn"
categories = ["gambling"]
device = "byod"

[[rules]]
id = "young-block-gambling"
action = "block"
categories = ["gambling"]
age = { min = 0, max = 15 }
description = "nul\\u0000inside"

[[rules]]
id = "block-gambling"
action = "block"
categories = ["gambling"]
`));

const T = Date.UTC(2026, 2, 2, 10);
const ISO = '2026-03-02T10:00:00Z';

/** The same request read by the Rust field-by-field route: an ISO time string never takes the fast path. */
const slow = (request) => ({ ...request, time: ISO });

describe('fast and field-by-field requests decide alike', () => {
  const urls = [
    'https://www.bet365.com/',
    'HTTP://Unlisted.Example',
    'https://www.google.com/search?q=x',
    'http://iwf-test.esafety.invalid/abuse/page-1.html',
    'http://Bücher.example/ü?q=ö',
    'https://a.example/\ud800',
    'https://a.example/nul\u0000byte',
    `https://long.example/${'a'.repeat(20000)}`,
  ];
  for (const c of loadVectors('decisions')?.doc.case ?? []) {
    if (typeof c.url === 'string') urls.push(c.url);
  }
  assert.ok(urls.length > 20, 'the shared decision vectors are missing');
  const users = [
    {},
    { group: 'pupils', age: 14, device: 'managed' },
    { group: 'staff' },
    { group: 'pupils', age: 12 },
    { device: 'byod' },
    { group: 'é-group', age: 0, device: 'managed' },
    { group: null, age: undefined, device: null },
  ];
  test(`${urls.length} URLs x ${users.length} users, twice each`, () => {
    for (const e of [engine, byUser]) {
      for (const user of users) {
        for (const url of urls) {
          const request = { ...user, url, time: T };
          let expected;
          try {
            expected = e.decide(slow(request));
          } catch (err) {
            assert.throws(() => e.decide(request), { message: err.message });
            continue;
          }
          assert.deepEqual(e.decide(request), expected, `${JSON.stringify(user)} ${url.slice(0, 80)}`);
          assert.deepEqual(e.decide(request), expected, `again: ${JSON.stringify(user)} ${url.slice(0, 80)}`);
        }
      }
    }
  });
});

describe('the reused group and device bytes follow the request', () => {
  const url = 'https://www.bet365.com/';
  const cases = [
    ['staff', { group: 'staff' }, 'staff-allow-gambling'],
    ['same length group', { group: 'stuff' }, 'block-gambling'],
    ['same group in capitals', { group: 'STAFF' }, 'staff-allow-gambling'],
    ['no group', {}, 'block-gambling'],
    ['byod', { device: 'byod' }, 'byod-warn-gambling'],
    ['managed', { device: 'managed' }, 'block-gambling'],
    ['staff again', { group: 'staff' }, 'staff-allow-gambling'],
    ['staff on byod', { group: 'staff', device: 'byod' }, 'staff-allow-gambling'],
    ['young', { age: 12 }, 'young-block-gambling'],
    ['age absent', {}, 'block-gambling'],
  ];
  test('each decision is the one for its own user', () => {
    for (let round = 0; round < 3; round++) {
      for (const [name, user, rule] of cases) {
        assert.equal(byUser.decide({ ...user, url, time: T }).rule, rule, `${name}, round ${round}`);
      }
    }
  });
  test('after the WebAssembly memory grows', () => {
    assert.equal(byUser.decide({ group: 'staff', url, time: T }).rule, 'staff-allow-gambling');
    // Bundle.fromBytes copies its argument into WebAssembly memory: 64 MiB
    // makes the memory grow (and the bytes are no bundle).
    assert.throws(() => Bundle.fromBytes(new Uint8Array(64 * 1024 * 1024)), { code: 'invalid-bundle' });
    assert.equal(byUser.decide({ group: 'staff', url, time: T }).rule, 'staff-allow-gambling');
    assert.equal(byUser.decide({ group: 'other', url, time: T }).rule, 'block-gambling');
  });
});

describe('results are fresh objects with frozen, shared lists', () => {
  test('mutating one result does not change the next', () => {
    const request = { group: 'pupils', age: 14, url: 'https://www.bet365.com/', time: T };
    const first = engine.decide(request);
    const expected = structuredClone(first);
    assert.throws(() => first.reasons.push('mutated'), TypeError);
    assert.throws(() => { first.categories.length = 0; }, TypeError);
    assert.throws(() => { first.categories[0] = 'allowed'; }, TypeError);
    first.action = 'allow';
    const second = engine.decide(request);
    assert.deepEqual(second, expected);
    assert.notEqual(second, first, 'each decision is a new object');
    assert.equal(second.reasons, first.reasons, 'the same list is one shared array');
  });
  test('every route freezes its lists', () => {
    const fast = engine.decide({ url: 'https://www.bet365.com/', time: T });
    // An ISO time string is read in Rust (the slow route).
    const slow = engine.decide({ url: 'https://www.bet365.com/', time: '2026-11-23T10:00:00Z' });
    // A reason holding NUL cannot go through the joined-text cache.
    const fresh = byUser.decide({ age: 12, url: 'https://www.bet365.com/', time: T });
    for (const [name, d] of [['fast', fast], ['slow', slow], ['uncached', fresh]]) {
      assert.ok(Object.isFrozen(d.categories), `${name}: categories`);
      assert.ok(Object.isFrozen(d.reasons), `${name}: reasons`);
      assert.ok(!Object.isFrozen(d), `${name}: the result itself is the caller's`);
    }
  });
  test('a reason with a NUL comes back whole', () => {
    const d = byUser.decide({ age: 12, url: 'https://www.bet365.com/', time: T });
    assert.equal(d.rule, 'young-block-gambling');
    assert.ok(d.reasons[0].endsWith(': nul\u0000inside'), d.reasons[0]);
    assert.equal(d.reasons.length, 2);
  });
});

describe('requests the fast path leaves to Rust', () => {
  test('an inherited enumerable field is not an unknown field', () => {
    const request = Object.create({ inherited: 1 });
    Object.assign(request, { url: 'https://www.bet365.com/', time: T });
    assert.equal(engine.decide(request).action, 'block');
  });
  test('a getter is read, and its value decides', () => {
    let reads = 0;
    const request = { time: T, get url() { reads += 1; return 'https://www.bet365.com/'; } };
    assert.equal(engine.decide(request).url, 'https://www.bet365.com/');
    assert.ok(reads >= 1);
  });
  test('a URL too long for the scratch buffer still decides, and comes back as given', () => {
    const url = `https://www.bet365.com/${'x'.repeat(40000)}`;
    const d = engine.decide({ url, time: T });
    assert.equal(d.action, 'block');
    assert.equal(d.url, url);
  });
  test('after a field-by-field request the next fast one hands back its own URL', () => {
    engine.decide({ url: 'https://one.example/', time: ISO });
    assert.equal(engine.decide({ url: 'https://two.example/', time: T }).url, 'https://two.example/');
    assert.equal(engine.decide({ url: 'https://three.example/', time: ISO }).url, 'https://three.example/');
  });
});
