// Writes the example extension's lib/ (ignored by git): the web build of the
// package (with the `dnr` feature) as files, and what the service worker
// needs to start:
//   lib/esafety.js, snippets/   wasm-bindgen's ES module (the glue)
//   lib/esafety_bg.wasm         the module, compiled from the file
//                               (`WebAssembly.instantiateStreaming` over
//                               `fetch(chrome.runtime.getURL(...))`)
//   lib/bundle.esb              the shipped bundle, fetched the same way
//   lib/embedded.js             the shipped policy (JSON), its file name and
//                               config.json: a few KB, a static import
//
// Why files: Chromium runs a worker's whole module graph before its script
// body, and a module holding the .wasm and the bundle as base64 (~3 MB for
// a 100k-entry bundle) cost most of the worker's start (230 ms of 357 ms,
// wasm/README.md "Extension ready time"). Fetched from the extension's own
// files they are read as bytes, with no JavaScript to parse. Until both are
// in and the engine is built, every request fails closed (service-worker.js).
//
// Usage (scripts/build-wasm.sh runs it):
//   node wasm/extension/build.mjs --web DIR --node-pkg PKG/node/esafety.js --policy P.json
//       [--bundle B.esb] [--config config.json] [--out EXTENSION_DIR]
// --bundle defaults to the package's sample bundle; --out to this folder
// (tests and benches build copies with another bundle or policy).
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const HERE = dirname(fileURLToPath(import.meta.url));

/** The shipped module and bundle, as files of lib/ (service-worker.js fetches them). */
export const WASM_FILE = 'esafety_bg.wasm';
export const BUNDLE_FILE = 'bundle.esb';

/**
 * Writes the shipped parts into `out`/lib: the .wasm and the bundle as
 * files, the policy, its file name and the configuration in
 * lib/embedded.js.
 *
 * @param {string} out the extension folder
 * @param {{wasm: Uint8Array, bundle: Uint8Array, policy: string, policyFile: string, config: object}} parts
 */
export function writeEmbedded(out, { wasm, bundle, policy, policyFile, config }) {
  const lines = [
    '// Written by wasm/extension/build.mjs: the shipped policy and configuration',
    '// (the module and the bundle are the files lib/esafety_bg.wasm and lib/bundle.esb).',
    `export const WASM_FILE = ${JSON.stringify(`lib/${WASM_FILE}`)};`,
    `export const BUNDLE_FILE = ${JSON.stringify(`lib/${BUNDLE_FILE}`)};`,
    `export const POLICY = ${JSON.stringify(policy)};`,
    `export const POLICY_FILE = ${JSON.stringify(policyFile)};`,
    `export const CONFIG = ${JSON.stringify(config)};`,
    '',
  ];
  const lib = join(out, 'lib');
  mkdirSync(lib, { recursive: true });
  writeFileSync(join(lib, WASM_FILE), wasm);
  writeFileSync(join(lib, BUNDLE_FILE), bundle);
  writeFileSync(join(lib, 'embedded.js'), lines.join('\n'));
}

/** Reads what `writeEmbedded` wrote (for copies that change one part). */
export async function readEmbedded(dir) {
  const m = await import(`${join(dir, 'lib', 'embedded.js')}?${Date.now()}`);
  return {
    wasm: readFileSync(join(dir, 'lib', WASM_FILE)),
    bundle: readFileSync(join(dir, 'lib', BUNDLE_FILE)),
    policy: m.POLICY,
    policyFile: m.POLICY_FILE,
    config: m.CONFIG,
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values: o } = parseArgs({
    options: {
      web: { type: 'string' },
      'node-pkg': { type: 'string' },
      policy: { type: 'string' },
      bundle: { type: 'string' },
      config: { type: 'string', default: join(HERE, 'config.json') },
      out: { type: 'string', default: HERE },
    },
  });
  for (const need of ['web', 'policy']) {
    if (!o[need]) {
      console.error(`build.mjs: give --${need}`);
      process.exit(2);
    }
  }
  const out = resolve(o.out);
  const lib = join(out, 'lib');
  rmSync(lib, { recursive: true, force: true });
  mkdirSync(lib, { recursive: true });
  cpSync(join(o.web, 'esafety.js'), join(lib, 'esafety.js'));
  if (existsSync(join(o.web, 'snippets'))) cpSync(join(o.web, 'snippets'), join(lib, 'snippets'), { recursive: true });
  let bundle;
  if (o.bundle) {
    bundle = readFileSync(o.bundle);
  } else {
    if (!o['node-pkg']) {
      console.error('build.mjs: give --bundle, or --node-pkg for the sample bundle');
      process.exit(2);
    }
    bundle = createRequire(import.meta.url)(resolve(o['node-pkg'])).sampleBundleBytes();
  }
  writeEmbedded(out, {
    wasm: readFileSync(join(o.web, 'esafety_bg.wasm')),
    bundle,
    policy: readFileSync(o.policy, 'utf8'),
    policyFile: o.policy.split('/').pop(),
    config: JSON.parse(readFileSync(o.config, 'utf8')),
  });
  const size = (f) => readFileSync(join(lib, f)).length;
  console.log(`build.mjs: ${lib} written (${WASM_FILE} ${size(WASM_FILE)} bytes, ${BUNDLE_FILE} ${size(BUNDLE_FILE)} bytes, embedded.js ${size('embedded.js')} bytes)`);
}
