// Loaded by browser.test.mjs from a page on 127.0.0.1: the ES-module build
// of the package, initialised the way a web page does it.
import init, * as esafety from '/pkg/web/esafety.js';

const status = document.getElementById('status');

async function text(path) {
  const r = await fetch(path);
  if (!r.ok) throw new Error(`${path}: HTTP ${r.status}`);
  return r.text();
}

/** Decides every case ({policy, request}) with the sample bundle. */
async function decide(cases) {
  const bundle = esafety.sampleBundle();
  const engines = new Map();
  const out = [];
  for (const { policy, request } of cases) {
    if (!engines.has(policy)) {
      engines.set(policy, new esafety.Engine(bundle, esafety.Policy.load(await text(`/${policy}`), policy)));
    }
    try {
      out.push(engines.get(policy).decide(request));
    } catch (err) {
      out.push({ error: err.message, code: err.code });
    }
  }
  return out;
}

/** Loads a bundle fetched from `path` and times it (ms). */
async function loadBundle(path) {
  const bytes = new Uint8Array(await (await fetch(path)).arrayBuffer());
  const t0 = performance.now();
  const bundle = esafety.Bundle.fromBytes(bytes);
  const ms = performance.now() - t0;
  const entries = bundle.info().lists.reduce((n, l) => n + l.entries, 0);
  return { ms, bytes: bytes.length, entries };
}

function errorOf(fn) {
  try {
    fn();
    return null;
  } catch (err) {
    return { isError: err instanceof Error, message: err.message, code: err.code, help: err.help };
  }
}

const t0 = performance.now();
try {
  await init();
  window.esafetyInitMs = performance.now() - t0;
  window.esafetyTest = {
    version: esafety.version(),
    canonicalize: (u) => esafety.canonicalize(u),
    classify: (u) => esafety.sampleBundle().classify(u),
    decide,
    loadBundle,
    errors: () => ({
      url: errorOf(() => esafety.canonicalize('javascript:alert(1)')),
      bundle: errorOf(() => esafety.Bundle.fromBytes(new Uint8Array([1, 2, 3]))),
      policy: errorOf(() => esafety.Policy.fromToml('id = ', 'bad.toml')),
    }),
  };
  status.textContent = 'ready';
} catch (err) {
  status.textContent = `failed: ${err && err.stack}`;
}
