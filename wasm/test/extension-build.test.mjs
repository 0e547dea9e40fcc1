// The extension build (wasm/pkg/extension, `esafety/extension`): bundles,
// classification and decisions with JSON policies, nothing else. It must
// decide every shared decision vector (tests/vectors/decisions.toml) as the
// full build does, from the policies compiled to JSON by the full build's
// Policy.toJson (the core's Policy::to_json, as `esafety compile-policy`),
// and must not carry the full build's TOML reader, linter or incident model.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { loadNodePackage, loadVectors, vectorFilter, withoutContentLimits, PKG, REPO } from './helpers.mjs';

const require = createRequire(import.meta.url);
const entry = join(PKG, 'extension', 'node', 'esafety.js');
if (!existsSync(entry)) throw new Error(`${entry} is missing; run scripts/build-wasm.sh first`);
const ext = require(entry);
const full = loadNodePackage();

describe('the extension build', () => {
  test('has the extension exports', () => {
    for (const name of ['Bundle', 'Policy', 'Engine', 'canonicalize', 'errorDecision', 'version']) {
      assert.ok(name in ext, `extension build lacks ${name}`);
    }
    assert.equal(typeof ext.Policy.fromJson, 'function');
    assert.equal(typeof ext.Policy.load, 'function');
    assert.equal(ext.version(), full.version());
  });

  test('leaves out what the full build adds', () => {
    for (const name of ['lintPolicy', 'assessIncident', 'escalationProfiles', 'sampleBundle', 'sampleBundleBytes']) {
      assert.ok(!(name in ext), `extension build has ${name}`);
    }
    assert.equal(ext.Policy.fromToml, undefined);
    assert.equal(typeof ext.Bundle.prototype.verify, 'undefined');
    assert.equal(typeof ext.Policy.prototype.toJson, 'undefined');
  });

  test('refuses a TOML policy, saying how to convert it', () => {
    const text = readFileSync(join(REPO, 'policies/secondary-pupils.toml'), 'utf8');
    assert.throws(() => ext.Policy.load(text, 'secondary-pupils.toml'), (err) => {
      assert.equal(err.code, 'invalid-policy');
      assert.match(err.message, /JSON documents only/);
      assert.match(err.message, /esafety compile-policy/);
      return true;
    });
  });

  test('fails closed through the core', () => {
    const d = ext.errorDecision('http://example.org/', 'engine not ready');
    assert.equal(d.action, 'block');
    assert.equal(d.rule, 'error');
  });

  test('is smaller than the full build', () => {
    const size = (p) => readFileSync(p).length;
    assert.ok(size(join(PKG, 'extension', 'web', 'esafety_bg.wasm')) < size(join(PKG, 'web', 'esafety_bg.wasm')));
  });
});

