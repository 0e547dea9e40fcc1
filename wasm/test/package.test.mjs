// The package as users get it: `npm pack` of wasm/pkg, installed with npm
// into a fresh project (no registry needed: the package has no
// dependencies), then used by name from Node ES modules, CommonJS and a
// TypeScript `--strict` project with Node's types only (no DOM), and
// checked by publint and @arethetypeswrong/cli on the tarball. The README's
// five-line use is run as written.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { installPackage, tool, REPO } from './helpers.mjs';

let dir;
let packed;
let tarball;
let installed;

/** Runs `node FILE` in the project (cwd: the repository, as the README assumes). */
function run(file) {
  return execFileSync(process.execPath, [join(dir, file)], { cwd: REPO, encoding: 'utf8' });
}

before(() => {
  ({ dir, packed, tarball, installed } = installPackage());
});

after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('npm pack ships both builds, their entries and types, the licences and the README', () => {
  const files = packed.files.map((f) => f.path).sort();
  const want = ['package.json', 'README.md', 'LICENSE-MIT', 'LICENSE-APACHE'];
  for (const build of ['', 'extension/']) {
    for (const f of ['web/index.js', 'web/index.d.ts', 'web/esafety.js', 'web/esafety_bg.wasm', 'web/package.json',
      'node/index.js', 'node/index.d.ts', 'node/index.mjs', 'node/index.d.mts', 'node/esafety.js', 'node/esafety_bg.wasm', 'node/package.json']) {
      want.push(build + f);
    }
  }
  for (const f of want) assert.ok(files.includes(f), `${f} is not in the tarball: ${files.join(', ')}`);
  // The wasm-bindgen snippets (JS the .wasm imports) ship with each build.
  assert.ok(files.some((f) => f.startsWith('web/snippets/')), 'web/snippets is not in the tarball');
  assert.ok(files.some((f) => f.startsWith('node/snippets/')), 'node/snippets is not in the tarball');
  // Nothing from outside the package folder.
  for (const f of files) assert.match(f, /^(package\.json|README\.md|LICENSE-(MIT|APACHE)|(node|web|extension)\/.+)$/, f);
  const cargo = readFileSync(join(REPO, 'Cargo.toml'), 'utf8');
  assert.equal(packed.version, /^version = "([^"]+)"/m.exec(cargo)[1]);
  assert.match(readFileSync(join(installed, 'LICENSE-MIT'), 'utf8'), /MIT License|Permission is hereby granted/);
  assert.match(readFileSync(join(installed, 'LICENSE-APACHE'), 'utf8'), /Apache License/);
});

test('package.json has engines, repository, homepage, sideEffects, and every file it names', () => {
  const pkg = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
  assert.equal(pkg.name, 'esafety');
  assert.equal(pkg.license, 'MIT OR Apache-2.0');
  const dev = JSON.parse(readFileSync(join(REPO, 'wasm', 'package.json'), 'utf8'));
  assert.equal(pkg.engines.node, dev.engines.node);
  assert.equal(pkg.repository.type, 'git');
  assert.match(pkg.repository.url, /^git\+https:\/\/.+\.git$/);
  assert.equal(pkg.repository.directory, 'wasm');
  assert.match(pkg.homepage, /^https:\/\//);
  assert.ok(Array.isArray(pkg.sideEffects) && pkg.sideEffects.length > 0, 'sideEffects');
  const targets = [pkg.main, pkg.module, pkg.types];
  const walk = (entry) => {
    if (typeof entry === 'string') targets.push(entry);
    else for (const v of Object.values(entry)) walk(v);
  };
  walk(pkg.exports);
  for (const t of targets) assert.ok(existsSync(join(installed, t)), `${t} (package.json) is not installed`);
  // Each condition has types of its own, next to its code.
  for (const key of ['.', './extension']) {
    const e = pkg.exports[key];
    assert.match(e.node.import.types, /\/node\/index\.d\.mts$/);
    assert.match(e.node.require.types, /\/node\/index\.d\.ts$/);
    assert.match(e.browser.types, /\/web\/index\.d\.ts$/);
    assert.match(e.default.types, /\/web\/index\.d\.ts$/);
  }
  // The Node types do not use the DOM (a Node-only project has none).
  const nodeTypes = readFileSync(join(installed, 'node', 'index.d.ts'), 'utf8');
  assert.doesNotMatch(nodeTypes, /\b(RequestInfo|Response|InitInput)\b/);
});

test("the README's five-line Node use runs as written", () => {
  const readme = readFileSync(join(installed, 'README.md'), 'utf8');
  const block = /In Node[^\n]*\n(?:[^\n]*\n)*?```js\n([\s\S]*?)```/.exec(readme);
  assert.ok(block, 'the README has no Node example');
  const code = block[1];
  assert.equal(code.trim().split('\n').length, 5, code);
  writeFileSync(join(dir, 'readme.cjs'), code);
  const claim = /console\.log\([^)]*\); \/\/ (\S+ \S+)/.exec(code);
  assert.ok(claim, 'the example does not say what it prints');
  assert.equal(run('readme.cjs').split(' ').slice(0, 2).join(' '), claim[1]);
});

