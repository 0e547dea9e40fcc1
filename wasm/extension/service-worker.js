// The example extension's service worker.
//
// Installed by policy (ExtensionInstallForcelist: how schools deploy it), it
// has a blocking `webRequest` listener and decides every request of every
// type before it is sent, synchronously, with the esafety WebAssembly
// engine: pages and frames that must not load go to the block page (a frame
// shows it inside the frame), everything else is cancelled. Until the engine
// is ready every request is blocked.
//
// Installed without policy, Chromium refuses a blocking listener; the
// worker then writes the bundle and the policy as declarativeNetRequest
// rules (the browser applies them to every request, with no extension code
// running) and checks top-level pages with the engine for what the rules
// cannot say (status.html says exactly what).
//
// The WebAssembly module and the shipped bundle are files of the extension
// (lib/esafety_bg.wasm, lib/bundle.esb), fetched and compiled as soon as the
// script runs; the shipped engine is built the moment both are in. Until
// then, and until a managed install has its configuration, every request
// is blocked (the listener below; wasm/extension/build.mjs says why files).
import init, { Bundle, Engine, Policy, errorDecision } from './lib/esafety.js';
import * as shipped from './lib/embedded.js';
import { answer, checkNavigation, decide, moduleFailedDecision, readConfig, unavailable } from './check.js';

// When the script body starts (its imports evaluated), since the worker started.
const scriptMs = performance.now();
const page = (path) => chrome.runtime.getURL(path);

