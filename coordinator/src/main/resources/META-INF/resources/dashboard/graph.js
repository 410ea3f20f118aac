// The topology as a graph (Cytoscape.js): nodes by role and state, tunnels, relay and backbone links, and each
// on-ramp as a VPC node tied to its gateways, the active one drawn bold. Elements are updated in place; the
// layout runs again only when nodes or on-ramps come or go, so the picture does not jump on every update.

import { cytoscape } from "./vendor.js";

const FRESH_MS = 180_000; // a handshake younger than REJECT_AFTER_TIME: the tunnel carries traffic
const MAX_FIT_ZOOM = 1.6;

const STYLE = [
  {
    selector: "node",
    style: {
      label: "data(label)",
      "font-size": 11,
      "text-valign": "bottom",
      "text-margin-y": 4,
      "text-wrap": "wrap",
      color: "#18202b",
      "background-color": "#2563eb",
      width: 26,
      height: 26,
      "border-width": 2,
      "border-color": "#ffffff",
    },
  },
  { selector: "node.gateway", style: { shape: "round-rectangle", "background-color": "#0f766e" } },
  { selector: "node.relay", style: { shape: "diamond", "background-color": "#7c3aed", width: 32, height: 32 } },
  {
    selector: "node.offline",
    style: { "background-color": "#e5e7eb", "border-color": "#9aa3af", "border-style": "dashed", color: "#5b6675" },
  },
  {
    selector: "node.onramp",
    style: {
      shape: "round-hexagon",
      "background-color": "#fff7ed",
      "border-color": "#c2410c",
      "border-width": 3,
      width: 44,
      height: 38,
      "font-weight": "bold",
    },
  },
  { selector: "node:selected", style: { "border-color": "#f59e0b", "border-width": 4 } },
  {
    selector: "edge",
    style: { width: 1.5, "line-color": "#cbd5e1", "curve-style": "bezier", opacity: 0.9 },
  },
  { selector: "edge.fresh", style: { "line-color": "#64748b" } },
  { selector: "edge.relay", style: { "line-style": "dashed", "line-color": "#a78bfa" } },
  { selector: "edge.relay.fresh", style: { "line-color": "#7c3aed" } },
  { selector: "edge.backbone", style: { width: 4, "line-color": "#7c3aed" } },
  { selector: "edge.backbone.down", style: { "line-style": "dashed", "line-color": "#c4b5fd" } },
  { selector: "edge.standby", style: { "line-style": "dotted", "line-color": "#9aa3af", width: 2 } },
  {
    selector: "edge.active",
    style: {
      width: 5,
      "line-color": "#15803d",
      label: "active",
      "font-size": 10,
      color: "#14532d",
      "text-background-color": "#ffffff",
      "text-background-opacity": 1,
      "text-background-padding": 2,
      "text-rotation": "autorotate",
      "text-margin-y": -10,
    },
  },
];

export class Graph {
  constructor(container, onSelect) {
    this.cy = cytoscape({
      container,
      style: STYLE,
      elements: [],
      minZoom: 0.2,
      maxZoom: 3,
      boxSelectionEnabled: false,
    });
    this.cy.on("tap", "node.weft", (e) => onSelect(e.target.data("nodeId")));
    this.shape = "";
  }

