// The query API as the UI uses it. Every failure becomes an ApiError with the problem's detail.

export class ApiError extends Error {
  constructor(status, title, detail) {
    super(detail ? `${title}: ${detail}` : title);
    this.status = status;
  }
}

async function getJson(path, params) {
  const query = params ? `?${params}` : '';
  let response;
  try {
    response = await fetch(`${path}${query}`, { headers: { Accept: 'application/json' } });
  } catch (e) {
    throw new ApiError(0, 'query-svc unreachable', e.message);
  }
  if (!response.ok) {
    let problem = {};
    try {
      problem = await response.json();
    } catch {
      // not a problem document: the status line says enough
    }
    throw new ApiError(response.status, problem.title || `HTTP ${response.status}`, problem.detail);
  }
  return { body: await response.json(), headers: response.headers };
}

export async function services() {
  return (await getJson('/api/v1/services')).body;
}

export async function operations(service) {
  return (await getJson(`/api/v1/services/${encodeURIComponent(service)}/operations`)).body;
}

/** params: URLSearchParams in the API's own names (service, operation, tag, …, cursor). */
export async function searchTraces(params) {
  return (await getJson('/api/v1/traces', params)).body;
}

/** The analysed trace: adjusted timing, critical path and completeness. */
export async function traceView(traceId) {
  return (await getJson(`/api/v1/traces/${encodeURIComponent(traceId)}/view`)).body;
}

export async function dependencies(params) {
  return (await getJson('/api/v1/dependencies', params)).body;
}
