// Issues 31 and 32 at the WebAssembly boundary: `new Engine(notABundle, …)`
// threw wasm-bindgen's plain `Error` before entering WebAssembly; it is an
// `EsafetyError` with a code. `dnrRules`' `firstRuleId` was coerced
// silently (1.5 → 1, -1 → 4294967295); it is checked. `Bundle.fromBytes`
// and the `Policy` loaders take `{limits: {…}}`, core's `Limits`, read by
// type and checked by core.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadNodePackage, REPO } from './helpers.mjs';

const esafety = loadNodePackage();
const { Bundle, Policy, Engine, EsafetyError, sampleBundleBytes, assessIncident } = esafety;
const POLICY_TOML = readFileSync(join(REPO, 'policies', 'secondary-pupils.toml'), 'utf8');
const T = Date.UTC(2026, 2, 2, 10);

/** Asserts that `f` throws an EsafetyError of `code` whose message matches `message`. */
function throwsCoded(f, code, message, ErrorClass = EsafetyError) {
  let thrown;
  try {
    f();
  } catch (e) {
    thrown = e;
  }
  assert.ok(thrown !== undefined, 'did not throw');
  assert.ok(thrown instanceof ErrorClass, `not an EsafetyError: ${thrown?.stack ?? thrown}`);
  assert.equal(thrown.code, code, thrown.message);
  if (message) assert.match(thrown.message, message);
  return thrown;
}

describe('new Engine(bundle, policy) checks its arguments', () => {
  const bundle = Bundle.fromBytes(sampleBundleBytes());
  const policy = Policy.fromToml(POLICY_TOML);
  const cases = [
    ['a number for the bundle', () => new Engine(42, policy), /`bundle` must be a Bundle, not number/],
    ['a plain object for the bundle', () => new Engine({}, policy), /`bundle` must be a Bundle, not object/],
    ['bytes for the bundle', () => new Engine(sampleBundleBytes(), policy), /`bundle` must be a Bundle/],
    ['a policy for the bundle', () => new Engine(policy, policy), /`bundle` must be a Bundle/],
    ['undefined for the policy', () => new Engine(bundle, undefined), /`policy` must be a Policy, not undefined/],
    ['a bundle for the policy', () => new Engine(bundle, bundle), /`policy` must be a Policy/],
    ['a fake with a throwing share', () => new Engine({ __esafetyShare() { throw new Error('caller'); } }, policy), /`bundle` must be a Bundle/],
    ['a fake sharing a string', () => new Engine({ __esafetyShare: () => 'x' }, policy), /`bundle` must be a Bundle/],
  ];
  for (const [name, make] of cases) {
    test(name, () => throwsCoded(make, 'invalid-argument'));
  }
  test('the caller keeps both arguments, and the engine decides', () => {
    const engine = new Engine(bundle, policy);
    const again = new Engine(bundle, policy);
    assert.equal(engine.decide({ url: 'https://www.bet365.com/', time: T }).action, 'block');
    assert.equal(again.decide({ url: 'https://www.bet365.com/', time: T }).action, 'block');
    assert.ok(bundle.info().lists.length > 0);
    assert.equal(policy.id, Policy.fromToml(POLICY_TOML).id);
  });
});

