// Arguments are checked at the boundary (wasm/src/boundary.rs): a value of
// the wrong type is an `EsafetyError` with a code, never a WebAssembly trap
// or a silent 0-byte read; a caller's exception (a Proxy trap, a getter, an
// overridden `getTime`) comes back as an `EsafetyError` and never unwinds
// through WebAssembly frames. Before the checks, `canonicalize(42)` trapped
// with `memory access out of bounds`, an `ArrayBuffer` read as 0 bytes, and
// after 1,425 decisions on a throwing Proxy every export trapped.
//
// Both builds, loaded as the web build is (`initSync`), so that the test
// can read the instance's `WebAssembly.Memory`.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PKG, REPO, withoutContentLimits } from './helpers.mjs';

const POLICY_TOML = readFileSync(join(REPO, 'policies', 'secondary-pupils.toml'), 'utf8');
const T = Date.UTC(2026, 2, 2, 10);
const BET = 'https://www.bet365.com/';
/** Past the core's 2 MiB URL limit. */
const HUGE_URL = `http://a.example/${'a'.repeat(3 << 20)}`;

/** The web build under `dir` of the package, initialized: its module and its exports. */
async function load(dir) {
  const esafety = await import(pathToFileURL(join(PKG, dir, 'index.js')).href);
  const wasm = esafety.initSync({ module: readFileSync(join(PKG, dir, 'esafety_bg.wasm')) });
  return { esafety, memory: wasm.memory };
}

const full = await load('web');
const extension = await load('extension/web');
// The extension build reads JSON policies only (the full build writes it),
// and cannot scan content (helpers.mjs, withoutContentLimits).
const POLICY_JSON = withoutContentLimits(full.esafety.Policy.fromToml(POLICY_TOML).toJson());

/** Asserts that `f` throws an EsafetyError of `code` (and message matching `message`). */
function throwsCoded(f, code, message, EsafetyError) {
  let thrown;
  try {
    f();
  } catch (e) {
    thrown = e;
  }
  assert.ok(thrown !== undefined, 'did not throw');
  assert.ok(thrown instanceof EsafetyError, `not an EsafetyError: ${thrown?.stack ?? thrown}`);
  assert.ok(thrown instanceof Error);
  assert.equal(thrown.name, 'EsafetyError');
  assert.equal(thrown.code, code, thrown.message);
  assert.equal(typeof thrown.help, 'string');
  if (message) assert.match(thrown.message, message);
  return thrown;
}

/** A Proxy over `target` whose `ownKeys` trap throws. */
const throwingKeys = (target) => new Proxy(target, { ownKeys() { throw new Error('caller: ownKeys'); } });
/** A request whose every field is a getter that throws. */
const throwingGetters = () => Object.defineProperty({}, 'url', { enumerable: true, get() { throw new Error('caller: get url'); } });
/** A Date whose `getTime` (and `valueOf`) throw. */
class HostileDate extends Date {
  getTime() { throw new Error('caller: getTime'); }
  valueOf() { throw new Error('caller: valueOf'); }
}

