// The WebAssembly face prints what the CLI prints: for every shared vector,
// every shipped policy and a few incidents, the whole `--json` object of
// `esafety canonicalize|classify|check|lint|incident` must equal the object
// the package returns. Runs when ESAFETY_CLI names the built CLI binary
// (scripts/suites/wasm.sh builds it and sets it); skipped otherwise.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { loadNodePackage, loadVectors, listFiles, REPO } from './helpers.mjs';

const cli = process.env.ESAFETY_CLI;
const skip = !cli || !existsSync(cli) ? 'ESAFETY_CLI is not set to the built esafety binary' : false;
const { canonicalize, sampleBundle, Policy, Engine, lintPolicy, assessIncident } = loadNodePackage();

/** Runs the CLI in the repository root; returns its JSON lines, parsed. */
function run(args) {
  let out;
  try {
    out = execFileSync(cli, args, { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    // Exit 1 (found wanting) still prints the JSON.
    if (err.status !== 1) throw new Error(`esafety ${args.join(' ')}: ${err.stderr}`);
    out = err.stdout;
  }
  return out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

describe('same JSON as the CLI', { skip }, () => {
  test('canonicalize --json, every vector', () => {
    const inputs = (loadVectors('canonicalize')?.doc.case ?? []).filter((c) => c.error !== true).map((c) => c.input);
    assert.ok(inputs.length > 0);
    const lines = run(['canonicalize', '--json', ...inputs]);
    assert.deepEqual(lines, inputs.map((i) => canonicalize(i)));
  });

  test('classify --json (sample bundle), every vector', () => {
    const urls = (loadVectors('classify')?.doc.case ?? []).map((c) => c.url);
    assert.ok(urls.length > 0);
    const bundle = sampleBundle();
    assert.deepEqual(run(['classify', '--json', ...urls]), urls.map((u) => bundle.classify(u)));
  });

  test('check --json, every decision vector', () => {
    const bundle = sampleBundle();
    for (const c of loadVectors('decisions')?.doc.case ?? []) {
      const args = ['check', '--policy', c.policy, '--at', c.at, '--json'];
      const request = { url: c.url, time: c.at };
      if (c.group !== undefined) { args.push('--group', c.group); request.group = c.group; }
      if (c.age !== undefined) { args.push('--age', String(c.age)); request.age = Number(c.age); }
      if (c.device !== undefined) { args.push('--device', c.device); request.device = c.device; }
      args.push(c.url);
      const engine = new Engine(bundle, Policy.load(readFileSync(join(REPO, c.policy), 'utf8'), c.policy));
      assert.deepEqual(run(args)[0], engine.decide(request), c.name);
      engine.free();
    }
  });

  test('lint --json, every shipped policy', () => {
    const policies = listFiles(join(REPO, 'policies'), '.toml')
      .map((p) => relative(REPO, p))
      .filter((p) => !p.startsWith('policies/escalation') && !p.startsWith('policies/samples'));
    assert.ok(policies.length > 0);
    for (const today of ['2026-10-01', '2031-01-01']) {
      const lines = run(['lint', '--json', '--today', today, ...policies]);
      assert.deepEqual(lines, policies.map((p) => lintPolicy(readFileSync(join(REPO, p), 'utf8'), today, p)));
    }
  });

  test('incident --json, shipped profiles', () => {
    const dir = mkdtempSync(join(tmpdir(), 'esafety-incident-'));
    try {
      const incidents = [
        { kind: 'nude-image-sharing', setting: 'school', people: [{ role: 'child', involvement: 'victim', age: 15 }], risk_factors: ['adult-involved'] },
        { kind: 'aup-breach', deliberate: true },
        { kind: 'child-sexual-abuse-material', deliberate: true, setting: 'school', identified_by: 'staff-observation', people: [{ role: 'child', involvement: 'instigator', age: 14 }], risk_factors: ['adult-involved'], staff_concerns: ['harmed-child'] },
      ];
      incidents.forEach((incident, i) => {
        const file = join(dir, `incident-${i}.json`);
        writeFileSync(file, JSON.stringify(incident));
        for (const profile of ['national', 'manchester']) {
          assert.deepEqual(run(['incident', '--profile', profile, '--json', file])[0], assessIncident(incident, profile), `${incident.kind} ${profile}`);
        }
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
