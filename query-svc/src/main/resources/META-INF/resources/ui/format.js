// Formatting of durations, times and attribute values for display. Pure functions.

const UNITS = [
  [3_600_000_000_000, 'h'],
  [60_000_000_000, 'min'],
  [1_000_000_000, 's'],
  [1_000_000, 'ms'],
  [1_000, 'µs'],
];

/** A duration in nanoseconds as a short human figure: 1.25s, 340ms, 12µs, 800ns. */
export function formatDuration(nanos) {
  const abs = Math.abs(nanos);
  for (const [size, unit] of UNITS) {
    if (abs >= size) {
      const value = nanos / size;
      return `${trimNumber(value)}${unit}`;
    }
  }
  return `${Math.round(nanos)}ns`;
}

function trimNumber(value) {
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  return Number(value.toFixed(digits)).toString();
}

/** Unix nanoseconds (number or decimal string) as a local date-time with milliseconds. */
export function formatTime(unixNanos) {
  const date = new Date(Number(BigInt(unixNanos) / 1_000_000n));
  const pad = (n, w = 2) => String(n).padStart(w, '0');
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`
  );
}

/** How long ago a time was, coarse: "3 min ago". */
export function formatAgo(unixNanos, nowMillis = Date.now()) {
  const seconds = Math.max(0, (nowMillis - Number(BigInt(unixNanos) / 1_000_000n)) / 1000);
  if (seconds < 60) return `${Math.round(seconds)} s ago`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86400)} d ago`;
}

/** A percentage with at most one decimal. */
export function formatPercent(ratio) {
  return `${Number((ratio * 100).toFixed(1))}%`;
}

/** A count that may be fractional (weighted by adjusted count): 1234, 12.5. */
export function formatCount(value) {
  return Number.isInteger(value) ? String(value) : trimNumber(value);
}

/** Escapes text for HTML (element content and double-quoted attribute values). */
export function escapeHtml(text) {
  return String(text)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}
