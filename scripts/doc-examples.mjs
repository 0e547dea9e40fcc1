// Checks that every public item of the `esafety` crate has a runnable code
// example in its documentation (the STYLE.md rule: "every public item has a doc
// comment with a runnable example"; `cargo test --doc` runs them).
//
// Reads the rustdoc JSON of the crate (`cargo +nightly rustdoc -p esafety
// --lib -- -Z unstable-options --output-format json`) and walks what a user
// can name: the public modules and re-exports from the crate root, the
// functions, types, traits, constants and statics they hold, and the public
// methods and constants of the types' inherent impls. Struct fields and enum
// variants are documented but need no example of their own; trait impls are
// documented by the trait. rustdoc's own `missing_doc_code_examples` lint is
// not used because it skips items defined in private modules and
// re-exported, which is most of this crate's API.
//
// Usage: node scripts/doc-examples.mjs target/doc/esafety.json
// Exit 0 when every item has an example; 1 with the list of those without.

import { readFileSync } from 'node:fs';

const path = process.argv[2];
if (!path) {
  console.error('usage: node scripts/doc-examples.mjs <rustdoc JSON of esafety>');
  process.exit(2);
}
const doc = JSON.parse(readFileSync(path, 'utf8'));
const index = doc.index;
const item = (id) => index[String(id)];

// The kinds of item that need an example of their own.
const NEEDS_EXAMPLE = new Set(['function', 'struct', 'enum', 'union', 'trait', 'constant', 'static', 'type_alias', 'assoc_const']);

const checked = new Set();
const missing = [];
let count = 0;

// A fence rustdoc compiles and runs: no info string, or only these words
// (not `ignore`, `no_run`, `compile_fail`, `text` or another language).
const RUNNABLE = new Set(['rust', 'should_panic', 'edition2015', 'edition2018', 'edition2021', 'edition2024']);

function hasExample(docs) {
  if (typeof docs !== 'string') return false;
  let open = false;
  for (const line of docs.split('\n')) {
    const fence = line.trim().match(/^```(.*)$/);
    if (!fence) continue;
    if (open) {
      open = false;
      continue;
    }
    open = true;
    const words = fence[1].split(/[\s,]+/).filter((w) => w !== '');
    if (words.every((w) => RUNNABLE.has(w))) return true;
  }
  return false;
}

function check(it, where) {
  if (!it || checked.has(it.id) || it.crate_id !== 0) return;
  checked.add(it.id);
  const kind = Object.keys(it.inner)[0];
  if (NEEDS_EXAMPLE.has(kind)) {
    count++;
    if (!hasExample(it.docs)) {
      const span = it.span ? `${it.span.filename}:${it.span.begin[0]}` : '?';
      missing.push(`${span}: ${kind} ${where}`);
    }
  }
  const inner = it.inner[kind];
  // Inherent impls: their public methods and constants.
  if ((kind === 'struct' || kind === 'enum' || kind === 'union') && Array.isArray(inner.impls)) {
    for (const implId of inner.impls) {
      const impl = item(implId);
      const body = impl && impl.inner.impl;
      if (!body || body.trait !== null || body.is_synthetic || body.blanket_impl !== null) continue;
      for (const memberId of body.items) {
        const member = item(memberId);
        if (member && member.visibility === 'public') check(member, `${where}::${member.name}`);
      }
    }
  }
}

function walk(moduleId, prefix) {
  const m = item(moduleId);
  if (!m || !m.inner.module) return;
  for (const id of m.inner.module.items) {
    const it = item(id);
    if (!it || it.visibility !== 'public') continue;
    if (it.inner.use) {
      const u = it.inner.use;
      const target = u.id === null || u.id === undefined ? null : item(u.id);
      if (!target) continue; // an external item
      if (target.inner.module) {
        if (!checked.has(target.id)) {
          checked.add(target.id);
          walk(target.id, u.is_glob ? prefix : `${prefix}::${u.name}`);
        }
      } else {
        check(target, `${prefix}::${u.name}`);
      }
    } else if (it.inner.module) {
      if (!checked.has(it.id)) {
        checked.add(it.id);
        walk(it.id, `${prefix}::${it.name}`);
      }
    } else {
      check(it, `${prefix}::${it.name}`);
    }
  }
}

walk(doc.root, 'esafety');

if (count === 0) {
  console.error(`doc-examples: found no public items in ${path}; is it the rustdoc JSON of esafety (format ${doc.format_version})?`);
  process.exit(2);
}
if (missing.length > 0) {
  console.error(`doc-examples: ${missing.length} of ${count} public items have no runnable code example in their documentation:`);
  for (const m of missing.sort()) console.error(`  ${m}`);
  console.error('add a short example that asserts what the item does (see the items around it)');
  process.exit(1);
}
console.log(`doc-examples: all ${count} public items of esafety have a runnable code example`);
