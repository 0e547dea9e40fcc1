// The status page: how the extension is installed and, for an install
// without policy, exactly what it does and does not guarantee (from the
// core's export: esafety::export::dnr).
import { guarantees } from './guarantees.js';

const text = (id, value) => {
  document.getElementById(id).textContent = value;
};
const items = (id, lines) => {
  const list = document.getElementById(id);
  for (const line of lines) {
    const li = document.createElement('li');
    li.textContent = line;
    list.appendChild(li);
  }
};

const status = await chrome.runtime.sendMessage({ type: 'status' });
text('mode', status.mode === 'managed' ? 'by policy (managed): blocking webRequest' : 'without policy (unmanaged): declarativeNetRequest rules');
text('state', status.error ? `not started: ${status.error} (every request is blocked)` : status.ready ? 'running' : 'starting (every request is blocked)');
text('policy', status.policy ?? '(none)');
text('user', JSON.stringify(status.context));
const dnr = status.dnr;
if (dnr && !dnr.error) {
  text('rules', `${dnr.rules} declarativeNetRequest rules (${dnr.regexRules} regex), written ${dnr.writtenAt}, valid until ${dnr.validUntil ?? 'the bundle, the policy or the user changes'}`);
} else if (dnr) {
  text('rules', `not written: ${dnr.error} (every request is blocked)`);
} else {
  text('rules', 'none: the engine decides every request');
}
const { guaranteed, notGuaranteed } = guarantees(status);
items('guaranteed', guaranteed);
items('not-guaranteed', notGuaranteed);
const body = document.querySelector('#lists tbody');
for (const c of dnr?.coverage ?? []) {
  const row = body.insertRow();
  row.dataset.list = c.list;
  for (const cell of [c.list, c.category, { rules: 'rules', partly: 'rules and the engine (pages only)', 'not-blocked': 'not blocked for this user now', engine: 'the engine (pages only)', sensitive: 'the engine (pages only): never rules' }[c.coverage]]) {
    row.insertCell().textContent = cell;
  }
}
document.body.dataset.ready = 'true';
