// Signed updates in the WebAssembly package: `Bundle.fromVerifiedBytes(bytes,
// signature, publicKey)` makes a bundle only from the publisher's signature
// of exactly these bytes, and `Bundle.verify(signature, publicKey)` checks
// a loaded one; both throw `invalid-signature` for anything else. The keys and signatures are
// made by the CLI (`esafety keygen`, `esafety compile --sign`), as a
// publisher makes them; runs when ESAFETY_CLI names the built CLI binary
// (scripts/suites/wasm.sh sets it).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadNodePackage } from './helpers.mjs';

const cli = process.env.ESAFETY_CLI;
const skip = !cli || !existsSync(cli) ? 'ESAFETY_CLI is not set to the built esafety binary' : false;
const { Bundle, Engine, Policy, sampleBundle, sampleBundleBytes } = loadNodePackage();

function throwsSignature(fn, message) {
  assert.throws(fn, (err) => {
    assert.ok(err instanceof Error, `not an Error: ${err}`);
    assert.equal(err.code, 'invalid-signature', err.message);
    assert.match(err.message, message);
    return true;
  });
}

describe('Bundle.verify', { skip }, () => {
  let dir;
  let bytes;
  let signature;
  let publisher;
  let stranger;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'esafety-wasm-signing-'));
    const run = (...args) => execFileSync(cli, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    run('keygen', '-o', join(dir, 'publisher'));
    run('keygen', '-o', join(dir, 'stranger'));
    writeFileSync(join(dir, 'gambling.txt'), 'bet.example\n');
    const bundle = join(dir, 'lists.esb');
    run('compile', '--list', `gambling=${join(dir, 'gambling.txt')}`, '-o', bundle, '--sign', join(dir, 'publisher'));
    bytes = readFileSync(bundle);
    signature = readFileSync(`${bundle}.sig`, 'utf8');
    publisher = readFileSync(join(dir, 'publisher.pub'), 'utf8');
    stranger = readFileSync(join(dir, 'stranger.pub'), 'utf8');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('the publisher signature of these bytes is accepted', () => {
    const bundle = Bundle.fromBytes(bytes);
    assert.equal(bundle.verify(signature, publisher), undefined);
    bundle.free();
  });

  test('every other case is refused with invalid-signature', () => {
    const bundle = Bundle.fromBytes(bytes);
    const cases = [
      ['another key', signature, stranger, /is signed by key/],
      ['a damaged signature', signature.replace(/.(\n?)$/, (c, nl) => (c[0] === 'A' ? 'B' : 'A') + nl), publisher, /does not match the file|not an esafety signature/],
      ['not a key', signature, 'ssh-ed25519 AAAA', /not an esafety public key/],
      ['not a signature', 'hello', publisher, /not an esafety signature/],
      ['empty', '', publisher, /it is empty/],
    ];
    for (const [name, sig, key, message] of cases) {
      throwsSignature(() => bundle.verify(sig, key), message);
      assert.ok(name);
    }
    bundle.free();
  });

  test('a signature of one bundle does not verify another', () => {
    const sample = sampleBundle();
    throwsSignature(() => sample.verify(signature, publisher), /does not match the file/);
    sample.free();
  });
});

function throwsCode(fn, code, message) {
  assert.throws(fn, (err) => {
    assert.ok(err instanceof Error, `not an Error: ${err}`);
    assert.equal(err.code, code, err.message);
    assert.match(err.message, message);
    return true;
  });
}

describe('Bundle.fromVerifiedBytes', { skip }, () => {
  let dir;
  let bytes;
  let signature;
  let publisher;
  let stranger;
  let listText;
  let listSignature;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'esafety-wasm-verified-'));
    const run = (...args) => execFileSync(cli, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    run('keygen', '-o', join(dir, 'publisher'));
    run('keygen', '-o', join(dir, 'stranger'));
    const list = join(dir, 'gambling.txt');
    writeFileSync(list, 'bet.example\n');
    const bundle = join(dir, 'lists.esb');
    run('compile', '--list', `gambling=${list}`, '-o', bundle, '--sign', join(dir, 'publisher'));
    // Signed by the publisher, but not a bundle.
    run('sign', '--key', join(dir, 'publisher'), list);
    bytes = readFileSync(bundle);
    signature = readFileSync(`${bundle}.sig`, 'utf8');
    publisher = readFileSync(join(dir, 'publisher.pub'), 'utf8');
    stranger = readFileSync(join(dir, 'stranger.pub'), 'utf8');
    listText = readFileSync(list);
    listSignature = readFileSync(`${list}.sig`, 'utf8');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('the publisher signature of these bytes gives a bundle that decides', () => {
    for (const input of [bytes, new Uint8Array(bytes).buffer]) {
      const bundle = Bundle.fromVerifiedBytes(input, signature, publisher);
      assert.deepEqual(Buffer.from(bundle.toBytes()), Buffer.from(bytes));
      assert.deepEqual(bundle.classify('http://bet.example/').categories, ['gambling']);
      const policy = Policy.fromJson('{"id": "p", "default": "allow", "rules": [{"id": "no-bets", "categories": ["gambling"], "action": "block"}]}');
      const engine = new Engine(bundle, policy);
      assert.equal(engine.decide({ url: 'http://bet.example/', time: new Date('2026-03-02T10:00:00Z') }).action, 'block');
      engine.free();
      policy.free();
      bundle.free();
    }
  });

  test('every other case is refused with a code and no bundle', () => {
    const flip = (buf, at) => {
      const copy = Buffer.from(buf);
      copy[at] ^= 1;
      return copy;
    };
    const sigText = signature.trimEnd();
    const b64At = sigText.lastIndexOf(' ') + 1;
    const forge = (at) => sigText.slice(0, at) + (sigText[at] === 'A' ? 'B' : 'A') + sigText.slice(at + 1);
    const cases = [
      ['unsigned', bytes, '', publisher, 'invalid-signature', /not an esafety signature: it is empty/],
      ['another key', bytes, signature, stranger, 'invalid-signature', /is signed by key/],
      ['not a key', bytes, signature, 'ssh-ed25519 AAAA', 'invalid-signature', /not an esafety public key/],
      ['a signature of another file', bytes, listSignature, publisher, 'invalid-signature', /does not match the file/],
      ['the sample bundle under this signature', sampleBundleBytes(), signature, publisher, 'invalid-signature', /does not match the file/],
      ['truncated', bytes.subarray(0, bytes.length - 1), signature, publisher, 'invalid-signature', /does not match the file/],
      ['signed, but not a bundle', listText, listSignature, publisher, 'invalid-bundle', /not an esafety bundle/],
      ['not bytes', 'lists.esb', signature, publisher, 'invalid-argument', /must be a Uint8Array or an ArrayBuffer/],
      ['not a string signature', bytes, 42, publisher, 'invalid-argument', /signature/],
    ];
    for (let at = 0; at < bytes.length; at += 13) {
      cases.push([`bundle byte ${at} changed`, flip(bytes, at), signature, publisher, 'invalid-signature', /does not match the file/]);
    }
    for (let at = b64At; at < sigText.length && sigText[at] !== '='; at += 4) {
      cases.push([`signature character ${at} changed`, bytes, forge(at), publisher, 'invalid-signature', /does not match the file|not an esafety signature/]);
    }
    assert.ok(cases.length > 40, `${cases.length} cases`);
    for (const [name, input, sig, key, code, message] of cases) {
      assert.ok(name);
      throwsCode(() => Bundle.fromVerifiedBytes(input, sig, key), code, message);
    }
  });
});
