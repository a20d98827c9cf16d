// The trace as the waterfall draws it: spans in tree order (depth-first, children by start time),
// each with its depth, service and timing relative to the trace start. Built from the analysed
// view (GET /api/v1/traces/{id}/view), which carries adjusted timing, clock skew, the critical
// path and completeness. Pure functions: no DOM here.

export const STATUS_ERROR = 2;

/**
 * Links spans into the tree and orders them. raw: spans with absolute BigInt start/end nanos and
 * optional analysis fields (critical, skewNanos, skewNote) that are carried over unchanged.
 */
export function build(raw, options = {}) {
  if (raw.length === 0) throw new Error('the trace has no spans');
  let start = raw[0].startNanos;
  let end = raw[0].endNanos;
  for (const s of raw) {
    if (s.startNanos < start) start = s.startNanos;
    if (s.endNanos > end) end = s.endNanos;
  }
  const byId = new Map();
  const spans = raw.map((s) => {
    const node = {
      ...s,
      start: Number(s.startNanos - start),
      end: Number(s.endNanos - start),
      duration: Number(s.endNanos - s.startNanos),
      error: s.status.code === STATUS_ERROR,
      children: [],
      depth: 0,
      parentMissing: false,
      critical: Boolean(s.critical),
      skewNanos: s.skewNanos || 0,
      skewNote: s.skewNote || '',
      criticalSections: (s.criticalSections || []).map((c) => ({
        start: Number(c.startNanos - start),
        end: Number(c.endNanos - start),
      })),
    };
    byId.set(node.id, node);
    return node;
  });
  const missingParents = new Set();
  const roots = [];
  for (const node of spans) {
    const parent = node.parentId && byId.get(node.parentId);
    if (parent && parent !== node) {
      parent.children.push(node);
    } else {
      if (node.parentId) {
        node.parentMissing = true;
        missingParents.add(node.parentId);
      }
      roots.push(node);
    }
  }
  const byStart = (a, b) => a.start - b.start || a.end - b.end;
  roots.sort(byStart);
  for (const node of spans) node.children.sort(byStart);

  const rows = depthFirst(roots, spans);
  const services = [...new Set(spans.map((s) => s.service))].sort();
  return {
    traceId: spans[0].traceId,
    startNanos: start,
    duration: Number(end - start),
    spans,
    byId,
    rows,
    services,
    rootFound: spans.some((s) => !s.parentId),
    missingParents: [...missingParents],
    errorCount: spans.filter((s) => s.error).length,
    maxDepth: rows.reduce((m, s) => Math.max(m, s.depth), 0),
    truncated: Boolean(options.truncated),
    storedSpanCount: options.storedSpanCount || spans.length,
    lateSpanCount: options.lateSpanCount || 0,
    hasCriticalPath: spans.some((s) => s.critical),
  };
}

/**
 * Spans in display order; each gets its row index, depth and subtreeEnd (one past its last
 * descendant's row). Iterative, so a very deep trace cannot overflow the stack; spans caught in a
 * parent cycle (malformed input) are appended as roots rather than dropped.
 */
function depthFirst(roots, spans) {
  const rows = [];
  const seen = new Set();
  const visit = (root) => {
    const stack = [{ node: root, depth: 0, exit: false }];
    while (stack.length) {
      const frame = stack.pop();
      if (frame.exit) {
        frame.node.subtreeEnd = rows.length;
        continue;
      }
      const node = frame.node;
      if (seen.has(node)) continue;
      seen.add(node);
      node.depth = frame.depth;
      node.index = rows.length;
      rows.push(node);
      stack.push({ node, exit: true });
      for (let i = node.children.length - 1; i >= 0; i--) {
        stack.push({ node: node.children[i], depth: frame.depth + 1, exit: false });
      }
    }
  };
  roots.forEach(visit);
  for (const node of spans) {
    if (!seen.has(node)) {
      node.parentMissing = true;
      visit(node);
    }
  }
  return rows;
}

