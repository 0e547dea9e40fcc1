// Signed updates in the WebAssembly package: `Bundle.verify(signature,
// publicKey)` accepts the publisher's signature of exactly these bytes and
// throws `invalid-signature` for anything else. The keys and signatures are
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
const { Bundle, sampleBundle } = loadNodePackage();

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
