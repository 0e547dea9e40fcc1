// The request check of the example extension, kept apart from the service
// worker so that Node can test it with the Node build of the package. It
// holds no decision logic: the esafety engine decides, and a request it
// cannot decide gets the core's fail-closed decision (`errorDecision`).
// This file only says which requests to check and what the browser does
// with a decision.

/** Schemes the engine can canonicalize; everything else is left alone. */
const CHECKED = /^(https?|ftp|wss?):/i;

/** Request types shown a page (the block page, inside the frame for a frame). */
const PAGE_TYPES = new Set(['main_frame', 'sub_frame', 'outermost_frame']);

/**
 * The decision for a request when the WebAssembly module itself did not
 * start, so the core's `errorDecision` cannot be called: the one copy of
 * the fail-closed decision outside the core, with its shape (block, rule
 * `error`, the reason).
 */
export function moduleFailedDecision(url, reason) {
  return { url, canonical: null, action: 'block', rule: 'error', categories: [], reasons: [`the request could not be checked, so it is blocked: ${reason}`], log: true, review: false, message: null, safe_search: null };
}

/**
 * Decides one address.
 *
 * @param {{decide(request: object): object}} engine the esafety engine
 * @param {string} url the address requested
 * @param {number} now the time in epoch milliseconds (the host's clock)
 * @param {{group?: string, age?: number, device?: string}} context who is browsing
 * @param {(url: string, reason: string) => object} errorDecision the core's
 *   fail-closed decision (the package's `errorDecision`)
 * @returns {object|null} the engine's decision report, the error decision
 *   when the engine throws, or null for an address that is not checked
 */
export function decide(engine, url, now, context, errorDecision) {
  if (!CHECKED.test(url)) return null;
  try {
    return engine.decide({ ...context, url, time: now });
  } catch (err) {
    // Every failure fails closed, an address the engine cannot read
    // included: the engine reads every address a browser opens (up to
    // Chromium's 2 MiB limit), so letting unreadable ones through would
    // let through whatever made them unreadable.
    return errorDecision(url, String(err && err.message));
  }
}

/**
 * Decides one top-level navigation (an install without policy, after the
 * request has started).
 *
 * @returns {{report: object|null, page: string|null}} the decision report
 *   and, for a navigation that must not go ahead, the extension page to
 *   show instead
 */
export function checkNavigation(engine, url, now, context, errorDecision) {
  const report = decide(engine, url, now, context, errorDecision);
  if (report && (report.action === 'block' || report.action === 'warn')) {
    return { report, page: blockPage(report) };
  }
  return { report, page: null };
}

/**
 * What a blocking `webRequest.onBeforeRequest` listener answers for a
 * request and its decision: nothing for an allowed one; the block (or
 * warning) page for a page or a frame (a frame shows it inside the frame);
 * `cancel` for everything else — an image, a script, a `fetch()`, a
 * WebSocket cannot show a page, and a warned one cannot be clicked through,
 * so it is cancelled unless the page it belongs to was continued to.
 *
 * @param {object|null} report the decision (from `decide`)
 * @param {{type: string, url: string, documentUrl?: string}} details the request
 * @param {(path: string) => string} pageUrl the extension page's address
 *   (`chrome.runtime.getURL`)
 * @param {Set<string>} proceeded warned pages the user chose to continue to
 * @param {string|null} retry for a request blocked because the filter was
 *   not ready, the address the block page loads again once it is
 */
export function answer(report, details, pageUrl, proceeded = new Set(), retry = null) {
  if (!report || (report.action !== 'block' && report.action !== 'warn')) return {};
  const page = PAGE_TYPES.has(details.type);
  if (report.action === 'warn') {
    if (proceeded.has(details.url)) return {};
    if (!page && details.documentUrl && proceeded.has(details.documentUrl)) return {};
  }
  if (page) return { redirectUrl: pageUrl(blockPage(report, { retry })) };
  return { cancel: true };
}

/**
 * The engine to use when the real one could not be made (a damaged bundle
 * or policy, a configuration that cannot be read): it fails every decision
 * with `error`, so every checked request is blocked with that reason
 * rather than going ahead unchecked.
 */
