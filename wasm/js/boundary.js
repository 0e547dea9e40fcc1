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
 * A second handle on an esafety `Bundle` or `Policy` (its Rust method
 * `__esafetyShare`), for the Rust face to take instead of the caller's
 * object; `null` for a value without one. A caller's object may define the
 * method or a getter: what it returns is read as the class only if it is
 * one (wasm-bindgen checks), and a throw is caught.
 */
function shareOf(value) {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return null;
  const share = value.__esafetyShare;
  return typeof share === 'function' ? share.call(value) : null;
}

/**
 * A structured clone of `value` (plain objects, arrays, strings, numbers,
 * typed arrays and dates): getters run once, here, and what the Rust face
 * then reads has no traps or getters left. Throws for a Proxy or a function.
 */
function plainCopy(value) {
  return structuredClone(value);
}

export { dateTime, ownKeys, ownEntries, bytesOf, shareOf, plainCopy };
