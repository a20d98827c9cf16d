// The service graph page: GET /api/v1/dependencies drawn as SVG, nodes = services, edges with
// call counts and error rates. A node links to the search for its service.
import * as api from './api.js';
import { navigate } from './app.js';
import { serviceColor } from './colors.js';
import { el, errorBox } from './dom.js';
import { escapeHtml, formatCount, formatDuration, formatPercent } from './format.js';
import { NODE_HEIGHT, NODE_WIDTH, layoutGraph } from './graph-layout.js';
import { LOOKBACKS } from './search-form.js';

const GRAPH_LOOKBACKS = LOOKBACKS.filter(([key]) => key !== 'custom');

export async function renderGraph(state) {
  const lookback = state.get('lookback') || '1h';
  const entry = GRAPH_LOOKBACKS.find(([key]) => key === lookback) || GRAPH_LOOKBACKS[2];
  const select = el(
    'select',
    { id: 'graph-lookback' },
    GRAPH_LOOKBACKS.map(([key, label]) => el('option', { value: key, selected: key === entry[0] }, label)),
  );
  select.addEventListener('change', () => navigate(`/dependencies?lookback=${select.value}`));
  const now = Date.now();
  const params = new URLSearchParams({
    start: new Date(now - entry[2] * 1000).toISOString(),
    end: new Date(now).toISOString(),
  });
  const head = el('header', { class: 'graph-head' }, el('h2', {}, 'Service graph'), el('label', { class: 'field inline' }, el('span', {}, 'Window'), select));
  let body;
  try {
    const answer = await api.dependencies(params);
    body = answer.edges.length
      ? el('div', { class: 'graph-scroll' }, graphSvg(answer.edges))
      : el('p', { class: 'muted', id: 'graph-empty' }, 'No calls between services in this window.');
    if (answer.truncated) head.append(el('p', { class: 'warnings' }, 'More edges than shown: the answer was truncated.'));
  } catch (e) {
    body = errorBox(e.message);
  }
  return { element: el('section', { class: 'graph-page' }, head, body) };
}

/** The graph as an SVG element (one string parse: the graph can hold hundreds of edges). */
function graphSvg(edges) {
  const layout = layoutGraph(edges);
  const at = new Map(layout.nodes.map((n) => [n.name, n]));
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" id="service-graph" width="${layout.width}" height="${layout.height}" viewBox="0 0 ${layout.width} ${layout.height}" role="img" aria-label="service dependency graph">`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="10" markerHeight="10" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#6b7684"/></marker></defs>',
  ];
  for (const e of edges) {
    const from = at.get(e.parent);
    const to = at.get(e.child);
    const rate = e.callCount > 0 ? e.errorCount / e.callCount : 0;
    const stroke = rate >= 0.05 ? '#c62828' : rate > 0 ? '#e08a00' : '#6b7684';
    const widthPx = Math.min(6, 1 + Math.log10(1 + e.callCount));
    const { d, labelX, labelY } = edgePath(from, to);
    const label = `${formatCount(e.callCount)} calls · ${formatPercent(rate)} errors`;
    const latency = e.latency && e.latency.p50 != null ? `, p50 ${formatDuration(e.latency.p50 * 1e6)}` : '';
    parts.push(
      `<g class="edge" data-parent="${escapeHtml(e.parent)}" data-child="${escapeHtml(e.child)}" data-type="${escapeHtml(e.type)}">` +
        `<title>${escapeHtml(`${e.parent} → ${e.child} (${e.type}): ${label}${latency}`)}</title>` +
        `<path d="${d}" fill="none" stroke="${stroke}" stroke-width="${widthPx.toFixed(2)}" marker-end="url(#arrow)"/>` +
        `<text class="edge-label" x="${labelX.toFixed(1)}" y="${labelY.toFixed(1)}" text-anchor="middle">${escapeHtml(label)}</text></g>`,
    );
  }
  for (const n of layout.nodes) {
    const color = serviceColor(n.name);
    const shown = n.name.length > 24 ? `${n.name.slice(0, 23)}…` : n.name;
    parts.push(
      `<a class="node" href="/search?service=${encodeURIComponent(n.name)}" data-service="${escapeHtml(n.name)}">` +
        `<title>${escapeHtml(n.name)}</title>` +
        `<rect x="${n.x}" y="${n.y}" width="${NODE_WIDTH}" height="${NODE_HEIGHT}" rx="6" fill="#fff" stroke="${color}" stroke-width="2"/>` +
        `<rect x="${n.x}" y="${n.y}" width="8" height="${NODE_HEIGHT}" rx="3" fill="${color}"/>` +
        `<text x="${n.x + 16}" y="${n.y + NODE_HEIGHT / 2 + 4}">${escapeHtml(shown)}</text></a>`,
    );
  }
  parts.push('</svg>');
  const holder = document.createElement('div');
  holder.innerHTML = parts.join('');
  return holder.firstElementChild;
}

/** A curve from the caller's right side to the callee's left side; loops for self-calls and back edges. */
function edgePath(from, to) {
  const y1 = from.y + NODE_HEIGHT / 2;
  const y2 = to.y + NODE_HEIGHT / 2;
  if (from === to) {
    const x = from.x + NODE_WIDTH - 30;
    const top = from.y;
    return { d: `M${x},${top} C${x - 10},${top - 40} ${x + 40},${top - 40} ${x + 20},${top}`, labelX: x + 15, labelY: top - 34 };
  }
  if (to.rank > from.rank) {
    const x1 = from.x + NODE_WIDTH;
    const x2 = to.x - 2;
    const mid = (x1 + x2) / 2;
    return { d: `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}`, labelX: mid, labelY: (y1 + y2) / 2 - 6 };
  }
  // Back edge or same rank: leave below the caller, arrive below the callee.
  const x1 = from.x + NODE_WIDTH / 2;
  const x2 = to.x + NODE_WIDTH / 2;
  const yb1 = from.y + NODE_HEIGHT;
  const yb2 = to.y + NODE_HEIGHT + 2;
  const dip = Math.max(yb1, yb2) + 40;
  return { d: `M${x1},${yb1} C${x1},${dip} ${x2},${dip} ${x2},${yb2}`, labelX: (x1 + x2) / 2, labelY: dip - 4 };
}