for (const [build, { esafety, memory }, policy] of [
  ['full', full, () => full.esafety.Policy.fromToml(POLICY_TOML)],
  ['extension', extension, () => extension.esafety.Policy.fromJson(POLICY_JSON)],
]) {
  const { Bundle, Engine, Policy, EsafetyError, canonicalize, errorDecision } = esafety;
  const sample = full.esafety.sampleBundleBytes();
  const engine = new Engine(Bundle.fromBytes(sample), policy());
  const expected = engine.decide({ url: BET, time: T, group: 'pupils', age: 14 });

  describe(`${build} build: arguments of the wrong type are coded errors`, () => {
    const cases = [
      ['canonicalize(42)', () => canonicalize(42), 'invalid-argument', /`url` must be a string, not number/],
      ['canonicalize()', () => canonicalize(), 'invalid-argument', /`url` must be a string, not undefined/],
      ['canonicalize(null)', () => canonicalize(null), 'invalid-argument', /not null/],
      ['canonicalize({})', () => canonicalize({ toString() { return BET; } }), 'invalid-argument', /not object/],
      ['canonicalize(a String object)', () => canonicalize(new String(BET)), 'invalid-argument', /not object/],
      ['canonicalize(3 MiB)', () => canonicalize(HUGE_URL), 'invalid-url', null],
      ['Bundle.fromBytes(42)', () => Bundle.fromBytes(42), 'invalid-argument', /`bytes` must be a Uint8Array or an ArrayBuffer, not number/],
      ['Bundle.fromBytes("text")', () => Bundle.fromBytes('esafety'), 'invalid-argument', /not string/],
      ['Bundle.fromBytes([1, 2])', () => Bundle.fromBytes([1, 2]), 'invalid-argument', /not object/],
      ['Bundle.fromBytes(empty ArrayBuffer)', () => Bundle.fromBytes(new ArrayBuffer(0)), 'invalid-bundle', null],
      ['Bundle.fromBytes(Proxy)', () => Bundle.fromBytes(throwingKeys(new Uint8Array(4))), 'invalid-argument', /not object/],
      ['Policy.fromJson(42)', () => Policy.fromJson(42), 'invalid-argument', /`text` must be a string, not number/],
      ['Policy.fromJson(text, 42)', () => Policy.fromJson(POLICY_JSON, 42), 'invalid-argument', /`source` must be a string, not number/],
      ['Policy.load(Symbol)', () => Policy.load(Symbol('x')), 'invalid-argument', /not symbol/],
      ['bundle.classify(42n)', () => Bundle.fromBytes(sample).classify(42n), 'invalid-argument', /not bigint/],
      ['engine.classify(undefined)', () => engine.classify(), 'invalid-argument', /not undefined/],
      ['decide(42)', () => engine.decide(42), 'invalid-request', /must be an object/],
      ['decide(throwing ownKeys)', () => engine.decide(throwingKeys({ url: BET, time: T })), 'invalid-request', /cannot read the fields of the request/],
      ['decide(throwing getter)', () => engine.decide(throwingGetters()), 'invalid-request', /cannot read request field `url`/],
      ['decide(url 42)', () => engine.decide({ url: 42, time: T }), 'invalid-request', /`url` must be a string/],
      ['decide(time Proxy of a Date)', () => engine.decide({ url: BET, time: throwingKeys(new Date(T)) }), 'invalid-request', /time must be/],
      ['decide(time {})', () => engine.decide({ url: BET, time: {} }), 'invalid-request', /time must be/],
      ['decide(age "14")', () => engine.decide({ url: BET, time: T, age: '14' }), 'invalid-request', /`age` must be a number/],
      ['decide(group 7)', () => engine.decide({ url: BET, time: T, group: 7 }), 'invalid-request', /`group` must be a string/],
    ];
    for (const [name, f, code, message] of cases) {
      test(name, () => throwsCoded(f, code, message, EsafetyError));
    }

    test('an ArrayBuffer and any typed array are read by their bytes', () => {
      const copy = sample.slice().buffer;
      assert.equal(Bundle.fromBytes(copy).toBytes().length, sample.length);
      const offset = new Uint8Array(sample.length + 8);
      offset.set(sample, 8);
      assert.deepEqual(Bundle.fromBytes(new DataView(offset.buffer, 8)).toBytes(), sample);
      assert.deepEqual(Bundle.fromBytes(offset.subarray(8)).toBytes(), sample);
    });

    test('a Date whose getTime throws is read by its own time value', () => {
      assert.deepEqual(engine.decide({ url: BET, time: new HostileDate(T), group: 'pupils', age: 14 }), expected);
    });

    test('errorDecision blocks whatever it is given', () => {
      assert.equal(errorDecision(42, {}).action, 'block');
      assert.equal(errorDecision(BET, 'engine failed').rule, 'error');
    });
  });

  test(`${build} build: 10,000 hostile calls, then it still decides, in bounded memory`, () => {
    const hostile = [
      () => engine.decide(throwingKeys({ url: BET, time: T })),
      () => engine.decide({ url: BET, time: new HostileDate(NaN) }),
      () => engine.decide(throwingGetters()),
      () => engine.decide({ url: BET, time: throwingKeys(new Date(T)) }),
      () => canonicalize(42),
      () => engine.classify({}),
      () => Bundle.fromBytes(new ArrayBuffer(16)),
      () => Policy.fromJson(null),
      () => engine.decide({ url: `http://a.example/${'a'.repeat(1 << 16)}`, time: 'not a time' }),
      () => canonicalize(HUGE_URL),
    ];
    const round = (count) => {
      for (let i = 0; i < count; i++) {
        assert.throws(hostile[i % hostile.length], (e) => e instanceof EsafetyError, `call ${i}`);
      }
    };
    const before = memory.buffer.byteLength;
    round(1_000);
    const warm = memory.buffer.byteLength;
    round(9_000);
    const after = memory.buffer.byteLength;
    assert.deepEqual(engine.decide({ url: BET, time: T, group: 'pupils', age: 14 }), expected);
    assert.equal(canonicalize('HTTP://Example.COM/a/../b').canonical, 'http://example.com/b');
    // Memory may grow once for the large arguments; 9,000 more calls must
    // not grow it again (a leak of 736 bytes a call is 6.6 MB).
    assert.ok(warm - before <= 16 << 20, `the first 1,000 calls grew memory from ${before} to ${warm} bytes`);
    assert.equal(after, warm, `9,000 more calls grew memory from ${warm} to ${after} bytes`);
  });
}
