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
    // A navigation the engine cannot read as a URL is not a web page the
    // filter knows; an error of any other kind fails closed.
    if (err && err.code === 'invalid-url') return { report: null, page: null };
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
 * The block (or warning) page for a decision: `block.html#` + the parts of
 * the report the page shows. A page on a sensitive list (child-abuse,
 * terrorism) never carries its address: the engine's reasons name only a
 * digest id, and the address is left out here too.
 */
export function blockPage(report) {
  const sensitive = report.categories.some((c) => c === 'child-abuse' || c === 'terrorism');
  const shown = {
    action: report.action,
    rule: report.rule,
    categories: report.categories,
    reasons: report.reasons,
    message: report.message ?? null,
    url: sensitive ? null : report.url,
  };
  return `block.html#${encodeURIComponent(JSON.stringify(shown))}`;
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