// One program, written for the web build (`await init()` first), run by
// Node from ES modules and CommonJS against both builds.
const program = (specifier) => `
await init();
initSync();
const canonical = canonicalize('HTTP://Example.COM/a/../b').canonical;
let error;
try { canonicalize(42); } catch (e) { error = e; }
const bytes = ${specifier === 'esafety' ? 'sampleBundleBytes()' : "readFileSync(join(bundleDir, 'sample.esb'))"};
const bundle = Bundle.fromBytes(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
console.log(JSON.stringify({
  version: version(),
  canonical,
  isEsafetyError: error instanceof EsafetyError,
  isError: error instanceof Error,
  code: error.code,
  lists: bundle.info().lists.length,
}));`;

for (const specifier of ['esafety', 'esafety/extension']) {
  test(`${specifier}: Node ES modules (import init from …) and CommonJS run the web-style program alike`, () => {
    const names = 'init, { initSync, canonicalize, Bundle, EsafetyError, version' + (specifier === 'esafety' ? ', sampleBundleBytes' : '') + ' }';
    const bundleDir = JSON.stringify(dir);
    writeFileSync(join(dir, 'sample.esb'), execFileSync(process.execPath, ['-e', "process.stdout.write(require('esafety').sampleBundleBytes())"], { cwd: dir }));
    writeFileSync(join(dir, 'esm.mjs'), `import ${names} from '${specifier}';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
const bundleDir = ${bundleDir};
${program(specifier)}`);
    writeFileSync(join(dir, 'cjs.cjs'), `const { default: init, initSync, canonicalize, Bundle, EsafetyError, version${specifier === 'esafety' ? ', sampleBundleBytes' : ''} } = require('${specifier}');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const bundleDir = ${bundleDir};
(async () => {${program(specifier)}
})();`);
    const esm = JSON.parse(run('esm.mjs'));
    const cjs = JSON.parse(run('cjs.cjs'));
    assert.deepEqual(esm, {
      version: esm.version,
      canonical: 'http://example.com/b',
      isEsafetyError: true,
      isError: true,
      code: 'invalid-argument',
      lists: esm.lists,
    });
    assert.ok(esm.lists > 0);
    assert.deepEqual(cjs, esm);
  });
}

/** `tsc -p DIR`: its exit status and output. */
function tsc(project) {
  const r = spawnSync(tool('tsc'), ['-p', project], { encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

/** A TypeScript project in `dir`/NAME over `files` ({name: text}), strict, Node's types only. */
function tsProject(name, files, options = {}) {
  const project = join(dir, name);
  execFileSync('mkdir', ['-p', project]);
  writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      strict: true,
      noEmit: true,
      skipLibCheck: false,
      module: 'nodenext',
      moduleResolution: 'nodenext',
      target: 'es2022',
      lib: ['es2022'],
      types: [],
      exactOptionalPropertyTypes: true,
      noUncheckedIndexedAccess: true,
      ...options,
    },
    include: ['*.mts', '*.cts', '*.ts'],
  }));
  // `lib: es2022` has no `console`: the files declare the one they use.
  const consoleDecl = options.lib?.includes('dom') ? '' : 'declare const console: { log(...args: unknown[]): void };\n';
  for (const [file, text] of Object.entries(files)) writeFileSync(join(project, file), consoleDecl + text);
  return project;
}

const typed = (specifier) => `
await init();
const report: CanonicalizeReport = canonicalize('http://example.com/');
const policy = Policy.fromJson('{"id": "p", "default": "allow"}');
const engine = new Engine(Bundle.fromBytes(new ArrayBuffer(0)), policy);
const decision: DecisionReport = engine.decide({ url: report.canonical, time: new Date() });
const action: 'block' | 'warn' | 'allow' | 'monitor' = decision.action;
try {
  canonicalize('x');
} catch (e) {
  if (e instanceof EsafetyError) {
    const code: ErrorCode = e.code;
    const line: number | undefined = e.line;
    console.log(code, line, e.help, e.message);
  }
}
${specifier === 'esafety' ? `const assessed: AssessmentReport = assessIncident({ kind: 'grooming' });
const withProfile = assessIncident('{"kind": "grooming"}', 'national');
const terms: SearchTerms | null = searchTerms('https://www.google.com/search?q=x');
const record: DecisionRecord = engine.record({ url: 'http://example.com/', time: 0, user: 'u' });
const keyed = engine.record({ url: 'http://example.com/', time: 0 }, { pseudonymKey: new Uint8Array(16) });
const lint: LintReport = lintPolicy('id = "p"', '2026-01-01');
console.log(assessed.severity, withProfile.profile, terms?.terms, record.user, keyed.user, lint.file);` : ''}
console.log(action);
`;

