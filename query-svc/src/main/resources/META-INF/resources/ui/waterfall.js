// The waterfall: one row per span on a shared time axis, drawn once as a single HTML string (one
// parse, one layout for a 1,000-span trace); bar positions are percentages, so resizing never
// needs script. Collapsing only flips `hidden` on the rows whose visibility changes.
import { serviceColor } from './colors.js';
import { escapeHtml, formatDuration } from './format.js';

const INDENT_PX = 14;

/** Round tick steps: 1, 2 and 5 times a power of ten nanoseconds. */
export function tickStep(duration, maxTicks = 6) {
  if (duration <= 0) return 1;
  const rough = duration / maxTicks;
  const power = 10 ** Math.floor(Math.log10(rough));
  for (const m of [1, 2, 5, 10]) {
    if (m * power >= rough) return Math.max(1, m * power);
  }
  return Math.max(1, 10 * power);
}

function axisHtml(duration) {
  const step = tickStep(duration);
  let html = '';
  for (let t = 0; t <= duration; t += step) {
    const left = duration ? (100 * t) / duration : 0;
    html += `<span class="tick" style="left:${left.toFixed(3)}%">${formatDuration(t)}</span>`;
  }
  return `<div class="axis-row"><div class="name-col">Service · operation</div><div class="time-col axis">${html}</div></div>`;
}

function rowHtml(span, duration) {
  const left = duration ? (100 * span.start) / duration : 0;
  const width = duration ? Math.max((100 * span.duration) / duration, 0.15) : 100;
  const color = serviceColor(span.service);
  const hasChildren = span.children.length > 0;
  const classes = ['row'];
  if (span.error) classes.push('error');
  if (span.critical) classes.push('critical');
  const markers = [];
  if (span.error) markers.push('<span class="marker error-mark" title="status ERROR">!</span>');
  if (span.parentMissing) {
    markers.push(`<span class="marker missing-parent" title="parent span ${escapeHtml(span.parentId)} is missing from this trace">parent missing</span>`);
  }
  if (span.skewNanos) {
    const note = span.skewNote ? ` (${escapeHtml(span.skewNote)})` : '';
    markers.push(
      span.skewApplied
        ? `<span class="marker skew" title="clock skew: shifted by ${formatDuration(span.skewNanos)}${note}">skew ${formatDuration(span.skewNanos)}</span>`
        : `<span class="marker skew unadjusted" title="clock skew of ${formatDuration(span.skewNanos)} left as stored${note}">skew ${formatDuration(span.skewNanos)} not adjusted</span>`,
    );
  }
  if (span.parentRelation === 'FOLLOWS_FROM') {
    markers.push('<span class="marker async" title="follows from its parent: the parent does not wait for it">async</span>');
  }
  let critical = '';
  if (duration) {
    for (const c of span.criticalSections) {
      const cl = (100 * c.start) / duration;
      const cw = Math.max((100 * (c.end - c.start)) / duration, 0.1);
      critical += `<div class="cp" style="left:${cl.toFixed(4)}%;width:${cw.toFixed(4)}%"></div>`;
    }
  }
  // The duration label: after the bar, else before it, else (a bar spanning nearly everything)
  // inside its right end.
  const labelAt =
    left + width <= 80
      ? `left:${(left + width).toFixed(4)}%`
      : left >= 12
        ? `right:${(100 - left).toFixed(4)}%`
        : `right:${(100 - left - width).toFixed(4)}%`;
  const labelClass = left + width <= 80 ? '' : left >= 12 ? ' before' : ' inside';
  return (
    `<div class="${classes.join(' ')}" role="treeitem" data-index="${span.index}" aria-level="${span.depth + 1}"` +
    `${hasChildren ? ' aria-expanded="true"' : ''} aria-selected="false">` +
    `<div class="name-col" style="padding-left:${6 + span.depth * INDENT_PX}px">` +
    `<button class="toggle" tabindex="-1"${hasChildren ? '' : ' disabled'} aria-label="collapse">${hasChildren ? '▾' : ''}</button>` +
    `<span class="svc" style="color:${color}">${escapeHtml(span.service)}</span> ` +
    `<span class="op">${escapeHtml(span.name)}</span>${markers.join('')}</div>` +
    `<div class="time-col"><div class="bar" style="left:${left.toFixed(4)}%;width:${width.toFixed(4)}%;background:${color}"></div>${critical}` +
    `<span class="bar-label${labelClass}" style="${labelAt}">${formatDuration(span.duration)}</span>` +
    `</div></div>`
  );
}

/** Draws the trace's rows into container (emptied first); returns the row elements by index. */
export function drawWaterfall(container, trace) {
  const parts = [axisHtml(trace.duration)];
  for (const span of trace.rows) parts.push(rowHtml(span, trace.duration));
  container.innerHTML = parts.join('');
  return Array.from(container.querySelectorAll('.row'));
}

/**
 * Which rows are visible when the given rows are collapsed: a row is hidden when any ancestor is
 * collapsed. Rows are in depth-first order, so a collapsed row's subtree is the index range
 * (index, subtreeEnd). Pure: returns a boolean per row.
 */
export function visibleRows(rows, collapsed) {
  const visible = new Array(rows.length).fill(true);
  for (let i = 0; i < rows.length; i++) {
    if (visible[i] && collapsed.has(i)) {
      for (let j = i + 1; j < rows[i].subtreeEnd; j++) visible[j] = false;
      i = rows[i].subtreeEnd - 1;
    }
  }
  return visible;
}
