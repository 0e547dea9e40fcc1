// The example extension's service worker: loads the esafety WebAssembly
// engine with the bundle and the policy shipped inside the extension, checks
// every top-level navigation, and sends a blocked one to the block page.
import init, { Bundle, Engine, Policy } from './lib/esafety.js';
import { checkNavigation, unavailable } from './check.js';

const asset = (path) => chrome.runtime.getURL(path);

async function fetchOk(path) {
  const response = await fetch(asset(path));
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return response;
}

// Service workers may not use top-level await; listeners must be registered
// synchronously, so they wait on this promise instead.
const ready = (async () => {
  await init({ module_or_path: asset('lib/esafety_bg.wasm') });
  const [bundleBytes, policyText, context] = await Promise.all([
    fetchOk('lib/sample.esb').then((r) => r.arrayBuffer()),
    fetchOk('lib/policy.json').then((r) => r.text()),
    fetchOk('config.json').then((r) => r.json()),
  ]);
  const engine = new Engine(Bundle.fromBytes(new Uint8Array(bundleBytes)), Policy.fromJson(policyText, 'policy.json'));
  return { engine, context };
})().catch((error) => {
  // Fail closed: without an engine every checked navigation is blocked,
  // with this error as the reason.
  console.error('esafety: the filter could not start:', error);
  return { engine: unavailable(error), context: {}, failed: true };
});

// For the end-to-end test and for debugging from the service worker console:
// true once the engine is loaded, false if it could not be.
globalThis.esafetyReady = ready.then((state) => !state.failed);
// Warned pages the user chose to continue to (until the worker restarts).
const proceeded = new Set();

chrome.webNavigation.onBeforeNavigate.addListener(async (details) => {
  if (details.frameId !== 0) return;
  const { engine, context } = await ready;
  if (proceeded.has(details.url)) return;
  const { page } = checkNavigation(engine, details.url, Date.now(), context);
  if (page) await chrome.tabs.update(details.tabId, { url: asset(page) });
});

chrome.runtime.onMessage.addListener((message, sender) => {
  if (message && message.type === 'proceed' && typeof message.url === 'string' && sender.tab) {
    proceeded.add(message.url);
    chrome.tabs.update(sender.tab.id, { url: message.url });
  }
});
