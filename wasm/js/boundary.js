// What the Rust face asks of caller values at the boundary, written so that
// no caller code runs without Rust seeing its exception as a value.
//
// Every function here may run caller code (a Proxy trap, a getter, an
// overridden method) or throw a TypeError; the Rust face imports each of
// them with wasm-bindgen's `catch` (wasm/src/boundary.rs), so a throw
// becomes an `EsafetyError` there and never unwinds through WebAssembly
// frames (which would leak the instance's stack until it traps).
//
// scripts/build-wasm.sh turns the last line into `module.exports` for the
// CommonJS (Node) build, so keep the single `export { ... }` line at the end.

const dateValue = Date.prototype.getTime;
const bufferLength = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, 'byteLength').get;

/**
 * The time value of a `Date` (of any realm or subclass), read from the date
 * itself by `Date.prototype.getTime`, never by a method the caller
 * overrides; throws a TypeError for anything that is not a `Date`.
 */
function dateTime(value) {
  return dateValue.call(value);
}

/** `Object.keys(value)`: a Proxy's `ownKeys` trap may throw. */
function ownKeys(value) {
  return Object.keys(value);
}

/** `Object.entries(value)`: traps and getters may throw. */
function ownEntries(value) {
  return Object.entries(value);
}

/**
 * The bytes of `value` as a `Uint8Array` over them: a typed array or
 * `DataView` (its bytes, whatever its element type), or an `ArrayBuffer`;
 * `null` for anything else.
 */
function bytesOf(value) {
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  try {
    bufferLength.call(value);
  } catch {
    return null;
  }
  return new Uint8Array(value);
}

/**
 * A structured clone of `value` (plain objects, arrays, strings, numbers,
 * typed arrays and dates): getters run once, here, and what the Rust face
 * then reads has no traps or getters left. Throws for a Proxy or a function.
 */
function plainCopy(value) {
  return structuredClone(value);
}

export { dateTime, ownKeys, ownEntries, bytesOf, plainCopy };
