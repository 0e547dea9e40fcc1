// Every entry's declared exports are exactly its runtime exports: the
// TypeScript compiler API lists what each `.d.ts` / `.d.mts` declares
// (values, and each class's static and instance members), the module
// itself what it exports, and the two must be the same sets. Types that
// were written by hand (wasm/src/types.rs) or appended by
// scripts/build-wasm.sh cannot drift from the code this way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { PKG } from './helpers.mjs';

const require = createRequire(import.meta.url);

/** wasm-bindgen's internals on a class (`__unwrap` for classes read from JsValues), and the boundary's `__esafetyShare` (wasm/src/boundary.rs, `instance`): not API. */
const INTERNAL = new Set(['__wrap', '__unwrap', '__destroy_into_raw', '__wbg_ptr', '__esafetyShare', 'constructor', 'length', 'name', 'prototype']);

/** What the declaration file `file` exports: `{name: {statics, members} | null}` (null: not a class). */
function declared(file) {
  const program = ts.createProgram([file], { strict: true, noEmit: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'] });
  const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  assert.deepEqual(diagnostics, [], `${file} does not compile`);
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  const module = checker.getSymbolAtLocation(source);
  const out = {};
  for (let symbol of checker.getExportsOfModule(module)) {
    const name = symbol.getName();
    if (symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
    if (!(symbol.flags & ts.SymbolFlags.Value)) continue; // interfaces and type aliases
    if (symbol.flags & ts.SymbolFlags.Class) {
      const decl = symbol.valueDeclaration;
      // Symbol-keyed members (`[Symbol.dispose]`, named `__@dispose@N` here) are left out on both sides.
      const names = (type) => checker.getPropertiesOfType(type).map((p) => p.getName()).filter((n) => !INTERNAL.has(n) && !n.startsWith('__@')).sort();
      out[name] = {
        statics: names(checker.getTypeOfSymbolAtLocation(symbol, decl)),
        members: names(checker.getDeclaredTypeOfSymbol(symbol)),
      };
    } else {
      out[name] = null;
    }
  }
  return out;
}

/** The same shape for a loaded module namespace or `module.exports`. */
function runtime(exports) {
  const out = {};
  for (const name of Object.keys(exports)) {
    const value = exports[name];
    const isClass = typeof value === 'function' && /^class\b/.test(Function.prototype.toString.call(value));
    if (!isClass) {
      out[name] = null;
      continue;
    }
    const own = (o) => Object.getOwnPropertyNames(o).filter((n) => !INTERNAL.has(n));
    const members = new Set();
    // Instance members: the prototype chain up to Error/Object (an
    // EsafetyError's fields are set by its constructor: read one).
    for (let p = value.prototype; p && p !== Object.prototype && p !== Error.prototype; p = Object.getPrototypeOf(p)) {
      for (const n of own(p)) members.add(n);
    }
    if (name === 'EsafetyError') {
      const sample = new value('m', 'invalid-url', 'h', 1, 2);
      for (const n of own(sample)) if (n !== 'stack' && n !== 'message') members.add(n);
      members.add('message');
      members.add('stack');
      members.add('cause');
    }
    // Symbol.dispose is a symbol: not a name here, nor in the checker's list.
    out[name] = { statics: own(value).sort(), members: [...members].sort() };
  }
  return out;
}

/** `declared` minus an Error's own members (`message`, `stack`, `cause`), which both sides have. */
function sameShape(types, code, where) {
  assert.deepEqual(Object.keys(types).sort(), Object.keys(code).sort(), `${where}: exported names`);
  for (const name of Object.keys(code)) {
    assert.deepEqual(types[name], code[name], `${where}: ${name}`);
  }
}

for (const build of ['', 'extension/']) {
  const dir = join(PKG, build);
  test(`${build || 'full '}node require: node/index.d.ts declares exactly node/index.js's exports`, () => {
    sameShape(declared(join(dir, 'node', 'index.d.ts')), runtime(require(join(dir, 'node', 'index.js'))), `${build}node/index.d.ts`);
  });
  test(`${build || 'full '}node import: node/index.d.mts declares exactly node/index.mjs's exports`, async () => {
    const module = await import(pathToFileURL(join(dir, 'node', 'index.mjs')).href);
    sameShape(declared(join(dir, 'node', 'index.d.mts')), runtime(module), `${build}node/index.d.mts`);
  });
  test(`${build || 'full '}web: web/index.d.ts declares exactly web/index.js's exports`, async () => {
    const module = await import(pathToFileURL(join(dir, 'web', 'index.js')).href);
    sameShape(declared(join(dir, 'web', 'index.d.ts')), runtime(module), `${build}web/index.d.ts`);
  });
}

test('the node and web entries export the same API (the web build adds only its loader types)', async () => {
  const node = Object.keys(require(join(PKG, 'node', 'index.js'))).sort();
  const web = Object.keys(await import(pathToFileURL(join(PKG, 'web', 'index.js')).href)).sort();
  assert.deepEqual(node, web);
});
