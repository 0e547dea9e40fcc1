// The shared test vectors (tests/vectors/*.toml), which the Rust core, the
// CLI and the C library run too: any divergence of the WebAssembly face
// fails here. ESAFETY_VECTOR=<substring> runs the cases whose name has it.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadNodePackage, loadVectors, vectorFilter, REPO } from './helpers.mjs';

const { canonicalize, sampleBundle, Policy, Engine } = loadNodePackage();

function cases(name) {
  const v = loadVectors(name);
  if (v === null) throw new Error(`tests/vectors/${name}.toml is missing`);
  const all = v.doc.case ?? [];
  assert.ok(all.length > 0, `${v.path} has no [[case]]`);
  const names = new Set();
  for (const c of all) {
    assert.ok(!names.has(c.name), `${v.path}: duplicate case name ${c.name}`);
    names.add(c.name);
  }
  return all.filter((c) => vectorFilter(c.name));
}

describe('tests/vectors/canonicalize.toml', () => {
  for (const c of cases('canonicalize')) {
    test(c.name, () => {
      if (c.error === true) {
        assert.throws(() => canonicalize(c.input), (err) => err.code === 'invalid-url');
        return;
      }
      const r = canonicalize(c.input);
      assert.equal(r.canonical, c.canonical);
      if (c.expressions !== undefined) assert.deepEqual(r.expressions, c.expressions);
    });
  }
});

describe('tests/vectors/classify.toml', () => {
  const bundle = sampleBundle();
  for (const c of cases('classify')) {
    test(c.name, () => {
      const r = bundle.classify(c.url);
      assert.deepEqual(r.categories, c.categories);
      const lists = [...new Set(r.matches.map((m) => m.list))].sort();
      assert.deepEqual(lists, c.lists);
    });
  }
});

describe('tests/vectors/decisions.toml', () => {
  const bundle = sampleBundle();
  const engines = new Map();
  const engineFor = (path) => {
    if (!engines.has(path)) {
      const text = readFileSync(join(REPO, path), 'utf8');
      engines.set(path, new Engine(bundle, Policy.load(text, path)));
    }
    return engines.get(path);
  };
  for (const c of cases('decisions')) {
    test(c.name, () => {
      const request = { url: c.url, time: c.at };
      if (c.group !== undefined) request.group = c.group;
      if (c.age !== undefined) request.age = Number(c.age);
      if (c.device !== undefined) request.device = c.device;
      const d = engineFor(c.policy).decide(request);
      assert.equal(d.action, c.expect_action, JSON.stringify(d));
      assert.equal(d.rule, c.expect_rule, JSON.stringify(d));
      assert.deepEqual(d.categories, c.expect_categories);
    });
  }
});