const STATUS_CODES = { UNSET: 0, OK: 1, ERROR: STATUS_ERROR };

const SKEW_NOTES = {
  SHIFTED_INTO_PARENT: 'another host than its parent: shifted into the parent',
  SHIFTED_WITH_PARENT: 'shifted with its parent (same host)',
  EXCEEDS_MAX_ADJUSTMENT: 'skew larger than the configured maximum: not adjusted',
  ASYNC_NOT_ADJUSTED: 'asynchronous consumer (follows from its producer): not adjusted',
};

function plainValueText(value) {
  if (value == null) return '';
  if (Array.isArray(value)) return `[${value.map(plainValueText).join(', ')}]`;
  if (typeof value === 'object') {
    return `{${Object.entries(value).map(([k, v]) => `${k}: ${plainValueText(v)}`).join(', ')}}`;
  }
  return String(value);
}

function plainAttributes(map) {
  return Object.entries(map || {}).map(([key, value]) => ({ key, value: plainValueText(value) }));
}

/**
 * The model of the analysed trace (GET /api/v1/traces/{id}/view): bars at the adjusted times,
 * clock skew, critical-path sections and completeness as the server computed them.
 */
export function fromView(view) {
  const sections = new Map();
  for (const s of view.criticalPath || []) {
    if (!sections.has(s.spanId)) sections.set(s.spanId, []);
    sections.get(s.spanId).push({ startNanos: BigInt(s.startTimeUnixNano), endNanos: BigInt(s.endTimeUnixNano) });
  }
  const raw = view.spans.map((s) => {
    const skew = s.clockSkew || { appliedNanos: 0, computedNanos: 0, reason: 'NONE' };
    const flagged = skew.reason === 'EXCEEDS_MAX_ADJUSTMENT' || skew.reason === 'ASYNC_NOT_ADJUSTED';
    return {
      traceId: view.traceId,
      id: s.spanId,
      parentId: s.parentSpanId || null,
      parentRelation: s.parentRelation,
      name: s.name,
      kind: (s.kind || 'UNSPECIFIED').toLowerCase(),
      startNanos: BigInt(s.adjustedStartTimeUnixNano),
      endNanos: BigInt(s.adjustedEndTimeUnixNano),
      rawStartNanos: BigInt(s.startTimeUnixNano),
      service: s.service,
      resource: plainAttributes(s.resource),
      scope: s.scope && s.scope.name ? `${s.scope.name}${s.scope.version ? ` ${s.scope.version}` : ''}` : '',
      attributes: plainAttributes(s.attributes),
      events: (s.events || []).map((e) => ({
        timeNanos: BigInt(e.adjustedTimeUnixNano || e.timeUnixNano),
        name: e.name,
        attributes: plainAttributes(e.attributes),
      })),
      links: (s.links || []).map((l) => ({ traceId: l.traceId, spanId: l.spanId, attributes: plainAttributes(l.attributes) })),
      status: { code: STATUS_CODES[s.status && s.status.code] || 0, message: (s.status && s.status.message) || '' },
      critical: Boolean(s.onCriticalPath),
      criticalSelfNanos: s.criticalPathSelfNanos,
      criticalSections: sections.get(s.spanId) || [],
      skewNanos: skew.appliedNanos || (flagged ? skew.computedNanos : 0),
      skewApplied: Boolean(skew.appliedNanos),
      skewNote: SKEW_NOTES[skew.reason] || '',
    };
  });
  const completeness = view.completeness || {};
  const trace = build(raw, {
    truncated: view.truncated,
    storedSpanCount: view.storedSpanCount,
    lateSpanCount: completeness.lateSpanCount,
  });
  trace.rootFound = completeness.rootFound !== undefined ? completeness.rootFound : trace.rootFound;
  if (completeness.missingParentSpanIds) trace.missingParents = completeness.missingParentSpanIds;
  trace.missingRegions = view.missingRegions || [];
  trace.analysed = true;
  return trace;
}
