// Writes the example extension's lib/ (ignored by git): the web build of the
// package (with the `dnr` feature) and lib/embedded.js, which holds the
// .wasm, the shipped bundle, the shipped policy and config.json as one
// ES module.
//
// Why embedded: a service worker woken by a request must answer that
// request synchronously, from its first event. Chromium runs the worker's
// module graph (every static import) before it dispatches any event, so
// what is imported is there when the script's top level runs: the engine is
// compiled (`initSync`) and built there, with no `fetch` (asynchronous) in
// between. Only what an administrator configures (chrome.storage.managed)
// arrives later; until then a managed install fails closed.
//
// Usage (scripts/build-wasm.sh runs it):
//   node wasm/extension/build.mjs --web DIR --node-pkg PKG/node/esafety.js --policy P.toml
//       [--bundle B.esb] [--config config.json] [--out EXTENSION_DIR]
// --bundle defaults to the package's sample bundle; --out to this folder
// (tests and benches build copies with another bundle or policy).
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const HERE = dirname(fileURLToPath(import.meta.url));

/**
 * Writes `out`/lib/embedded.js for these bytes and texts.
 *
 * @param {string} out the extension folder
 * @param {{wasm: Uint8Array, bundle: Uint8Array, policy: string, policyFile: string, config: object}} parts
 */
export function writeEmbedded(out, { wasm, bundle, policy, policyFile, config }) {
  const lines = [
    '// Written by wasm/extension/build.mjs: what the service worker needs at its first event.',
    `export const WASM = ${JSON.stringify(Buffer.from(wasm).toString('base64'))};`,
    `export const BUNDLE = ${JSON.stringify(Buffer.from(bundle).toString('base64'))};`,
    `export const POLICY = ${JSON.stringify(policy)};`,
    `export const POLICY_FILE = ${JSON.stringify(policyFile)};`,
    `export const CONFIG = ${JSON.stringify(config)};`,
    '',
  ];
  mkdirSync(join(out, 'lib'), { recursive: true });
  writeFileSync(join(out, 'lib', 'embedded.js'), lines.join('\n'));
}

/** Reads what `writeEmbedded` wrote (for copies that change one part). */
export async function readEmbedded(dir) {
  const m = await import(`${join(dir, 'lib', 'embedded.js')}?${Date.now()}`);
  return {
    wasm: Buffer.from(m.WASM, 'base64'),
    bundle: Buffer.from(m.BUNDLE, 'base64'),
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
  console.log(`build.mjs: ${lib} written (${readFileSync(join(lib, 'embedded.js')).length} bytes embedded.js)`);
}
