// The trace page: summary, completeness warnings, the waterfall with collapse / expand and
// keyboard navigation, and the selected span's details.
import * as api from './api.js';
import { serviceColor } from './colors.js';
import { el } from './dom.js';
import { formatDuration, formatTime } from './format.js';
import { spanDetails } from './span-details.js';
import { fromView } from './trace-model.js';
import { drawWaterfall, visibleRows } from './waterfall.js';

/**
 * Marks for bench/ui.sh: the view asked for (the modules are loaded), its answer parsed, the
 * waterfall in the DOM, and after the frame that paints it. The first two split API time from
 * drawing.
 */
export const FETCH_MARK = 'cairn:trace-fetch';
export const FETCHED_MARK = 'cairn:trace-fetched';
export const DRAWN_MARK = 'cairn:waterfall-drawn';
export const PAINTED_MARK = 'cairn:waterfall-painted';

export async function renderTrace(traceId, params) {
  performance.mark(FETCH_MARK);
  const view = await api.traceView(traceId);
  performance.mark(FETCHED_MARK);
  const trace = fromView(view);
  const waterfall = el('div', { class: 'waterfall', id: 'waterfall', role: 'tree', tabindex: 0, 'aria-label': 'spans' });
  const details = el('aside', { class: 'details-pane', id: 'details-pane' }, el('p', { class: 'muted' }, 'Select a span (click, or arrows and Enter).'));
  const element = el(
    'section',
    { class: 'trace-page' },
    summary(trace),
    el('div', { class: 'trace-body' }, waterfall, details),
  );
  const waterfallView = new WaterfallView(trace, waterfall, details);
  return {
    element,
    mounted() {
      waterfallView.draw();
      performance.mark(DRAWN_MARK);
      const wanted = params.get('span');
      const start = wanted && trace.byId.get(wanted) ? trace.byId.get(wanted).index : 0;
      waterfallView.select(start, { open: Boolean(wanted) });
      waterfall.focus({ preventScroll: true });
      // After the next frame the rows are laid out and painted: tests and bench wait for this.
      requestAnimationFrame(() => setTimeout(() => {
        performance.mark(PAINTED_MARK);
        waterfall.dataset.drawn = 'true';
      }));
    },
  };
}

function summary(trace) {
  const root = trace.rows[0];
  const warnings = [];
  if (!trace.rootFound) warnings.push('No root span: the trace has no span without a parent.');
  if (trace.missingParents.length) {
    warnings.push(`${trace.missingParents.length} parent span${trace.missingParents.length === 1 ? '' : 's'} missing: ${trace.missingParents.join(', ')}`);
  }
  if (trace.truncated) warnings.push(`Showing the first ${trace.spans.length} of ${trace.storedSpanCount} spans (by start time).`);
  (trace.missingRegions || []).forEach((r) => warnings.push(`Region ${r} did not answer: its spans may be missing.`));
  if (trace.lateSpanCount) warnings.push(`${trace.lateSpanCount} span${trace.lateSpanCount === 1 ? '' : 's'} arrived after the sampling decision.`);
  return el(
    'header',
    { class: 'trace-summary' },
    el('h2', {}, el('span', { class: 'svc', style: `color:${serviceColor(root.service)}` }, root.service), `: ${root.name}`),
    el(
      'dl',
      {},
      item('Trace', el('code', { id: 'trace-id' }, trace.traceId)),
      item('Start', formatTime(trace.startNanos)),
      item('Duration', formatDuration(trace.duration)),
      item('Spans', String(trace.spans.length)),
      item('Depth', String(trace.maxDepth + 1)),
      item('Errors', String(trace.errorCount)),
    ),
    el('div', { class: 'legend' }, trace.services.map((s) => el('span', { class: 'service-chip', style: `--c:${serviceColor(s)}` }, s))),
    trace.hasCriticalPath ? el('p', { class: 'muted legend-note' }, 'The black line under a bar marks where that span is on the critical path.') : null,
    warnings.length ? el('ul', { class: 'warnings', id: 'trace-warnings' }, warnings.map((w) => el('li', {}, w))) : null,
  );
}

function item(term, value) {
  return el('div', {}, el('dt', {}, term), el('dd', {}, value));
}

/** The waterfall's interaction state: selection and collapsed subtrees. */
class WaterfallView {
  constructor(trace, container, details) {
    this.trace = trace;
    this.container = container;
    this.details = details;
    this.collapsed = new Set();
    this.visible = null;
    this.rowElements = [];
    this.selected = -1;
  }

  draw() {
    this.rowElements = drawWaterfall(this.container, this.trace);
    this.visible = new Array(this.rowElements.length).fill(true);
    this.container.addEventListener('click', (event) => this.onClick(event));
    this.container.addEventListener('keydown', (event) => this.onKey(event));
  }

  onClick(event) {
    const row = event.target.closest('.row');
    if (!row) return;
    const index = Number(row.dataset.index);
    if (event.target.closest('.toggle')) {
      this.toggle(index);
      this.select(index);
    } else {
      this.select(index, { open: true });
    }
    this.container.focus({ preventScroll: true });
  }

  onKey(event) {
    if (this.selected < 0) return;
    const span = this.trace.rows[this.selected];
    const hasChildren = span.children.length > 0;
    switch (event.key) {
      case 'ArrowDown':
        this.select(this.nextVisible(this.selected, 1));
        break;
      case 'ArrowUp':
        this.select(this.nextVisible(this.selected, -1));
        break;
      case 'ArrowLeft':
        if (hasChildren && !this.collapsed.has(this.selected)) this.toggle(this.selected);
        else if (span.parentId && this.trace.byId.has(span.parentId)) this.select(this.trace.byId.get(span.parentId).index);
        break;
      case 'ArrowRight':
        if (hasChildren && this.collapsed.has(this.selected)) this.toggle(this.selected);
        else if (hasChildren) this.select(this.selected + 1);
        break;
      case 'Home':
        this.select(0);
        break;
      case 'End':
        this.select(this.nextVisible(this.rowElements.length, -1));
        break;
      case 'Enter':
        this.open(this.selected);
        break;
      default:
        return;
    }
    event.preventDefault();
  }

  nextVisible(from, step) {
    for (let i = from + step; i >= 0 && i < this.rowElements.length; i += step) {
      if (this.visible[i]) return i;
    }
    return from;
  }

  toggle(index) {
    if (this.collapsed.has(index)) this.collapsed.delete(index);
    else this.collapsed.add(index);
    const row = this.rowElements[index];
    const collapsed = this.collapsed.has(index);
    row.setAttribute('aria-expanded', String(!collapsed));
    row.classList.toggle('collapsed', collapsed);
    row.querySelector('.toggle').textContent = collapsed ? '▸' : '▾';
    const next = visibleRows(this.trace.rows, this.collapsed);
    for (let i = 0; i < next.length; i++) {
      if (next[i] !== this.visible[i]) this.rowElements[i].hidden = !next[i];
    }
    this.visible = next;
  }

  select(index, { open = false } = {}) {
    if (index < 0 || index >= this.rowElements.length) return;
    if (this.selected >= 0) {
      this.rowElements[this.selected].classList.remove('selected');
      this.rowElements[this.selected].setAttribute('aria-selected', 'false');
    }
    this.selected = index;
    const row = this.rowElements[index];
    row.classList.add('selected');
    row.setAttribute('aria-selected', 'true');
    row.scrollIntoView({ block: 'nearest' });
    if (open) this.open(index);
  }

  open(index) {
    this.details.replaceChildren(spanDetails(this.trace.rows[index], this.trace));
    this.details.scrollTop = 0;
  }
}
