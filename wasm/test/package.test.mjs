// The package as users get it: `npm pack` of wasm/pkg, installed with npm
// into a fresh project (no registry needed: the package has no
// dependencies), then used by name — `require('esafety')`,
// `import … from 'esafety'`, `esafety/web` — and the README's five-line
// use run as written.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PKG, REPO } from './helpers.mjs';

let dir;
let packed;
let installed;

/** Runs npm quietly, without the registry, and returns its stdout. */
function npm(args, cwd) {
  return execFileSync('npm', [...args, '--offline', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs `node FILE` in the project (cwd: the repository, as the README assumes). */
function run(file) {
  return execFileSync(process.execPath, [join(dir, file)], { cwd: REPO, encoding: 'utf8' });
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'esafety-npm-'));
  const out = JSON.parse(npm(['pack', '--json', '--pack-destination', dir, PKG], dir));
  packed = out[0];
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'app', private: true }));
  npm(['install', join(dir, packed.filename)], dir);
  installed = join(dir, 'node_modules', 'esafety');
});

after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('npm pack ships both builds, their .wasm, the types and the README', () => {
  const files = packed.files.map((f) => f.path).sort();
  for (const want of [
    'package.json',
    'README.md',
    'esafety.d.ts',
    'node/esafety.js',
    'node/esafety_bg.wasm',
    'node/package.json',
    'web/esafety.js',
    'web/esafety_bg.wasm',
    'web/package.json',
  ]) {
    assert.ok(files.includes(want), `${want} is not in the tarball: ${files.join(', ')}`);
  }
  // The wasm-bindgen snippets (JS the .wasm imports) ship with each build.
  assert.ok(files.some((f) => f.startsWith('web/snippets/')), 'web/snippets is not in the tarball');
  assert.ok(files.some((f) => f.startsWith('node/snippets/')), 'node/snippets is not in the tarball');
  // Nothing from outside the package folder.
  for (const f of files) assert.match(f, /^(package\.json|README\.md|esafety\.d\.ts|(node|web|extension)\/.+)$/, f);
  // The version is the workspace's.
  const cargo = readFileSync(join(REPO, 'Cargo.toml'), 'utf8');
  assert.equal(packed.version, /^version = "([^"]+)"/m.exec(cargo)[1]);
});

test('every file package.json points at is installed', () => {
  const pkg = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
  assert.equal(pkg.name, 'esafety');
  const targets = [pkg.main, pkg.module, pkg.types];
  for (const entry of Object.values(pkg.exports)) {
    if (typeof entry === 'string') targets.push(entry);
    else targets.push(...Object.values(entry));
  }
  for (const t of targets) assert.ok(existsSync(join(installed, t)), `${t} (package.json) is not installed`);
});

test("the README's five-line Node use runs as written", () => {
  const readme = readFileSync(join(installed, 'README.md'), 'utf8');
  const block = /In Node[^\n]*\n(?:[^\n]*\n)*?```js\n([\s\S]*?)```/.exec(readme);
  assert.ok(block, 'the README has no Node example');
  const code = block[1];
  assert.equal(code.trim().split('\n').length, 5, code);
  writeFileSync(join(dir, 'readme.cjs'), code);
  // The README's comment says what it prints.
  const claim = /console\.log\([^)]*\); \/\/ (\S+ \S+)/.exec(code);
  assert.ok(claim, 'the example does not say what it prints');
  assert.equal(run('readme.cjs').split(' ').slice(0, 2).join(' '), claim[1]);
});

test('require and import by name reach the Node build', () => {
  writeFileSync(
    join(dir, 'by-name.cjs'),
    `const e = require('esafety');
console.log(JSON.stringify([e.version(), e.canonicalize('HTTP://Example.COM/a/../b').canonical]));`,
  );
  writeFileSync(
    join(dir, 'by-name.mjs'),
    `import { version, canonicalize } from 'esafety';
console.log(JSON.stringify([version(), canonicalize('HTTP://Example.COM/a/../b').canonical]));`,
  );
  const cjs = JSON.parse(run('by-name.cjs'));
  const esm = JSON.parse(run('by-name.mjs'));
  assert.equal(cjs[1], 'http://example.com/b');
  assert.deepEqual(esm, cjs);
});

test('esafety/web initializes from the shipped .wasm and decides alike', () => {
  // One decision, printed as JSON; each build's script only differs in how
  // it gets the package.
  const decide = `const engine = new Engine(sampleBundle(), Policy.fromToml(readFileSync('policies/secondary-pupils.toml', 'utf8')));
console.log(JSON.stringify(engine.decide({ url: 'https://www.bet365.com/', group: 'pupils', age: 14, time: '2026-03-02T10:00:00Z' })));`;
  writeFileSync(
    join(dir, 'web.mjs'),
    `import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { initSync, sampleBundle, Policy, Engine } from 'esafety/web';
initSync({ module: readFileSync(createRequire(import.meta.url).resolve('esafety/web/esafety_bg.wasm')) });
${decide}`,
  );
  writeFileSync(
    join(dir, 'node.cjs'),
    `const { readFileSync } = require('node:fs');
const { sampleBundle, Policy, Engine } = require('esafety');
${decide}`,
  );
  const web = JSON.parse(run('web.mjs'));
  assert.equal(web.action, 'block');
  assert.deepEqual(web, JSON.parse(run('node.cjs')));
});
