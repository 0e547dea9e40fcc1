// Fills the block page from its hash (written by check.js blockPage).
import { readBlockPage } from './check.js';

const shown = readBlockPage(location.hash);
const text = (id, value) => {
  document.getElementById(id).textContent = value;
};
if (shown) {
  if (shown.action === 'warn') {
    text('title', 'This page needs care');
    if (shown.proceed) {
      const button = document.getElementById('proceed');
      button.hidden = false;
      button.addEventListener('click', () => {
        chrome.runtime.sendMessage({ type: 'proceed', url: shown.proceed });
      });
    }
  }
  if (shown.message) text('wording', shown.message);
  text('url', shown.url ?? '(not shown)');
  text('categories', shown.categories.length ? shown.categories.join(', ') : '(none)');
  text('rule', shown.rule);
  const list = document.getElementById('reasons');
  for (const reason of shown.reasons) {
    const li = document.createElement('li');
    li.textContent = reason;
    list.appendChild(li);
  }
  // Blocked because the filter was starting: load the address again once
  // it has started (it is then decided like any other request). The worker
  // may itself be starting, so ask until it answers.
  if (shown.retry && typeof chrome !== 'undefined' && chrome.runtime?.sendMessage) {
    const ask = () => chrome.runtime.sendMessage({ type: 'ready' }).then((answer) => {
      if (answer && answer.ready && answer.ok) location.replace(shown.retry);
      else if (!answer || !answer.ready) setTimeout(ask, 250);
    }, () => setTimeout(ask, 250));
    ask();
  }
} else {
  text('wording', 'This page has been blocked by the esafety filter.');
}