  /** Draws the model: adds, updates and removes elements; lays out again when the set of nodes changed. */
  render(model) {
    const now = Date.now();
    const wanted = new Map();
    for (const n of model.nodes.values()) {
      if (n.expired) continue;
      const roles = n.roles || [];
      const kind = n.relay || roles.includes("relay") ? "relay" : roles.includes("gateway") ? "gateway" : "member";
      wanted.set(`n:${n.id}`, {
        group: "nodes",
        data: { id: `n:${n.id}`, nodeId: n.id, label: n.hostname === n.id ? n.id : `${n.hostname}` },
        classes: ["weft", kind, n.online ? "online" : "offline"].join(" "),
      });
    }
    for (const l of model.links) {
      const a = `n:${l.a}`;
      const b = `n:${l.b}`;
      if (!wanted.has(a) || !wanted.has(b)) continue;
      const fresh = l.lastHandshakeMillis && now - l.lastHandshakeMillis < FRESH_MS;
      wanted.set(`l:${l.a}|${l.b}`, {
        group: "edges",
        data: { id: `l:${l.a}|${l.b}`, source: a, target: b },
        classes: [l.kind, fresh ? "fresh" : "", l.tunnel ? "" : "down"].join(" ").trim(),
      });
    }
    for (const r of model.onRamps) {
      const id = `r:${r.name}`;
      wanted.set(id, {
        group: "nodes",
        data: { id, label: `${r.name}\n${(r.cidrs || []).join(", ")}` },
        classes: "onramp",
      });
      for (const g of r.gateways || []) {
        const gw = `n:${g.node}`;
        if (!wanted.has(gw)) continue;
        const active = r.active === g.node;
        wanted.set(`g:${r.name}|${g.node}`, {
          group: "edges",
          data: { id: `g:${r.name}|${g.node}`, source: gw, target: id },
          classes: active ? "active" : "standby",
        });
      }
    }

    const cy = this.cy;
    cy.batch(() => {
      cy.elements().forEach((el) => {
        if (!wanted.has(el.id())) el.remove();
      });
      const fresh = [...wanted.values()].filter((d) => d.group === "nodes" && cy.getElementById(d.data.id).empty());
      const place = this.spread(fresh.length, [...wanted.values()].filter((d) => d.group === "nodes").length);
      for (const [id, def] of wanted) {
        const el = cy.getElementById(id);
        if (el.empty()) {
          cy.add(def.group === "nodes" ? { ...def, position: place(fresh.indexOf(def)) } : def);
        } else {
          el.data(def.data);
          el.classes(def.classes);
        }
      }
    });
    const shape = [...wanted.keys()].filter((k) => k.startsWith("n:") || k.startsWith("r:")).sort().join(",");
    if (shape !== this.shape) {
      this.shape = shape;
      this.layout();
    }
  }

  /**
   * Where the n new nodes start: spread on a circle around the nodes already drawn (the force layout that follows
   * cannot pull apart nodes that start on one point, and a circle keeps the result the same for the same graph).
   */
  spread(n, total) {
    const old = this.cy.nodes();
    const box = old.empty() ? { x1: 0, x2: 0, y1: 0, y2: 0 } : old.boundingBox();
    const cx = (box.x1 + box.x2) / 2;
    const cy = (box.y1 + box.y2) / 2;
    const r = 60 + 30 * total;
    return (i) => ({ x: cx + r * Math.cos((2 * Math.PI * i) / Math.max(1, n)), y: cy + r * Math.sin((2 * Math.PI * i) / Math.max(1, n)) });
  }

  layout() {
    const layout = this.cy.layout({ name: "cose", animate: false, randomize: false, fit: false,
      nodeRepulsion: () => 40000, idealEdgeLength: () => 140, componentSpacing: 100, nodeOverlap: 20 });
    layout.one("layoutstop", () => this.fit());
    layout.run();
  }

  /** Fits the graph, but a few nodes are not blown up past a readable size. */
  fit() {
    this.cy.fit(undefined, 40);
    if (this.cy.zoom() > MAX_FIT_ZOOM) {
      this.cy.zoom(MAX_FIT_ZOOM);
      this.cy.center();
    }
  }

  /** Selects node {@code nodeId} and centres on it. */
  select(nodeId) {
    this.cy.$(":selected").unselect();
    const el = this.cy.getElementById(`n:${nodeId}`);
    if (!el.empty()) {
      el.select();
      this.cy.animate({ center: { eles: el }, duration: 200 });
    }
  }

  destroy() {
    this.cy.destroy();
  }
}