export function unavailable(error) {
  return {
    decide() {
      throw error;
    },
  };
}

/** The longest text of a report the block page shows (an address, a reason). */
export const SHOWN_MAX = 2000;

/**
 * The longest block-page address `blockPage` makes, well under Chromium's
 * 2 MiB URL limit: a longer redirect is refused, and the blocked request
 * would then go ahead.
 */
export const PAGE_MAX = 1024 * 1024;

/** `s` cut to `SHOWN_MAX` code units and an ellipsis, never inside a surrogate pair. */
function clip(s) {
  if (typeof s !== 'string' || s.length <= SHOWN_MAX) return s;
  const end = /[\uD800-\uDBFF]/.test(s[SHOWN_MAX - 1]) ? SHOWN_MAX - 1 : SHOWN_MAX;
  return `${s.slice(0, end)}…`;
}

/** Whether a report is of a sensitive list (child-abuse, terrorism). */
function sensitive(report) {
  return report.categories.some((c) => c === 'child-abuse' || c === 'terrorism');
}

/**
 * The block (or warning) page for a decision: `block.html#` + the parts of
 * the report the page shows, each text cut to `SHOWN_MAX`, and for a
 * warning the whole address to continue to (`proceed`) when the page's
 * address stays under `PAGE_MAX` with it. A page on a sensitive list
 * (child-abuse, terrorism) never carries its address: the engine's reasons
 * name only a digest id, and the address is left out here too. `retry` (an
 * address to load again once the filter has started) is only ever the
 * address of a request blocked because the engine was not ready.
 */
export function blockPage(report, { retry = null } = {}) {
  const shown = {
    action: report.action,
    rule: report.rule,
    categories: report.categories,
    reasons: report.reasons.map(clip),
    message: clip(report.message ?? null),
    url: sensitive(report) ? null : clip(report.url),
    proceed: report.action === 'warn' && !sensitive(report) && !/[\uD800-\uDFFF]/.test(report.url) ? report.url : null,
    retry,
  };
  const page = `block.html#${encodeURIComponent(JSON.stringify(shown))}`;
  if (page.length <= PAGE_MAX || (shown.proceed === null && shown.retry === null)) return page;
  return `block.html#${encodeURIComponent(JSON.stringify({ ...shown, proceed: null, retry: null }))}`;
}

/** Reads the hash that `blockPage` wrote; null when it is not one. */
export function readBlockPage(hash) {
  try {
    const shown = JSON.parse(decodeURIComponent(hash.replace(/^#/, '')));
    return shown && typeof shown === 'object' ? shown : null;
  } catch {
    return null;
  }
}

/** The configuration keys of managed_schema.json, and their types. */
export const MANAGED_KEYS = { group: 'string', age: 'number', device: 'string', policy: 'string', bundleUrl: 'string' };

/**
 * The configuration from `chrome.storage.managed` (as an administrator
 * sets it), over `defaults` (config.json and the shipped bundle and
 * policy): `{context: {group, age, device}, policy, bundleUrl}`. A value of
 * the wrong type is an error, never ignored: a filter configured wrongly
 * must not run as if it were configured otherwise.
 *
 * @param {object} managed what `chrome.storage.managed.get()` gave
 * @param {{group?: string, age?: number, device?: string}} defaults
 */
export function readConfig(managed, defaults) {
  for (const [key, value] of Object.entries(managed ?? {})) {
    const want = MANAGED_KEYS[key];
    if (!want) throw new Error(`the managed configuration has an unknown key \`${key}\`; use ${Object.keys(MANAGED_KEYS).map((k) => `\`${k}\``).join(', ')}`);
    if (typeof value !== want) throw new Error(`the managed configuration's \`${key}\` is a ${typeof value}, not a ${want}`);
  }
  const m = managed ?? {};
  const context = {};
  for (const key of ['group', 'age', 'device']) {
    const value = m[key] ?? defaults[key];
    if (value !== undefined) context[key] = value;
  }
  return { context, policy: m.policy ?? null, bundleUrl: m.bundleUrl ?? null };
}