/** A policy from its text: TOML, or JSON if it starts with `{`. `phases.policyMs` gets the milliseconds it took. */
function readPolicy(policyText, policyFile, phases) {
  const t = performance.now();
  const policy = /^\s*\{/.test(policyText) ? Policy.fromJson(policyText, policyFile) : Policy.fromToml(policyText, policyFile);
  phases.policyMs = performance.now() - t;
  return policy;
}

/** An engine from bundle bytes and a policy; `phases` gets `bundleMs` and `engineMs`. */
function buildEngine(bundleBytes, policy, phases) {
  let t = performance.now();
  const bundle = Bundle.fromBytes(bundleBytes);
  phases.bundleMs = performance.now() - t;
  t = performance.now();
  const engine = new Engine(bundle, policy);
  phases.engineMs = performance.now() - t;
  return engine;
}

/** An engine from bundle bytes and policy text. */
function makeEngine(bundleBytes, policyText, policyFile, phases = {}) {
  return buildEngine(bundleBytes, readPolicy(policyText, policyFile, phases), phases);
}

/** The bytes of one of the extension's own files (`lib/bundle.esb`). */
async function ownFile(path) {
  const response = await fetch(page(path));
  if (!response.ok) throw new Error(`the extension's own \`${path}\` answered HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

// Milliseconds each start-up step took (for wasm/bench/extension.mjs).
const phases = {};
// Milliseconds since the worker started (performance.now()'s origin): the
// module compiled, the shipped engine built, the filter deciding.
const timings = { scriptMs, moduleMs: null, engineMs: null, readyMs: null, phases };
globalThis.esafetyTimings = timings;

// The WebAssembly module: null while it loads, true once it runs, or the
// error it could not start with. Until it runs there is no core to build
// the error decision: moduleFailedDecision stands in.
let moduleState = null;
function failDecision(url, reason) {
  if (moduleState === true) return errorDecision(url, reason);
  const why = moduleState === null ? 'the WebAssembly module is still loading' : `the WebAssembly module could not start: ${moduleState.message}`;
  return moduleFailedDecision(url, `${reason} (${why})`);
}

const moduleStarted = (async () => {
  const t = performance.now();
  try {
    await init({ module_or_path: page(shipped.WASM_FILE) });
    phases.wasmMs = performance.now() - t;
    moduleState = true;
  } catch (error) {
    moduleState = error instanceof Error ? error : new Error(String(error));
    console.error('esafety: the WebAssembly module could not start:', error);
  }
  timings.moduleMs = performance.now();
})();
// The shipped bundle's bytes, fetched meanwhile.
const shippedBundle = (async () => {
  const t = performance.now();
  const bytes = await ownFile(shipped.BUNDLE_FILE);
  phases.bundleFetchMs = performance.now() - t;
  return bytes;
})();
// Its failure is read where it is awaited (shippedStarted, configure).
shippedBundle.catch(() => {});

/**
 * What decides now: `{engine, context, ready, error}`. `ready` is false
 * while the module and the shipped bundle load and while a managed install
 * reads its configuration (every request is then blocked); `error` is why
 * the filter could not start (every request is then blocked with it as the
 * reason).
 */
let state = { engine: null, context: {}, ready: false, error: null };

function setEngine(engine, context) {
  state = { engine, context, ready: true, error: null };
  timings.readyMs = performance.now();
}

function setFailed(error) {
  console.error('esafety: the filter could not start:', error);
  state = { engine: unavailable(error), context: {}, ready: true, error: String(error && error.message) };
  timings.readyMs = performance.now();
}

/**
 * The shipped engine (the shipped bundle and policy with config.json, the
 * unmanaged default): the policy is read as soon as the module runs, while
 * the bundle may still be coming, and the engine built once both are in.
 * Resolves to `{engine, context, ready, error}`, never rejects.
 */
const shippedPolicy = moduleStarted.then(() => {
  if (moduleState !== true) throw moduleState;
  return readPolicy(shipped.POLICY, shipped.POLICY_FILE, phases);
});
const shippedStarted = Promise.all([shippedPolicy, shippedBundle])
  .then(([policy, bytes]) => ({ engine: buildEngine(bytes, policy, phases), context: { ...shipped.CONFIG }, ready: true, error: null }))
  .catch((error) => {
    // The module's own error first: without it nothing else could run.
    const why = moduleState instanceof Error ? moduleState : error;
    return { engine: unavailable(why), context: {}, ready: true, error: String(why && why.message) };
  })
  .finally(() => {
    timings.engineMs = performance.now();
  });

// Warned pages the user chose to continue to (until the worker restarts).
const proceeded = new Set();
// Requests this worker makes itself (the configured bundle) must not wait
// on the filter it is starting.
const OWN_ORIGIN = new URL(page('')).origin;

/** The blocking listener: every request, decided before it is sent. */
function onBeforeRequest(details) {
  if (details.initiator === OWN_ORIGIN && details.tabId === -1) return {};
  const now = Date.now();
  if (!state.ready) {
    // Not ready: fail closed. A page or frame goes to the block page, which
    // loads the address again once the filter has started.
    const report = failDecision(details.url, 'the filter is starting and has not checked this page yet');
    const retry = details.type === 'main_frame' || details.type === 'sub_frame' ? details.url : null;
    return answer(report, details, page, proceeded, retry);
  }
  const report = decide(state.engine, details.url, now, state.context, failDecision);
  return answer(report, details, page, proceeded);
}

// Registered at the top level, so that a request that wakes the worker is
// given to it. Chromium accepts the registration from any install but only
// calls a blocking listener of an extension installed by policy; which one
// this is, chrome.permissions says (below).
chrome.webRequest.onBeforeRequest.addListener(onBeforeRequest, { urls: ['<all_urls>'] }, ['blocking']);

/** 'managed' (blocking webRequest granted), 'unmanaged', or null until known. */
let mode = null;
globalThis.esafetyMode = null;

/**
 * Starts a managed install: the engine chrome.storage.managed describes.
 * Chromium fills that storage from policy a moment after a fresh install
 * (the worker's first start sees it empty), so an empty one means "not
 * configured yet": every request stays blocked until a configuration
 * arrives (storage.onChanged, below), and a changed configuration builds a
 * new engine, which replaces the old one once it is ready.
 */
async function startManaged() {
  // The engine decides every request from here on; the block-everything
  // ruleset (on from install, for an install without policy) would only
  // get in its way.
  await chrome.declarativeNetRequest.updateEnabledRulesets({ disableRulesetIds: ['fail-closed'] });
  const managed = await chrome.storage.managed.get(null);
  if (Object.keys(managed).length === 0) return configured;
  return configure(managed);
}

let configuredNow;
/** Resolves once a managed configuration is in use (or could not be). */
const configured = new Promise((ok) => {
  configuredNow = ok;
});

/** Builds the engine of one managed configuration and puts it in use. */
async function configure(managed) {
  try {
    const config = readConfig(managed, shipped.CONFIG);
    const shippedState = await shippedStarted;
    if (!config.bundleUrl && !config.policy) {
      // The shipped bundle and policy, built when the worker started.
      if (shippedState.error) throw new Error(shippedState.error);
      setEngine(shippedState.engine, config.context);
    } else {
      if (moduleState !== true) throw moduleState;
      let bundle;
      if (config.bundleUrl) {
        const response = await fetch(config.bundleUrl, { cache: 'no-store' });
        if (!response.ok) throw new Error(`the bundle at \`${config.bundleUrl}\` answered HTTP ${response.status}`);
        bundle = new Uint8Array(await response.arrayBuffer());
      } else {
        bundle = await shippedBundle;
      }
      setEngine(makeEngine(bundle, config.policy ?? shipped.POLICY, config.policy ? 'managed policy' : shipped.POLICY_FILE), config.context);
    }
  } catch (error) {
    setFailed(error);
  }
  configuredNow();
}