// The extension build cannot scan content or read `options.limits`
// (wasm/Cargo.toml, features `content` and `limits`): a policy naming a
// content limit and a caller setting limits get a coded error, never a
// policy that silently never blocks on content or bounds other than asked.
describe('what the extension build refuses', () => {
  const refused = (f, code, message, line, column) => {
    let thrown;
    try {
      f();
    } catch (e) {
      thrown = e;
    }
    assert.ok(thrown instanceof Error && thrown.name === 'EsafetyError', `not an EsafetyError: ${thrown?.stack ?? thrown}`);
    assert.equal(thrown.code, code, thrown.message);
    assert.match(thrown.message, message);
    if (line !== undefined) assert.deepEqual([thrown.line, thrown.column], [line, column]);
  };
  const unavailable = /content limit cannot be applied: this build of esafety has no content scanning \(feature `content`\); use a build with it, or remove `content_limit`/;
  const policies = [
    ['the policy\'s own limit, by age', '{"id":"p","default":"allow","content_limit":"by-age"}', 1, 53],
    ['the policy\'s own limit, in points', '{"id":"p","default":"allow","content_limit":70}', 1, 47],
    ['a rule\'s limit', '{"id":"p","default":"allow","rules":[{"id":"r","action":"warn","content_limit":30}]}', 1, 82],
    ['a limit that is no limit at all', '{"id":"p","default":"allow","content_limit":"teens"}', 1, 52],
    ['a limit as an object', '{"id":"p","default":"allow","content_limit":{"points":5}}', 1, 57],
  ];
  for (const [name, text, line, column] of policies) {
    test(`a policy naming a content limit: ${name}`, () => {
      refused(() => ext.Policy.fromJson(text, 'p.json'), 'invalid-policy', unavailable, line, column);
    });
  }
  test('the full build loads them', () => {
    for (const [, text] of policies.slice(0, 3)) assert.equal(full.Policy.fromJson(text, 'p.json').id, 'p');
  });

  const bytes = full.sampleBundleBytes();
  const policyText = '{"id":"p","default":"allow"}';
  const loaders = [
    ['Bundle.fromBytes', (options) => ext.Bundle.fromBytes(bytes, options)],
    ['Policy.fromJson', (options) => ext.Policy.fromJson(policyText, 'p.json', options)],
    ['Policy.load', (options) => ext.Policy.load(policyText, 'p.json', options)],
  ];
  const setLimits = [
    ['one limit', { limits: { maxDocumentLen: 10 } }, /`options.limits` cannot be set in this build, which reads with the default limits/],
    ['an empty limits object', { limits: {} }, /`options.limits` cannot be set in this build/],
    ['limits that are no object', { limits: 5 }, /`options.limits` cannot be set in this build/],
    ['another option', { limit: { maxDocumentLen: 10 } }, /`options` has no field `limit`; the field is `limits`/],
    ['options that are no object', 'big', /`options` must be an object, not string/],
  ];
  const defaults = [
    ['no options', undefined],
    ['null options', null],
    ['empty options', {}],
    ['limits undefined', { limits: undefined }],
    ['limits null', { limits: null }],
  ];
  for (const [loader, load] of loaders) {
    for (const [name, options, message] of setLimits) {
      test(`${loader} refuses ${name}`, () => refused(() => load(options), 'invalid-argument', message));
    }
    for (const [name, options] of defaults) {
      test(`${loader} reads with the defaults given ${name}`, () => {
        const loaded = load(options);
        assert.ok(loaded instanceof (loader === 'Bundle.fromBytes' ? ext.Bundle : ext.Policy));
        loaded.free();
      });
    }
  }
});

describe('tests/vectors/decisions.toml with JSON policies, extension build against full build', () => {
  const v = loadVectors('decisions');
  if (v === null) throw new Error('tests/vectors/decisions.toml is missing');
  const cases = (v.doc.case ?? []).filter((c) => vectorFilter(c.name));
  assert.ok(cases.length > 0, `${v.path} has no [[case]]`);
  const bytes = full.sampleBundleBytes();
  const extBundle = ext.Bundle.fromBytes(bytes);
  const fullBundle = full.Bundle.fromBytes(bytes);
  const engines = new Map();
  const enginesFor = (path) => {
    if (!engines.has(path)) {
      const fullPolicy = full.Policy.load(readFileSync(join(REPO, path), 'utf8'), path);
      // The extension build cannot scan content (helpers.mjs).
      const json = withoutContentLimits(fullPolicy.toJson());
      engines.set(path, [new ext.Engine(extBundle, ext.Policy.fromJson(json, `${path}.json`)), new full.Engine(fullBundle, fullPolicy)]);
    }
    return engines.get(path);
  };
  for (const c of cases) {
    test(c.name, () => {
      const request = { url: c.url, time: c.at };
      if (c.group !== undefined) request.group = c.group;
      if (c.age !== undefined) request.age = Number(c.age);
      if (c.device !== undefined) request.device = c.device;
      const [extEngine, fullEngine] = enginesFor(c.policy);
      const d = extEngine.decide(request);
      assert.equal(d.action, c.expect_action, JSON.stringify(d));
      assert.equal(d.rule, c.expect_rule, JSON.stringify(d));
      assert.deepEqual(d.categories, c.expect_categories);
      assert.deepEqual(d, fullEngine.decide(request));
    });
  }
});
