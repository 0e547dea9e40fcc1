// What an install guarantees, in words, from the worker's status (see
// status.html and README.md, "What each install guarantees"). Kept apart
// from status.js so that Node can test it.

/** The requests a blocking listener decides. */
const EVERY_TYPE = 'pages, frames, images, media, scripts, style sheets, fonts, fetch() and XMLHttpRequest, WebSockets, pings, objects and other requests';

/**
 * `{guaranteed, notGuaranteed}`: sentences for the status page.
 *
 * @param {{mode: string, error: string|null, dnr: object|null}} status the worker's `status` answer
 */
export function guarantees(status) {
  if (status.error) {
    return {
      guaranteed: ['the filter could not start, so every web request is blocked'],
      notGuaranteed: [`the filter is not deciding requests: ${status.error}`],
    };
  }
  if (status.mode === 'managed') {
    return {
      guaranteed: [
        `every request of every type (${EVERY_TYPE}) is decided by the esafety engine before it is sent, the child-abuse (IWF) and terrorism lists included`,
        'a blocked page or frame shows the block page; any other blocked request is cancelled',
        'while the filter starts (the service worker waking), every request is blocked; a page blocked then loads again once it has started',
      ],
      notGuaranteed: [
        'requests Chromium makes before it has loaded its extensions at start-up, and requests of other extensions, are not seen by this one',
      ],
    };
  }
  const dnr = status.dnr ?? {};
  const ruled = (dnr.coverage ?? []).filter((c) => c.coverage === 'rules').map((c) => `${c.list} (${c.category})`);
  return {
    guaranteed: [
      ruled.length
        ? `every request of every type (${EVERY_TYPE}) to an address on these lists is blocked by the browser before it is sent: ${ruled.join(', ')}`
        : 'no list is blocked by rules for this user now',
      'until the rules are written, and whenever they cannot be, every request is blocked',
      'top-level pages are also checked by the engine, which shows the block page',
    ],
    notGuaranteed: [
      ...(dnr.notCovered ?? []),
      ...(dnr.engineOnly ?? []).map((s) => `only for top-level pages, after the request has started: ${s}`),
      ...(dnr.spellingDifferences ?? []),
      'frames, images, scripts and other requests to addresses the rules leave to the engine reach the server',
    ],
  };
}
