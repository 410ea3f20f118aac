// The dashboard's copy of the coordinator's picture (GET /api/v1/topology), kept current by the event stream's
// snapshots and deltas, and the traffic rates derived from consecutive node reports.

export class Model {
  constructor() {
    this.clear();
  }

  clear() {
    this.version = 0;
    this.at = null;
    this.network = null;
    this.nodes = new Map();
    this.links = [];
    this.tunnelsOmitted = false;
    this.onRamps = [];
    this.tokens = [];
    this.members = [];
    /** Per node id: { rx, tx, at, rxRate, txRate } from the last two reports. */
    this.rates = new Map();
  }

  /** Replaces everything with a snapshot. */
  load(s) {
    const rates = this.rates;
    this.clear();
    this.rates = rates;
    this.version = s.version;
    this.at = s.at;
    this.network = s.network;
    for (const n of s.nodes || []) this.putNode(n);
    this.links = s.links || [];
    this.tunnelsOmitted = !!s.tunnelsOmitted;
    this.onRamps = s.onRamps || [];
    this.tokens = s.tokens || [];
    this.members = s.members || [];
  }

  /** Applies a delta: only the parts it carries changed. Returns whether the set of nodes changed. */
  apply(d) {
    this.version = d.version;
    this.at = d.at;
    let nodeSetChanged = false;
    if (d.network) this.network = d.network;
    if (d.nodes) {
      for (const n of d.nodes.put || []) {
        if (!this.nodes.has(n.id)) nodeSetChanged = true;
        this.putNode(n);
      }
      for (const id of d.nodes.removed || []) {
        this.nodes.delete(id);
        this.rates.delete(id);
        nodeSetChanged = true;
      }
    }
    if (d.links) this.links = d.links;
    if (d.tunnelsOmitted !== undefined) this.tunnelsOmitted = d.tunnelsOmitted;
    if (d.onRamps) this.onRamps = d.onRamps;
    if (d.tokens) this.tokens = d.tokens;
    if (d.members) this.members = d.members;
    return nodeSetChanged;
  }

  putNode(n) {
    this.nodes.set(n.id, n);
    if (n.reportedAt === undefined || n.rxBytes === undefined) return;
    const at = Date.parse(n.reportedAt);
    const before = this.rates.get(n.id);
    if (before && at > before.at) {
      const seconds = (at - before.at) / 1000;
      // counters restart with the node's device: a drop is no negative rate
      const rxRate = n.rxBytes >= before.rx ? (n.rxBytes - before.rx) / seconds : null;
      const txRate = n.txBytes >= before.tx ? (n.txBytes - before.tx) / seconds : null;
      this.rates.set(n.id, { rx: n.rxBytes, tx: n.txBytes, at, rxRate, txRate });
    } else if (!before) {
      this.rates.set(n.id, { rx: n.rxBytes, tx: n.txBytes, at, rxRate: null, txRate: null });
    }
  }

  /** Nodes sorted by host name, then id. */
  sortedNodes() {
    return [...this.nodes.values()].sort((a, b) => a.hostname.localeCompare(b.hostname) || a.id.localeCompare(b.id));
  }
}
