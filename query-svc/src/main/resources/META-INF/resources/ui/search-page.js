// The search page: a form over GET /api/v1/traces and the result list, duration bars on one scale.
import * as api from './api.js';
import { navigate } from './app.js';
import { serviceColor } from './colors.js';
import { el, errorBox } from './dom.js';
import { formatAgo, formatDuration, formatTime } from './format.js';
import { DEFAULT_LOOKBACK, LOOKBACKS, apiParams, stateFromForm } from './search-form.js';

export async function renderSearch(state) {
  const services = await api.services();
  const form = searchForm(state, services);
  const status = el('p', { class: 'muted', id: 'search-status' });
  const regions = el('ul', { class: 'warnings', id: 'search-warnings', hidden: true });
  const list = el('ol', { class: 'results', id: 'results' });
  const more = el('button', { type: 'button', id: 'more', hidden: true }, 'More results');
  const element = el('section', { class: 'search-page' }, form, el('div', { class: 'result-pane' }, regions, status, list, more));

  const results = [];
  const missingRegions = new Set();
  let cursor = null;
  let params = null;

  const load = async () => {
    more.disabled = true;
    try {
      const page = await api.searchTraces(cursor ? withCursor(params, cursor) : params);
      results.push(...page.traces);
      (page.missingRegions || []).forEach((r) => missingRegions.add(r));
      drawMissingRegions(regions, missingRegions);
      cursor = page.nextCursor;
      drawResults(list, results);
      status.textContent = results.length
        ? `${results.length} trace${results.length === 1 ? '' : 's'}${cursor ? ', more available' : ''}`
        : 'No traces match.';
      more.hidden = !cursor;
    } catch (e) {
      status.replaceChildren(errorBox(e.message));
    } finally {
      more.disabled = false;
    }
  };
  more.addEventListener('click', load);

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    try {
      navigate(`/search?${stateFromForm(new FormData(form))}`);
    } catch (e) {
      status.replaceChildren(errorBox(e.message));
    }
  });

  const searched = state.toString() !== '';
  if (searched) {
    try {
      params = apiParams(state);
      status.textContent = 'Searching…';
      load();
    } catch (e) {
      status.replaceChildren(errorBox(e.message));
    }
  } else {
    status.textContent = 'Choose filters and press Find traces.';
  }
  return { element };
}

// A federated search answered without some regions: their traces may be missing from the list.
function drawMissingRegions(list, missingRegions) {
  list.replaceChildren(...[...missingRegions].map((r) => el('li', {}, `Region ${r} did not answer: its traces may be missing.`)));
  list.hidden = missingRegions.size === 0;
}

function withCursor(params, cursor) {
  const next = new URLSearchParams(params);
  next.set('cursor', cursor);
  return next;
}

function searchForm(state, services) {
  const service = state.get('service') || '';
  const serviceSelect = el(
    'select',
    { name: 'service', id: 'service' },
    el('option', { value: '' }, 'any service'),
    services.map((s) => el('option', { value: s, selected: s === service }, s)),
  );
  const operationSelect = el('select', { name: 'operation', id: 'operation' }, el('option', { value: '' }, 'any operation'));
  const fillOperations = async (selected) => {
    operationSelect.replaceChildren(el('option', { value: '' }, 'any operation'));
    if (!serviceSelect.value) return;
    const names = [...new Set((await api.operations(serviceSelect.value)).map((o) => o.name))];
    operationSelect.append(...names.map((n) => el('option', { value: n, selected: n === selected }, n)));
  };
  serviceSelect.addEventListener('change', () => fillOperations(''));
  fillOperations(state.get('operation') || '');

  const lookback = state.get('lookback') || DEFAULT_LOOKBACK;
  const custom = el(
    'div',
    { class: 'custom-range', hidden: lookback !== 'custom' },
    field('From', el('input', { type: 'datetime-local', name: 'start', step: 1, value: state.get('start') || '' })),
    field('To', el('input', { type: 'datetime-local', name: 'end', step: 1, value: state.get('end') || '' })),
  );
  const lookbackSelect = el(
    'select',
    { name: 'lookback', id: 'lookback' },
    LOOKBACKS.map(([key, label]) => el('option', { value: key, selected: key === lookback }, label)),
  );
  lookbackSelect.addEventListener('change', () => {
    custom.hidden = lookbackSelect.value !== 'custom';
  });
  const limit = state.get('limit') || '20';

  return el(
    'form',
    { class: 'search-form', id: 'search-form' },
    el('h2', {}, 'Search'),
    field('Service', serviceSelect),
    field('Operation', operationSelect),
    field(
      'Tags',
      el('input', {
        name: 'tags',
        id: 'tags',
        placeholder: 'http.status_code:500 host.name:node-3',
        value: state.getAll('tag').join(' '),
      }),
    ),
    el(
      'div',
      { class: 'pair' },
      field('Min duration', el('input', { name: 'minDuration', id: 'minDuration', placeholder: '100ms', value: state.get('minDuration') || '' })),
      field('Max duration', el('input', { name: 'maxDuration', id: 'maxDuration', placeholder: '2s', value: state.get('maxDuration') || '' })),
    ),
    field('Time range', lookbackSelect),
    custom,
    el(
      'label',
      { class: 'check' },
      el('input', { type: 'checkbox', name: 'error', id: 'error', value: 'true', checked: state.get('error') === 'true' }),
      ' Only traces with errors',
    ),
    field(
      'Limit',
      el('select', { name: 'limit' }, ['20', '50', '100', '500'].map((n) => el('option', { value: n, selected: n === limit }, n))),
    ),
    el('button', { type: 'submit', class: 'primary', id: 'find' }, 'Find traces'),
  );
}

function field(label, input) {
  return el('label', { class: 'field' }, el('span', {}, label), input);
}

/** Redraws every row, so all bars share the scale of the longest trace loaded so far. */
function drawResults(list, results) {
  const longest = results.reduce((m, t) => Math.max(m, t.durationNanos), 1);
  list.replaceChildren(
    ...results.map((t) =>
      el(
        'li',
        { class: `result${t.errorCount > 0 ? ' has-error' : ''}`, dataset: { traceId: t.traceId } },
        el(
          'a',
          { href: `/trace/${t.traceId}` },
          el(
            'div',
            { class: 'result-head' },
            el('span', { class: 'swatch', style: `background:${serviceColor(t.rootServiceName)}` }),
            el('strong', { class: 'root' }, `${t.rootServiceName}: ${t.rootSpanName}`),
            el('code', { class: 'trace-id' }, t.traceId.slice(0, 12)),
            el('span', { class: 'duration' }, formatDuration(t.durationNanos)),
          ),
          el(
            'div',
            { class: 'bar-track' },
            el('div', {
              class: 'bar',
              style: `width:${Math.max(0.3, (100 * t.durationNanos) / longest).toFixed(3)}%`,
            }),
          ),
          el(
            'div',
            { class: 'result-meta' },
            el('span', { class: 'span-count' }, `${t.spanCount} span${t.spanCount === 1 ? '' : 's'}`),
            t.errorCount > 0 ? el('span', { class: 'error-count' }, `${t.errorCount} error${t.errorCount === 1 ? '' : 's'}`) : null,
            el(
              'span',
              { class: 'services' },
              t.services.map((s) => el('span', { class: 'service-chip', style: `--c:${serviceColor(s)}` }, s)),
            ),
            el('time', { title: formatTime(t.startTimeUnixNano) }, `${formatTime(t.startTimeUnixNano)} (${formatAgo(t.startTimeUnixNano)})`),
          ),
        ),
      ),
    ),
  );
}
