// The trace as the waterfall draws it: spans in tree order (depth-first, children by start time),
// each with its depth, service and timing relative to the trace start. Built from the OTLP JSON
// that GET /api/v1/traces/{id} returns. Pure functions: no DOM here.

export const STATUS_ERROR = 2;
export const SPAN_KINDS = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];

/** An OTLP JSON AnyValue as display text. */
export function anyValueText(value) {
  if (value == null) return '';
  if ('stringValue' in value) return value.stringValue;
  if ('intValue' in value) return String(value.intValue);
  if ('doubleValue' in value) return String(value.doubleValue);
  if ('boolValue' in value) return String(value.boolValue);
  if ('bytesValue' in value) return `base64:${value.bytesValue}`;
  if ('arrayValue' in value) {
    return `[${(value.arrayValue.values || []).map(anyValueText).join(', ')}]`;
  }
  if ('kvlistValue' in value) {
    const pairs = (value.kvlistValue.values || []).map((kv) => `${kv.key}: ${anyValueText(kv.value)}`);
    return `{${pairs.join(', ')}}`;
  }
  return '';
}

function attributeList(attributes) {
  return (attributes || []).map((a) => ({ key: a.key, value: anyValueText(a.value) }));
}

function attributeValue(attributes, key) {
  const found = attributes.find((a) => a.key === key);
  return found ? found.value : undefined;
}

/**
 * The model of an OTLP JSON TracesData document.
 * options.truncated / options.storedSpanCount: what the response headers said.
 */
export function fromOtlp(tracesData, options = {}) {
  const raw = [];
  for (const resourceSpans of tracesData.resourceSpans || []) {
    const resource = attributeList(resourceSpans.resource && resourceSpans.resource.attributes);
    const service = attributeValue(resource, 'service.name') || 'unknown_service';
    for (const scopeSpans of resourceSpans.scopeSpans || []) {
      const scope = scopeSpans.scope || {};
      for (const span of scopeSpans.spans || []) {
        raw.push({
          traceId: span.traceId,
          id: span.spanId,
          parentId: span.parentSpanId || null,
          name: span.name || '',
          kind: SPAN_KINDS[span.kind || 0] || 'unspecified',
          startNanos: BigInt(span.startTimeUnixNano || 0),
          endNanos: BigInt(span.endTimeUnixNano || span.startTimeUnixNano || 0),
          service,
          resource,
          scope: scope.name ? `${scope.name}${scope.version ? ` ${scope.version}` : ''}` : '',
          attributes: attributeList(span.attributes),
          events: (span.events || []).map((e) => ({
            timeNanos: BigInt(e.timeUnixNano || 0),
            name: e.name || '',
            attributes: attributeList(e.attributes),
          })),
          links: (span.links || []).map((l) => ({
            traceId: l.traceId,
            spanId: l.spanId,
            attributes: attributeList(l.attributes),
          })),
          status: { code: (span.status && span.status.code) || 0, message: (span.status && span.status.message) || '' },
        });
      }
    }
  }
  return build(raw, options);
}

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
