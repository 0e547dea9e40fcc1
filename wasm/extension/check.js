// The navigation check of the example extension, kept apart from the
// service worker so that Node can test it with the Node build of the package.
// It holds no decision logic: the esafety engine decides; this only says
// which navigations to check and where to send a blocked one.

/** Schemes the engine can canonicalize; everything else is left alone. */
const CHECKED = /^(https?|ftp|wss?):/i;

/**
 * Decides one top-level navigation.
 *
 * @param {import('./lib/esafety.js').Engine} engine the esafety engine
 * @param {string} url the address being navigated to
 * @param {number} now the time in epoch milliseconds (the host's clock)
 * @param {{group?: string, age?: number, device?: string}} context who is browsing
 * @returns {{report: object|null, page: string|null}} the engine's decision
 *   report (null for an address that is not checked) and, for a navigation
 *   that must not go ahead, the extension page to show instead
 */
export function checkNavigation(engine, url, now, context = {}) {
  if (!CHECKED.test(url)) return { report: null, page: null };
  let report;
  try {
    report = engine.decide({ ...context, url, time: now });
  } catch (err) {
    // Every failure fails closed, an address the engine cannot read
    // included: the engine reads every address a browser opens (up to
    // Chromium's 2 MiB limit), so letting unreadable ones through would
    // let through whatever made them unreadable.
    report = {
      url,
      action: 'block',
      rule: 'error',
      categories: [],
      reasons: [`the filter could not check this page: ${err && err.message}`],
      message: null,
    };
  }
  if (report.action === 'block' || report.action === 'warn') {
    return { report, page: blockPage(report) };
  }
  return { report, page: null };
}

/**
 * The engine to use when the real one could not be made (a damaged bundle
 * or policy in the extension, a failed WebAssembly start): it fails every
 * decision with `error`, so every checked navigation goes to the block page
 * with that reason rather than going ahead unchecked.
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
 * 2 MiB URL limit: `chrome.tabs.update` refuses a longer one, and the
 * blocked navigation would then go ahead.
 */
export const PAGE_MAX = 1024 * 1024;

/** `s` cut to `SHOWN_MAX` code units and an ellipsis, never inside a surrogate pair. */
function clip(s) {
  if (typeof s !== 'string' || s.length <= SHOWN_MAX) return s;
  const end = /[\uD800-\uDBFF]/.test(s[SHOWN_MAX - 1]) ? SHOWN_MAX - 1 : SHOWN_MAX;
  return `${s.slice(0, end)}…`;
}

/**
 * The block (or warning) page for a decision: `block.html#` + the parts of
 * the report the page shows, each text cut to `SHOWN_MAX`, and for a
 * warning the whole address to continue to (`proceed`) when the page's
 * address stays under `PAGE_MAX` with it. A page on a sensitive list
 * (child-abuse, terrorism) never carries its address: the engine's reasons
 * name only a digest id, and the address is left out here too.
 */
export function blockPage(report) {
  const sensitive = report.categories.some((c) => c === 'child-abuse' || c === 'terrorism');
  const shown = {
    action: report.action,
    rule: report.rule,
    categories: report.categories,
    reasons: report.reasons.map(clip),
    message: clip(report.message ?? null),
    url: sensitive ? null : clip(report.url),
    proceed: report.action === 'warn' && !sensitive && !/[\uD800-\uDFFF]/.test(report.url) ? report.url : null,
  };
  const page = `block.html#${encodeURIComponent(JSON.stringify(shown))}`;
  if (page.length <= PAGE_MAX || shown.proceed === null) return page;
  return `block.html#${encodeURIComponent(JSON.stringify({ ...shown, proceed: null }))}`;
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