describe('options.limits', () => {
  const bytes = sampleBundleBytes();
  test('the defaults load', () => {
    assert.ok(Bundle.fromBytes(bytes, {}).info().lists.length > 0);
    assert.ok(Bundle.fromBytes(bytes, { limits: {} }).info().lists.length > 0);
    assert.ok(Bundle.fromBytes(bytes, { limits: { maxBundleLen: bytes.length } }));
  });
  test('a bundle over maxBundleLen is too-large', () => {
    throwsCoded(() => Bundle.fromBytes(bytes, { limits: { maxBundleLen: bytes.length - 1 } }), 'too-large', /`max_bundle_len`/);
    throwsCoded(() => Bundle.fromBytes(bytes, { limits: { maxBundleMetaLen: 16 } }), 'too-large', /`max_bundle_meta_len`/);
  });
  test('a policy over maxPolicyRules or maxDocumentLen is too-large', () => {
    throwsCoded(() => Policy.fromToml(POLICY_TOML, 'p.toml', { limits: { maxPolicyRules: 1 } }), 'too-large', /`max_policy_rules`/);
    throwsCoded(() => Policy.load(POLICY_TOML, 'p.toml', { limits: { maxDocumentLen: 10 } }), 'too-large', /`max_document_len`/);
  });
  test('an incident or profile text over maxDocumentLen is too-large, one within it is assessed', () => {
    const incident = 'kind = "aup-breach"\ndeliberate = true\n';
    const profile = { toml: '[profile]\nid = "northshire"\nname = "Northshire"\n', file: 'n.toml' };
    const within = { limits: { maxDocumentLen: profile.toml.length } };
    assert.equal(assessIncident(incident, profile, within).severity, 'low');
    assert.equal(assessIncident(incident, 'national', { limits: { maxDocumentLen: incident.length } }).severity, 'low');
    throwsCoded(() => assessIncident(incident, 'national', { limits: { maxDocumentLen: incident.length - 1 } }), 'too-large', /the incident file is 38 bytes, over 37, the limit `max_document_len`/);
    throwsCoded(() => assessIncident({ kind: 'aup-breach' }, undefined, { limits: { maxDocumentLen: 8 } }), 'too-large', /`max_document_len`/);
    throwsCoded(() => assessIncident(incident, profile, { limits: { maxDocumentLen: profile.toml.length - 1 } }), 'too-large', /n\.toml: the escalation profile is 48 bytes, over 47/);
    throwsCoded(() => assessIncident(incident, 'national', { limits: { maxDocumentLen: 0 } }), 'invalid-argument', /`max_document_len` is 0/);
  });
  const bad = [
    ['options not an object', 5, /`options` must be an object, not number/],
    ['an unknown option', { limit: {} }, /`options` has no field `limit`/],
    ['limits not an object', { limits: 'big' }, /`options.limits` must be an object, not string/],
    ['an unknown limit', { limits: { maxBundleSize: 5 } }, /no field `maxBundleSize`; the fields are `maxListFileLen`/],
    ['a fraction', { limits: { maxEntries: 1.5 } }, /`options.limits.maxEntries` must be a whole number/],
    ['a negative', { limits: { maxEntries: -1 } }, /must be a whole number/],
    ['a string', { limits: { maxEntries: '10' } }, /must be a whole number of at least 1, not string/],
    ['NaN', { limits: { maxEntries: NaN } }, /must be a whole number/],
    ['zero (core)', { limits: { maxEntries: 0 } }, /`max_entries` is 0/],
    ['include depth 1000 (core)', { limits: { maxIncludeDepth: 1000 } }, /`max_include_depth` is 1000, over 64/],
    ['a throwing getter', { limits: { get maxEntries() { throw new Error('caller'); } } }, /cannot read `options.limits.maxEntries`/],
  ];
  for (const [name, options, message] of bad) {
    test(name, () => {
      throwsCoded(() => Bundle.fromBytes(bytes, options), 'invalid-argument', message);
      throwsCoded(() => Policy.fromToml(POLICY_TOML, 'p.toml', options), 'invalid-argument', message);
    });
  }
});

// `dnrRules` is in the example extension's build only (the `dnr` feature),
// which scripts/build-wasm.sh writes under the target folder.
const target = process.env.CARGO_TARGET_DIR ?? join(REPO, 'target');
const dnrDir = join(target, 'esafety-extension-dnr', 'web');
describe('dnrRules firstRuleId', { skip: !existsSync(join(dnrDir, 'index.js')) && 'no dnr build (run scripts/build-wasm.sh)' }, async () => {
  const dnr = await import(pathToFileURL(join(dnrDir, 'index.js')).href);
  dnr.initSync({ module: readFileSync(join(dnrDir, 'esafety_bg.wasm')) });
  const policy = dnr.Policy.fromJson(Policy.fromToml(POLICY_TOML).toJson());
  const engine = new dnr.Engine(dnr.Bundle.fromBytes(sampleBundleBytes()), policy);
  const context = { time: T, group: 'pupils' };
  test('an integer from 1 gives ids from it', () => {
    const out = engine.dnrRules(context, 100);
    assert.ok(out.rules.length > 0);
    assert.equal(out.rules[0].id, 100);
    assert.equal(engine.dnrRules(context).rules[0].id, 1);
    assert.equal(engine.dnrRules(context, null).rules[0].id, 1);
  });
  const bad = [
    ['a fraction', 1.5, 'invalid-argument', /`firstRuleId` must be a whole number from 0 to 4294967295, not 1.5/],
    ['a negative', -1, 'invalid-argument', /must be a whole number/],
    ['a string', '7', 'invalid-argument', /`firstRuleId` must be a number, not string/],
    ['NaN', NaN, 'invalid-argument', /must be a whole number/],
    ['over u32', 2 ** 32, 'invalid-argument', /must be a whole number/],
    ['zero (core)', 0, 'invalid-argument', /rule ids start at 1/],
    ['over Chrome ids (core)', 2 ** 31, 'invalid-argument', /over 2147483647, the largest id/],
    ['no room for the rules (core)', 2 ** 31 - 1, 'invalid-argument', /would pass 2147483647/],
  ];
  for (const [name, value, code, message] of bad) {
    test(name, () => throwsCoded(() => engine.dnrRules(context, value), code, message, dnr.EsafetyError));
  }
});
