// A layered layout of the service graph, left (callers) to right (callees): ranks by longest
// path over the graph with its cycle-closing edges set aside, order within a rank by the mean
// position of the callers (two sweeps), then fixed spacing. Pure: no DOM here.

export const NODE_WIDTH = 180;
export const NODE_HEIGHT = 36;
const COLUMN_GAP = 170; // room for an edge's label
const ROW_GAP = 34;
const MARGIN = 24;

/** edges: [{parent, child, …}]; returns {nodes: [{name, rank, x, y}], edges, width, height}. */
export function layoutGraph(edges) {
  const names = [...new Set(edges.flatMap((e) => [e.parent, e.child]))].sort();
  const out = new Map(names.map((n) => [n, []]));
  for (const e of edges) if (e.parent !== e.child) out.get(e.parent).push(e.child);

  const backEdges = cycleClosingEdges(names, out);
  const rank = new Map(names.map((n) => [n, 0]));
  // Longest path over the acyclic rest: relax in a topological order.
  for (const n of topologicalOrder(names, out, backEdges)) {
    for (const c of out.get(n)) {
      if (!backEdges.has(`${n}\u0000${c}`)) rank.set(c, Math.max(rank.get(c), rank.get(n) + 1));
    }
  }
  const layers = [];
  for (const n of names) (layers[rank.get(n)] ||= []).push(n);

  const position = new Map();
  layers.forEach((layer) => layer.forEach((n, i) => position.set(n, i)));
  const callers = new Map(names.map((n) => [n, []]));
  for (const e of edges) if (e.parent !== e.child) callers.get(e.child).push(e.parent);
  for (let sweep = 0; sweep < 2; sweep++) {
    for (let r = 1; r < layers.length; r++) {
      const mean = (n) => {
        const ps = callers.get(n).filter((p) => rank.get(p) < r);
        return ps.length ? ps.reduce((s, p) => s + position.get(p), 0) / ps.length : position.get(n);
      };
      const keyed = layers[r].map((n) => [mean(n), n]);
      keyed.sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1]));
      layers[r] = keyed.map(([, n]) => n);
      layers[r].forEach((n, i) => position.set(n, i));
    }
  }

  const tallest = layers.reduce((m, l) => Math.max(m, l.length), 0);
  const height = MARGIN * 2 + tallest * NODE_HEIGHT + (tallest - 1) * ROW_GAP;
  const nodes = [];
  layers.forEach((layer, r) => {
    const layerHeight = layer.length * NODE_HEIGHT + (layer.length - 1) * ROW_GAP;
    const top = (height - layerHeight) / 2;
    layer.forEach((name, i) => {
      nodes.push({ name, rank: r, x: MARGIN + r * (NODE_WIDTH + COLUMN_GAP), y: top + i * (NODE_HEIGHT + ROW_GAP) });
    });
  });
  const width = MARGIN * 2 + layers.length * NODE_WIDTH + (layers.length - 1) * COLUMN_GAP;
  return { nodes, edges, width: Math.max(width, NODE_WIDTH + 2 * MARGIN), height: Math.max(height, NODE_HEIGHT + 2 * MARGIN) };
}

/** Edges that close a cycle in a depth-first search from every node in name order. */
function cycleClosingEdges(names, out) {
  const state = new Map(); // 1 = on the stack, 2 = done
  const back = new Set();
  for (const start of names) {
    if (state.has(start)) continue;
    const stack = [[start, 0]];
    state.set(start, 1);
    while (stack.length) {
      const top = stack[stack.length - 1];
      const [n, i] = top;
      const children = out.get(n);
      if (i === children.length) {
        state.set(n, 2);
        stack.pop();
        continue;
      }
      top[1]++;
      const c = children[i];
      if (state.get(c) === 1) back.add(`${n}\u0000${c}`);
      else if (!state.has(c)) {
        state.set(c, 1);
        stack.push([c, 0]);
      }
    }
  }
  return back;
}

function topologicalOrder(names, out, backEdges) {
  const indegree = new Map(names.map((n) => [n, 0]));
  for (const n of names) {
    for (const c of out.get(n)) if (!backEdges.has(`${n}\u0000${c}`)) indegree.set(c, indegree.get(c) + 1);
  }
  const queue = names.filter((n) => indegree.get(n) === 0);
  const order = [];
  while (queue.length) {
    const n = queue.shift();
    order.push(n);
    for (const c of out.get(n)) {
      if (backEdges.has(`${n}\u0000${c}`)) continue;
      indegree.set(c, indegree.get(c) - 1);
      if (indegree.get(c) === 0) queue.push(c);
    }
  }
  return order;
}
