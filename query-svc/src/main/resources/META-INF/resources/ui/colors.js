// A stable colour per service: the same name gets the same hue on every page and every load.

const cache = new Map();

/** FNV-1a over the UTF-16 code units: cheap, and spreads similar names apart. */
function hash(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The service's colour as a CSS hsl() value. */
export function serviceColor(service) {
  let color = cache.get(service);
  if (!color) {
    const h = hash(service);
    // Golden-angle steps over the hash give well separated hues; two lightness bands add contrast.
    const hue = Math.round((h % 360) * 137.508) % 360;
    const lightness = h & 0x100 ? 42 : 52;
    color = `hsl(${hue} 62% ${lightness}%)`;
    cache.set(service, color);
  }
  return color;
}
