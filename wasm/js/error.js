// `EsafetyError`, the class of every error the esafety package throws.
//
// The Rust face (wasm/src/error.rs) makes each thrown error with `newError`,
// so `e instanceof EsafetyError` holds for all of them and `e.code` is one
// of the core's `ErrorCode` ids. The package's entry modules (written by
// scripts/build-wasm.sh) export the class itself.
//
// scripts/build-wasm.sh turns the last line into `module.exports` for the
// CommonJS (Node) build, so keep the single `export { ... }` line at the end.

/**
 * An error thrown by esafety: `message` is the core's message (the same text
 * the CLI prints), `code` what kind of input was wrong, `help` what to do
 * about it; `line` and `column` (1-based) locate the problem in a policy or
 * incident text when known.
 */
class EsafetyError extends Error {
  constructor(message, code, help, line, column) {
    super(message);
    this.name = 'EsafetyError';
    this.code = code;
    this.help = help;
    if (line !== undefined) this.line = line;
    if (column !== undefined) this.column = column;
  }
}

/** A new `EsafetyError` (`line` and `column` 0 when not known). */
function newError(message, code, help, line, column) {
  return new EsafetyError(message, code, help, line > 0 ? line : undefined, column > 0 ? column : undefined);
}

export { EsafetyError, newError };