chrome.storage.onChanged.addListener((changes, area) => {
  if (area !== 'managed' || mode !== 'managed') return;
  chrome.storage.managed.get(null).then(configure, setFailed);
});

// --- Without policy: declarativeNetRequest rules, and the engine for pages.

/** The dynamic rules for now, written over the previous ones; an alarm writes them again at valid_until. */
async function writeRules() {
  const { engine, context } = state;
  if (!engine.dnrRules) throw state.error ? new Error(state.error) : new Error('the engine has no declarativeNetRequest export');
  const exported = engine.dnrRules({ ...context, time: Date.now() });
  const old = await chrome.declarativeNetRequest.getDynamicRules();
  await chrome.declarativeNetRequest.updateDynamicRules({
    removeRuleIds: old.map((r) => r.id),
    addRules: exported.rules,
  });
  // The rules are written: the block-everything ruleset (on from install)
  // can go.
  await chrome.declarativeNetRequest.updateEnabledRulesets({ disableRulesetIds: ['fail-closed'] });
  await chrome.alarms.clear('rules');
  if (exported.valid_until) chrome.alarms.create('rules', { when: Date.parse(exported.valid_until) });
  dnrState = { rules: exported.rules.length, regexRules: exported.regex_rules, validUntil: exported.valid_until, coverage: exported.coverage, notCovered: exported.not_covered, spellingDifferences: exported.spelling_differences, engineOnly: exported.engine_only, writtenAt: new Date().toISOString(), error: null };
  return dnrState;
}
let dnrState = null;

async function startUnmanaged() {
  state = await shippedStarted;
  timings.readyMs = performance.now();
  if (state.error) console.error('esafety: the filter could not start:', state.error);
  return writeRules().catch((error) => {
    // The block-everything ruleset goes (back) on: nothing goes through
    // unchecked.
    console.error('esafety: the declarativeNetRequest rules could not be written:', error);
    dnrState = { error: String(error && error.message) };
    return chrome.declarativeNetRequest.updateEnabledRulesets({ enableRulesetIds: ['fail-closed'] }).then(() => dnrState);
  });
}

const started = chrome.permissions.contains({ permissions: ['webRequestBlocking'] }).then(async (blocking) => {
  mode = blocking ? 'managed' : 'unmanaged';
  globalThis.esafetyMode = mode;
  if (mode === 'managed') {
    await startManaged().catch((error) => {
      setFailed(error);
      configuredNow();
    });
    return !state.error;
  }
  await startUnmanaged();
  return !state.error && !dnrState.error;
});
// For the end-to-end tests and for debugging from the worker's console:
// true once the filter runs, false if it could not start.
globalThis.esafetyReady = started;
// For wasm/bench/extension.mjs: the listener, to time it where it runs.
globalThis.esafetyOnBeforeRequest = onBeforeRequest;

chrome.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === 'rules' && mode === 'unmanaged') writeRules().catch((error) => console.error('esafety: rules not rewritten:', error));
});
// Without policy the rules cannot express every decision (status.html):
// top-level pages are checked by the engine too, after the request has
// started.
chrome.webNavigation.onBeforeNavigate.addListener((details) => {
  if (mode === 'managed' || details.frameId !== 0 || proceeded.has(details.url)) return;
  const now = Date.now();
  shippedStarted.then(({ engine, context }) => {
    const { page: blocked } = checkNavigation(engine, details.url, now, context, failDecision);
    if (blocked) chrome.tabs.update(details.tabId, { url: page(blocked) });
  });
});

chrome.runtime.onMessage.addListener((message, sender, reply) => {
  if (!message || typeof message !== 'object' || sender.id !== chrome.runtime.id) return false;
  if (message.type === 'proceed' && typeof message.url === 'string' && sender.tab) {
    proceeded.add(message.url);
    chrome.tabs.update(sender.tab.id, { url: message.url });
    return false;
  }
  if (message.type === 'ready') {
    started.then((ok) => reply({ ready: state.ready, ok }));
    return true;
  }
  if (message.type === 'status') {
    started.then(() => reply({
      mode,
      ready: state.ready,
      error: state.error,
      policy: state.engine && state.engine.policyId !== undefined ? state.engine.policyId : null,
      context: state.context,
      dnr: mode === 'unmanaged' ? dnrState : null,
      timings,
    }));
    return true;
  }
  return false;
});
