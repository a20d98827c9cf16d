// The search form's state lives in the page URL (/search?service=…&lookback=1h), so that a search
// can be linked and reloaded; this module converts between that URL state and the API's
// parameters. Pure functions: no DOM here.

export const LOOKBACKS = [
  ['5m', 'Last 5 minutes', 5 * 60],
  ['15m', 'Last 15 minutes', 15 * 60],
  ['1h', 'Last hour', 3600],
  ['3h', 'Last 3 hours', 3 * 3600],
  ['12h', 'Last 12 hours', 12 * 3600],
  ['24h', 'Last 24 hours', 24 * 3600],
  ['2d', 'Last 2 days', 2 * 86400],
  ['7d', 'Last 7 days', 7 * 86400],
  ['custom', 'Custom range', 0],
];

export const DEFAULT_LOOKBACK = '1h';

/** Splits the tags field ("http.status_code:500 db.system:postgresql") into key:value terms. */
export function parseTags(text) {
  const terms = (text || '').trim().split(/\s+/).filter(Boolean);
  for (const term of terms) {
    if (term.indexOf(':') <= 0) {
      throw new Error(`tag "${term}" is not key:value`);
    }
  }
  return terms;
}

/**
 * The API's search parameters for a UI state (URLSearchParams of the page); nowMillis fixes
 * "now" for relative ranges.
 */
export function apiParams(state, nowMillis = Date.now()) {
  const api = new URLSearchParams();
  for (const name of ['service', 'operation', 'minDuration', 'maxDuration', 'limit']) {
    const value = (state.get(name) || '').trim();
    if (value) api.set(name, value);
  }
  for (const tag of state.getAll('tag')) api.append('tag', tag);
  if (state.get('error') === 'true') api.set('error', 'true');
  const lookback = state.get('lookback') || DEFAULT_LOOKBACK;
  if (lookback === 'custom') {
    const start = state.get('start');
    const end = state.get('end');
    if (start) api.set('start', new Date(start).toISOString());
    if (end) api.set('end', new Date(end).toISOString());
  } else {
    const entry = LOOKBACKS.find(([key]) => key === lookback);
    if (!entry) throw new Error(`unknown time range "${lookback}"`);
    api.set('start', new Date(nowMillis - entry[2] * 1000).toISOString());
    api.set('end', new Date(nowMillis).toISOString());
  }
  return api;
}

/** The UI state of a submitted form (FormData), as the page's query string. */
export function stateFromForm(form) {
  const state = new URLSearchParams();
  for (const name of ['service', 'operation', 'minDuration', 'maxDuration', 'lookback', 'limit']) {
    const value = String(form.get(name) || '').trim();
    if (value) state.set(name, value);
  }
  for (const tag of parseTags(String(form.get('tags') || ''))) state.append('tag', tag);
  if (form.get('error')) state.set('error', 'true');
  if (state.get('lookback') === 'custom') {
    for (const name of ['start', 'end']) {
      const value = String(form.get(name) || '');
      if (value) state.set(name, value);
    }
  }
  return state;
}
