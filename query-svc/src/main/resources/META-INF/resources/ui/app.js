// Client-side routing over the History API. query-svc answers every UI path with index.html
// (UiRoutes), so deep links such as /trace/<id> and /search?service=… load this module directly.
import { renderSearch } from './search-page.js';
import { renderTrace } from './trace-page.js';
import { renderGraph } from './graph-page.js';

const routes = [
  { pattern: /^\/(search)?$/, page: 'search', render: (m, params) => renderSearch(params) },
  { pattern: /^\/trace\/([0-9a-fA-F]{1,32})$/, page: 'trace', render: (m, params) => renderTrace(m[1].toLowerCase(), params) },
  { pattern: /^\/dependencies$/, page: 'dependencies', render: (m, params) => renderGraph(params) },
];

let current = null;

/** Goes to a UI path (pushState) and renders it. */
export function navigate(path, { replace = false } = {}) {
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  route();
}

async function route() {
  const main = document.getElementById('app');
  const params = new URLSearchParams(location.search);
  const match = routes.map((r) => ({ r, m: r.pattern.exec(location.pathname) })).find((x) => x.m);
  if (current && current.dispose) current.dispose();
  current = null;
  document.querySelectorAll('header.top nav a').forEach((a) => {
    a.classList.toggle('active', Boolean(match) && a.dataset.page === match.r.page);
  });
  if (!match) {
    main.replaceChildren(message(`No page at ${location.pathname}.`));
    return;
  }
  try {
    current = await match.r.render(match.m, params);
    main.replaceChildren(current.element);
    if (current.mounted) current.mounted();
  } catch (e) {
    main.replaceChildren(message(e.message, 'error'));
  }
}

function message(text, kind = 'muted') {
  const p = document.createElement('p');
  p.className = kind;
  p.textContent = text;
  return p;
}

// Same-origin links marked data-nav (and any link inside #app to a UI path) route without reload.
document.addEventListener('click', (event) => {
  const a = event.target.closest('a[href]');
  if (!a || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin) return;
  if (!a.hasAttribute('data-nav') && !routes.some((r) => r.pattern.test(url.pathname))) return;
  event.preventDefault();
  navigate(url.pathname + url.search);
});

window.addEventListener('popstate', route);
route();