test('a TypeScript --strict project with no DOM types compiles against every entry with 0 errors', () => {
  const imports = (specifier) => {
    const full = !specifier.includes('extension');
    return `import init, { canonicalize, Bundle, Policy, Engine, EsafetyError${full ? ', assessIncident, searchTerms, lintPolicy' : ''} } from '${specifier}';
import type { CanonicalizeReport, DecisionReport, ErrorCode${full ? ', AssessmentReport, SearchTerms, DecisionRecord, LintReport' : ''} } from '${specifier}';`;
  };
  const requires = (specifier) => {
    const full = !specifier.includes('extension');
    return `import esafety = require('${specifier}');
const { canonicalize, Bundle, Policy, Engine, EsafetyError${full ? ', assessIncident, searchTerms, lintPolicy' : ''} } = esafety;
const init = esafety.default;
type CanonicalizeReport = esafety.CanonicalizeReport;
type DecisionReport = esafety.DecisionReport;
type ErrorCode = esafety.ErrorCode;
${full ? 'type AssessmentReport = esafety.AssessmentReport;\ntype SearchTerms = esafety.SearchTerms;\ntype DecisionRecord = esafety.DecisionRecord;\ntype LintReport = esafety.LintReport;' : ''}
async function main() {`;
  };
  const files = {};
  for (const [i, specifier] of ['esafety', 'esafety/extension', 'esafety/node', 'esafety/extension/node'].entries()) {
    const spec = specifier.replace(/\/node$/, '');
    files[`esm${i}.mts`] = `${imports(specifier).replaceAll(`'${specifier}'`, `'${specifier}'`)}\n${typed(spec)}`;
    files[`cjs${i}.cts`] = `${requires(specifier)}\n${typed(spec)}\n}\nvoid main();\n`;
  }
  const result = tsc(tsProject('ts-strict', files));
  assert.equal(result.output, '', result.output);
  assert.equal(result.status, 0);
});

test('a TypeScript --strict browser project (bundler resolution, DOM types) compiles against the web builds', () => {
  const files = {};
  for (const [i, specifier] of ['esafety', 'esafety/extension', 'esafety/web', 'esafety/extension/web'].entries()) {
    const spec = specifier.replace(/\/web$/, '');
    const full = spec === 'esafety';
    files[`web${i}.ts`] = `import init, { canonicalize, Bundle, Policy, Engine, EsafetyError${full ? ', assessIncident, searchTerms, lintPolicy' : ''} } from '${specifier}';
import type { CanonicalizeReport, DecisionReport, ErrorCode${full ? ', AssessmentReport, SearchTerms, DecisionRecord, LintReport' : ''} } from '${specifier}';
await init({ module_or_path: new URL('esafety_bg.wasm', location.href) });
${typed(spec).replace('await init();', '')}`;
  }
  const result = tsc(tsProject('ts-browser', files, { module: 'esnext', moduleResolution: 'bundler', lib: ['es2022', 'dom'] }));
  assert.equal(result.output, '', result.output);
  assert.equal(result.status, 0);
});

test('the same project does get errors from the package types (the check can fail)', () => {
  const project = tsProject('ts-wrong', {
    'wrong.mts': `import { canonicalize, assessIncident } from 'esafety';
canonicalize(42);
assessIncident();
const n: number = canonicalize('x').canonical;
console.log(n);
`,
  });
  const result = tsc(project);
  assert.equal(result.status, 2, result.output);
  assert.match(result.output, /wrong\.mts\(3,14\): error TS2345/);
  assert.match(result.output, /wrong\.mts\(4,1\): error TS2554/);
  assert.match(result.output, /wrong\.mts\(5,7\): error TS2322/);
});

test('publint finds nothing to fix in the packed package', () => {
  const r = spawnSync(tool('publint'), ['run', installed, '--pack', 'false', '--strict'], { encoding: 'utf8' });
  const output = `${r.stdout}${r.stderr}`;
  assert.equal(r.status, 0, output);
  assert.doesNotMatch(output, /Errors:|Warnings:|Suggestions:/, output);
});

test('@arethetypeswrong/cli finds no problem in the tarball but the two by design', () => {
  const r = spawnSync(tool('attw'), [tarball, '--format', 'json', '--no-color'], { encoding: 'utf8' });
  const report = JSON.parse(r.stdout);
  const problems = report.analysis?.problems ?? report.problems;
  assert.ok(Array.isArray(problems), r.stdout.slice(0, 2000));
  // By design: `esafety/web` is the ES-module build only (no CommonJS web
  // build; `require('esafety')` is the Node build), and the `.wasm`
  // entries are files for bundlers, not modules with types.
  const expected = (p) =>
    (p.kind === 'CJSResolvesToESM' && ['./web', './extension/web'].includes(p.entrypoint) && p.resolutionKind === 'node16-cjs')
    || (p.kind === 'NoResolution' && /\/esafety_bg\.wasm$/.test(p.entrypoint) && p.resolutionKind !== 'node10');
  const unexpected = problems.filter((p) => !expected(p));
  assert.deepEqual(unexpected, [], JSON.stringify(unexpected, null, 2));
  // The same without the by-design entries, as scripts/suites/wasm.sh runs it: exit 0.
  const strict = spawnSync(tool('attw'), [tarball, '--no-color', '--exclude-entrypoints', './web/esafety_bg.wasm', './extension/web/esafety_bg.wasm', './web', './extension/web'], { encoding: 'utf8' });
  assert.equal(strict.status, 0, strict.stdout + strict.stderr);
});
