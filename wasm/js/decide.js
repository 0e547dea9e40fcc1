// The JavaScript half of `engine.decide`, the per-navigation call.
//
// wasm-bindgen imports these two functions into the Rust face
// (wasm/src/request.rs and wasm/src/decision.rs). They exist because every
// call across the JavaScript/WebAssembly boundary costs more than reading a
// property or making an object on this side: read through wasm-bindgen's
// generic getters, a request took a dozen crossings and a fresh string copy
// per field, and the result another dozen. Here a plain request is read in
// one call and written straight into WebAssembly memory, and the result
// object is made in one call with an object literal.
//
// Neither function decides anything or words an error: a request that is not
// plain (an unknown key, a field of an unexpected type, a getter that throws)
// makes `readRequest` answer SLOW, and the Rust face then reads it field by
// field and words the exact error, as it always did.
//
// scripts/build-wasm.sh turns the last line into `module.exports` for the
// CommonJS (Node) build, so keep the single `export { ... }` line at the end.

/** `readRequest` could not take the fast path; read the request in Rust. */
const SLOW = -1;

const encoder = new TextEncoder();

/** `Date.prototype.getTime`, as the page found it when this module loaded. */
const dateValue = Date.prototype.getTime;

/** The `url` string of the request `readRequest` read last, handed back by `makeReport`. */
let lastUrl = '';

/**
 * Views of the WebAssembly memory, made again when it grows: growing
 * detaches the old buffer, and a detached view has length 0 (reading
 * `memory.buffer` on every call costs more than this check).
 */
let heap = { f64: new Float64Array(0), u8: new Uint8Array(0) };

function views(memory) {
  if (heap.u8.length === 0) {
    const buffer = memory.buffer;
    heap = { f64: new Float64Array(buffer), u8: new Uint8Array(buffer) };
  }
  return heap;
}

/**
 * What `readRequest` last wrote before the url: the group and device (as
 * given, `===`-comparable), where (the memory views and the scratch
 * address), their UTF-8 lengths and a view of the rest of the scratch for
 * the url. The Rust side only reads the scratch, so when the next request
 * has the same group and device and comes with the same buffer and address,
 * their bytes are still there.
 */
let written = { heap: null, at: -1, group: undefined, device: undefined, groupLen: -1, deviceLen: -1, rest: null };

/**
 * Whether `s` has no lone surrogate. A URL with one takes the slow path, so
 * that the report gives back the text Rust read (U+FFFD in its place), and
 * the fast path's report can hand back the caller's string as it is.
 * (`isWellFormed` is O(1) for the one-byte strings most URLs are; where it
 * is missing, any surrogate, paired or not, goes the slow way.)
 */
const wellFormed = typeof String.prototype.isWellFormed === 'function'
  ? (s) => s.isWellFormed()
  : (s) => !/[\uD800-\uDFFF]/.test(s);

/**
 * Writes `s` as UTF-8 into the view `into` from its start; returns the
 * length in bytes, or -1 if it does not fit. A lone surrogate becomes
 * U+FFFD, as in wasm-bindgen's own string passing.
 */
function put(s, into) {
  const { read, written: n } = encoder.encodeInto(s, into);
  return read === s.length ? n : -1;
}

/**
 * Reads a request `{url, time, group?, age?, device?}` whose fields have the
 * plain types into the WebAssembly `memory`:
 *
 * - five f64 at byte address `numbersAt`: `time` in epoch milliseconds (a
 *   number or a `Date`, not yet checked for range or fractions: Rust does
 *   that); 1 if `age` is given, else 0; the age; the UTF-8 lengths of
 *   `group` and `device`, or -1 when not given;
 * - `bytesLen` bytes at `bytesAt`: `group`, `device` and `url` as UTF-8,
 *   one after the other.
 *
 * Returns the UTF-8 length of `url`, or SLOW.
 */
function readRequest(r, memory, numbersAt, bytesAt, bytesLen) {
  try {
    if (typeof r !== 'object' || r === null) return SLOW;
    for (const k in r) {
      if (k !== 'url' && k !== 'time' && k !== 'group' && k !== 'age' && k !== 'device' && Object.prototype.hasOwnProperty.call(r, k)) {
        return SLOW;
      }
    }
    const url = r.url;
    if (typeof url !== 'string' || !wellFormed(url)) return SLOW;
    const time = r.time;
    let ms;
    if (typeof time === 'number') ms = time;
    // A `Date` by its own time value, never by a `getTime` the caller
    // overrides (the Rust side reads it the same way); anything else
    // throws here and takes the slow path.
    else if (typeof time === 'object' && time !== null) ms = dateValue.call(time);
    else return SLOW;
    const group = r.group;
    const age = r.age;
    const device = r.device;
    const hasGroup = group !== undefined && group !== null;
    const hasAge = age !== undefined && age !== null;
    const hasDevice = device !== undefined && device !== null;
    if ((hasGroup && typeof group !== 'string') || (hasAge && typeof age !== 'number') || (hasDevice && typeof device !== 'string')) {
      return SLOW;
    }
    const h = views(memory);
    let w = written;
    if (w.heap !== h || w.at !== bytesAt || w.group !== group || w.device !== device) {
      const end = bytesAt + bytesLen;
      const groupLen = hasGroup ? put(group, h.u8.subarray(bytesAt, end)) : 0;
      if (groupLen < 0) return SLOW;
      const deviceLen = hasDevice ? put(device, h.u8.subarray(bytesAt + groupLen, end)) : 0;
      if (deviceLen < 0) return SLOW;
      w = written = {
        heap: h,
        at: bytesAt,
        group,
        device,
        groupLen: hasGroup ? groupLen : -1,
        deviceLen: hasDevice ? deviceLen : -1,
        rest: h.u8.subarray(bytesAt + groupLen + deviceLen, end),
      };
    }
    const urlLen = put(url, w.rest);
    if (urlLen < 0) return SLOW;
    const n = numbersAt / 8;
    const f64 = h.f64;
    f64[n] = ms;
    f64[n + 1] = hasAge ? 1 : 0;
    f64[n + 2] = hasAge ? age : 0;
    f64[n + 3] = w.groupLen;
    f64[n + 4] = w.deviceLen;
    lastUrl = url;
    return urlLen;
  } catch {
    return SLOW;
  }
}

/**
 * `joined` split on NUL ('' is the empty list), frozen. The Rust side keeps
 * the array and passes it to `makeReport` for every decision with that
 * list, so every result with that list shares it: frozen, no caller can
 * change what a later decision returns (and no copy per decision is made).
 */
function splitList(joined) {
  return Object.freeze(joined === '' ? [] : joined.split('\0'));
}

/**
 * The decision object, in `esafety check --json` key order. `url` is
 * `undefined` for "the `url` string `readRequest` read"; `canonical` is
 * `undefined` for "the same as `url`"; `categories` and `reasons` are frozen
 * arrays the Rust side may pass again (shared, never copied).
 */
function makeReport(url, canonical, action, rule, categories, reasons, log, review, message, safeSearch) {
  const u = url === undefined ? lastUrl : url;
  return {
    url: u,
    canonical: canonical === undefined ? u : canonical,
    action,
    rule,
    categories,
    reasons,
    log,
    review,
    message,
    safe_search: safeSearch,
  };
}

export { readRequest, splitList, makeReport };
