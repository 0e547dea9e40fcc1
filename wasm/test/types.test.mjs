// The shipped TypeScript declarations (wasm/pkg/web/index.d.ts) declare every
// export, use named interfaces rather than `any`, and list exactly the
// fields the results have.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadNodePackage, PKG } from './helpers.mjs';

const esafety = loadNodePackage();
const dts = readFileSync(join(PKG, 'web', 'index.d.ts'), 'utf8');
// The web build appends wasm-bindgen's loader types (InitInput, InitOutput).
const api = dts.split(/export type InitInput/)[0];

/** The field names of `export interface NAME { ... }` in the .d.ts. */
function fields(name) {
  const m = new RegExp(`export interface ${name}(?: extends \\w+)? \\{([\\s\\S]*?)\\n\\}`).exec(api);
  assert.ok(m, `interface ${name} is not declared`);
  const body = m[1].replace(/\/\*\*[\s\S]*?\*\//g, '');
  const all = [...body.matchAll(/^( +)([A-Za-z_]+)\??:/gm)];
  // Top-level fields only (nested inline object types are indented deeper).
  const indent = Math.min(...all.map((x) => x[1].length));
  return all.filter((x) => x[1].length === indent).map((x) => x[2]);
}

test('every runtime export is declared', () => {
  for (const name of Object.keys(esafety)) {
    // `start` is wasm-bindgen's start function (it installs the panic hook
    // when the module loads); it is not part of the API.
    // `default` and `initSync` are wasm-bindgen's loader (Node: no-ops);
    // test/dts-exports.test.mjs compares every entry's exports exactly.
    if (name.startsWith('__') || name === 'initSync' || name === 'start' || name === 'default') continue;
    assert.match(dts, new RegExp(`export (declare )?(function|class) ${name}\\b`), name);
  }
});

test('no `any` in the API', () => {
  const code = api.replace(/\/\*[\s\S]*?\*\//g, '');
  assert.doesNotMatch(code, /\bany\b/);
});

test('result interfaces list exactly the fields of the results', () => {
  const bundle = esafety.sampleBundle();
  const policy = esafety.Policy.fromToml('id = "p"\ndefault = "allow"\n');
  const engine = new esafety.Engine(bundle, policy);
  const samples = {
    CanonicalizeReport: esafety.canonicalize('http://a.example/'),
    ClassificationReport: bundle.classify('https://www.bet365.com/'),
    MatchReport: bundle.classify('https://www.bet365.com/').matches[0],
    DecisionReport: engine.decide({ url: 'https://www.bet365.com/', time: 0 }),
    LintReport: esafety.lintPolicy('id = "p"\ndefault = "allow"\n', '2026-01-01'),
    LintFinding: esafety.lintPolicy('id = "p"\ndefault = "allow"\n', '2026-01-01').findings[0],
    BundleInfo: bundle.info(),
    BundleList: bundle.info().lists[0],
    AssessmentReport: esafety.assessIncident({ kind: 'grooming', people: [{ role: 'child', involvement: 'victim', age: 12 }] }),
    RouteStep: esafety.assessIncident({ kind: 'grooming' }).route_details[0],
    Judgement: esafety.assessIncident({ kind: 'nude-image-sharing', people: [{ role: 'child', involvement: 'victim', age: 15 }] }).judgements[0],
  };
  for (const [name, value] of Object.entries(samples)) {
    assert.ok(value, `no sample for ${name}`);
    const declared = fields(name);
    for (const key of Object.keys(value)) assert.ok(declared.includes(key), `${name}.${key} is not declared`);
    for (const key of declared) {
      const optional = new RegExp(`\\n\\s+${key}\\?:`).test(api);
      if (!optional) assert.ok(key in value, `${name}.${key} is declared but missing`);
    }
  }
});
