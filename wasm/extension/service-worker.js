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
// The engine is compiled and built at the top level of this script from
// lib/embedded.js, a static import (wasm/extension/build.mjs says why), so
// the first event — which may be what woke the worker — is decided.
import { initSync, Bundle, Engine, Policy, errorDecision } from './lib/esafety.js';
import * as shipped from './lib/embedded.js';
import { answer, checkNavigation, decide, moduleFailedDecision, readConfig, unavailable } from './check.js';

// When the script body starts (its imports evaluated), since the worker started.
const scriptMs = performance.now();
const page = (path) => chrome.runtime.getURL(path);
/** Base64 to bytes: Uint8Array.fromBase64 where Chromium has it (140+), else atob. */
function fromBase64(s) {
  if (typeof Uint8Array.fromBase64 === 'function') return Uint8Array.fromBase64(s);
  const text = atob(s);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/**
 * Builds an engine from bundle bytes and policy text (TOML, or JSON if it
 * starts with `{`). `phases`, if given, gets the milliseconds each step took
 * (`bundleMs`, `policyMs`, `engineMs`).
 */
function makeEngine(bundleBytes, policyText, policyFile, phases = {}) {
  let t = performance.now();
  const policy = /^\s*\{/.test(policyText) ? Policy.fromJson(policyText, policyFile) : Policy.fromToml(policyText, policyFile);
  phases.policyMs = performance.now() - t;
  t = performance.now();
  const bundle = Bundle.fromBytes(bundleBytes);
  phases.bundleMs = performance.now() - t;
  t = performance.now();
  const engine = new Engine(bundle, policy);
  phases.engineMs = performance.now() - t;
  return engine;
}

// The WebAssembly module, synchronously. If it cannot start there is no
// core to build the error decision: moduleFailedDecision stands in.
// Milliseconds each start-up step took (for wasm/bench/extension.mjs).
const phases = {};
let moduleError = null;
try {
  let t = performance.now();
  const wasm = fromBase64(shipped.WASM);
  phases.wasmDecodeMs = performance.now() - t;
  t = performance.now();
  initSync({ module: wasm });
  phases.wasmCompileMs = performance.now() - t;
} catch (error) {
  moduleError = error;
  console.error('esafety: the WebAssembly module could not start:', error);
}
const failDecision = moduleError
  ? (url, reason) => moduleFailedDecision(url, `${reason} (the WebAssembly module could not start: ${moduleError.message})`)
  : errorDecision;

/**
 * What decides now: `{engine, context, ready, error}`. `ready` is false
 * while a managed install reads its configuration (every request is then
 * blocked); `error` is why the filter could not start (every request is
 * then blocked with it as the reason).
 */
let state = { engine: null, context: {}, ready: false, error: null };
// Milliseconds since the worker started (performance.now()'s origin): the
// module compiled, the shipped engine built, the filter deciding.
const timings = { scriptMs, moduleMs: performance.now(), engineMs: null, readyMs: null, phases };
globalThis.esafetyTimings = timings;

function setEngine(engine, context) {
  state = { engine, context, ready: true, error: null };
  timings.readyMs = performance.now();
}

function setFailed(error) {
  console.error('esafety: the filter could not start:', error);
  state = { engine: unavailable(error), context: {}, ready: true, error: String(error && error.message) };
  timings.readyMs = performance.now();
}

/** The engine of the shipped bundle and policy with config.json: the unmanaged default. */
function shippedEngine() {
  if (moduleError) throw moduleError;
  const t = performance.now();
  const bundle = fromBase64(shipped.BUNDLE);
  phases.bundleDecodeMs = performance.now() - t;
  return makeEngine(bundle, shipped.POLICY, shipped.POLICY_FILE, phases);
}

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
    if (!config.bundleUrl && !config.policy) {
      // The shipped bundle and policy, already built at the top level.
      if (shippedState.error) throw new Error(shippedState.error);
      setEngine(shippedState.engine, config.context);
    } else {
      let bundle = fromBase64(shipped.BUNDLE);
      if (config.bundleUrl) {
        const response = await fetch(config.bundleUrl, { cache: 'no-store' });
        if (!response.ok) throw new Error(`the bundle at \`${config.bundleUrl}\` answered HTTP ${response.status}`);
        bundle = new Uint8Array(await response.arrayBuffer());
      }
      if (moduleError) throw moduleError;
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

/** The shipped engine with config.json, built now: an install without policy decides its first navigation with it. */
let shippedState;
try {
  shippedState = { engine: shippedEngine(), context: { ...shipped.CONFIG }, ready: true, error: null };
} catch (error) {
  shippedState = { engine: unavailable(error), context: {}, ready: true, error: String(error && error.message) };
}
timings.engineMs = performance.now();

function startUnmanaged() {
  state = shippedState;
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
  const { engine, context } = shippedState;
  const { page: blocked } = checkNavigation(engine, details.url, Date.now(), context, failDecision);
  if (blocked) chrome.tabs.update(details.tabId, { url: page(blocked) });
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
