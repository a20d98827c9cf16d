// The details of one span: timing, status, attributes, events, links (to the linked trace),
// resource and scope.
import { serviceColor } from './colors.js';
import { el } from './dom.js';
import { formatDuration } from './format.js';

export function spanDetails(span, trace) {
  const rows = [
    ['Service', el('span', { class: 'service-chip', style: `--c:${serviceColor(span.service)}` }, span.service)],
    ['Kind', span.kind],
    ['Duration', formatDuration(span.duration)],
    ['Start', `+${formatDuration(span.start)} after the trace start`],
    ['Status', span.error ? el('span', { class: 'error-text' }, `ERROR${span.status.message ? `: ${span.status.message}` : ''}`) : span.status.code === 1 ? 'OK' : 'unset'],
    ['Span id', el('code', {}, span.id)],
    ['Parent', span.parentId ? el('code', {}, span.parentId, span.parentMissing ? ' (not in this trace)' : '') : 'none (root)'],
  ];
  if (span.skewNanos) rows.push(['Clock skew', `${formatDuration(span.skewNanos)} adjusted${span.skewNote ? `: ${span.skewNote}` : ''}`]);
  if (span.critical) rows.push(['Critical path', span.criticalSelfNanos != null ? `on it, ${formatDuration(span.criticalSelfNanos)} of its own` : 'on it']);
  if (span.scope) rows.push(['Scope', span.scope]);

  return el(
    'div',
    { class: 'span-details', id: 'span-details', dataset: { spanId: span.id } },
    el('h3', {}, span.name),
    table(rows, 'summary'),
    section('Attributes', 'attributes', span.attributes.length ? keyValues(span.attributes) : null),
    section(
      'Events',
      'events',
      span.events.length
        ? el(
            'ol',
            { class: 'events' },
            span.events.map((e) =>
              el(
                'li',
                {},
                el('span', { class: 'muted' }, `+${formatDuration(Number(e.timeNanos - trace.startNanos))} `),
                el('strong', {}, e.name),
                e.attributes.length ? keyValues(e.attributes) : null,
              ),
            ),
          )
        : null,
    ),
    section(
      'Links',
      'links',
      span.links.length
        ? el(
            'ul',
            { class: 'links' },
            span.links.map((l) =>
              el(
                'li',
                {},
                el('a', { href: `/trace/${l.traceId}?span=${l.spanId}`, class: 'span-link' }, `trace ${l.traceId.slice(0, 12)}… span ${l.spanId}`),
                l.traceId === trace.traceId ? ' (this trace)' : '',
                l.attributes.length ? keyValues(l.attributes) : null,
              ),
            ),
          )
        : null,
    ),
    section('Resource', 'resource', keyValues(span.resource)),
  );
}

function section(title, name, content) {
  if (!content) return null;
  return el('details', { open: true, class: `section-${name}` }, el('summary', {}, title), content);
}

function keyValues(attributes) {
  return table(
    attributes.map((a) => [a.key, a.value]),
    'kv',
  );
}

function table(rows, className) {
  return el(
    'table',
    { class: className },
    el(
      'tbody',
      {},
      rows.map(([k, v]) => el('tr', {}, el('th', {}, k), el('td', {}, v))),
    ),
  );
}
