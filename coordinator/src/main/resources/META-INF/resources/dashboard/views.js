// The text views: summary, on-ramps, cluster members, the node table (with per-peer details) and the tokens.
// Everything is built with DOM nodes and text, never HTML strings, so no value from the network is markup.

import { age, bytes, el, rate, when } from "./format.js";

export function renderHeader(model) {
  document.getElementById("network-name").textContent = model.network ? `network ${model.network.name}` : "";
  document.getElementById("network-version").textContent = `version ${model.version}`;
}

export function renderSummary(model) {
  const nodes = [...model.nodes.values()].filter((n) => !n.expired);
  const online = nodes.filter((n) => n.online).length;
  const activeRamps = model.onRamps.filter((r) => r.active).length;
  const items = [
    [`${online} / ${nodes.length}`, "nodes online"],
    [`${activeRamps} / ${model.onRamps.length}`, "on-ramps with an active gateway"],
    [String(model.tokens.length), "join tokens"],
    [String(model.members.length), "coordinator members"],
  ];
  document.getElementById("summary").replaceChildren(
    ...items.map(([n, t]) => el("li", {}, el("span", { class: "n" }, n), el("span", { class: "t" }, t))),
  );
  const note = document.getElementById("graph-note");
  note.textContent = model.tunnelsOmitted
    ? "More nodes than a graph shows readably: tunnels are left out (backbone links and gateways stay)."
    : "";
}

export function renderOnRamps(model) {
  const list = document.getElementById("onramp-list");
  if (model.onRamps.length === 0) {
    list.replaceChildren(el("p", { class: "muted" }, "No on-ramps declared in the network spec."));
    return;
  }
  list.replaceChildren(
    ...model.onRamps.map((r) =>
      el(
        "article",
        { class: "onramp", dataset: { onramp: r.name }, "aria-label": `On-ramp ${r.name}` },
        el("h3", {}, r.name),
        el("p", { class: "meta" }, `${r.provider}${r.region ? " · " + r.region : ""} · ${r.vpc} · `,
          el("span", { class: "mono", dataset: { role: "cidrs" } }, (r.cidrs || []).join(", ")), r.snat ? " · SNAT" : ""),
        el("p", { class: "active-line" }, "Active gateway: ",
          r.active
            ? el("span", { class: "active-gw", dataset: { role: "active-gateway" } }, r.active)
            : el("span", { class: "none", dataset: { role: "active-gateway" } }, "none")),
        el("table", {},
          el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "Gateway"), el("th", { scope: "col" }, "Priority"),
            el("th", { scope: "col" }, "Node"), el("th", { scope: "col" }, "Health"))),
          el("tbody", {}, ...(r.gateways || []).map((g) =>
            el("tr", { dataset: { gateway: g.node } },
              el("td", {}, g.node, r.active === g.node ? el("span", { class: "sub" }, "active") : null),
              el("td", {}, String(g.priority)),
              el("td", {}, !g.joined ? badge("not joined", "") : g.online ? badge("online", "ok") : badge("offline", "bad")),
              el("td", {}, g.healthy ? badge("healthy", "ok") : badge("unhealthy", "bad"),
                g.healthyAt ? el("span", { class: "sub" }, `checked ${age(Date.parse(g.healthyAt))}`) : null)))))),
    ),
  );
}

export function renderMembers(model) {
  document.getElementById("member-list").replaceChildren(
    ...model.members.map((m) =>
      el("li", {}, el("span", { class: "mono" }, m.address), " ",
        m.oldest ? badge("oldest", "") : null, " ", m.local ? badge("this one", "ok") : null)),
  );
}

function badge(text, kind) {
  return el("span", { class: `badge ${kind}`.trim() }, text);
}

/**
 * The node table. {@code ui.expanded} is the set of node ids whose peer details are open, {@code ui.peers} their
 * latest answers by node id; {@code ui.onToggle(id)} and {@code ui.onShow(id)} are the row buttons' actions.
 */
export function renderNodes(model, ui) {
  const body = document.querySelector("#node-table tbody");
  const focused = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.focusKey : null;
  const rows = [];
  const nodes = model.sortedNodes();
  if (nodes.length === 0) {
    rows.push(el("tr", {}, el("td", { colspan: 8, class: "muted" }, "No node has joined yet.")));
  }
  for (const n of nodes) {
    const r = model.rates.get(n.id);
    const open = ui.expanded.has(n.id);
    const status = n.expired ? badge("expired", "warn") : n.online ? badge("online", "ok") : badge("offline", "bad");
    rows.push(el("tr", {
      dataset: { nodeId: n.id, hostname: n.hostname, online: String(n.online && !n.expired) },
      class: ui.selected === n.id ? "selected" : null,
    },
    el("td", {}, el("strong", {}, n.hostname), n.hostname !== n.id ? el("span", { class: "sub mono" }, n.id) : null),
    el("td", {}, status, n.homeRelay ? el("span", { class: "sub" }, `behind NAT, via ${n.homeRelay}`) : null),
    el("td", {}, ...(n.roles || []).map((role) => [badge(role, `role-${role}`), " "]),
      n.gatewayOf && n.gatewayOf.length ? el("span", { class: "sub" }, `gateway of ${n.gatewayOf.join(", ")}`) : null),
    el("td", { class: "mono" }, ...(n.addresses || []).map((a) => el("div", {}, a))),
    el("td", { class: "mono" }, ...(n.endpoints || []).map((a) => el("div", {}, a)),
      n.observed ? el("span", { class: "sub" }, `seen from ${n.observed}`) : null),
    el("td", {}, n.tunnelsUp === undefined ? "–" : String(n.tunnelsUp)),
    el("td", {}, `${rate(r && r.rxRate)} / ${rate(r && r.txRate)}`,
      n.rxBytes !== undefined ? el("span", { class: "sub" }, `${bytes(n.rxBytes)} / ${bytes(n.txBytes)} in all`) : null),
    el("td", { class: "actions" },
      el("button", {
        type: "button", class: "secondary small", "aria-expanded": String(open),
        "aria-controls": `peers-${n.id}`, dataset: { focusKey: `peers:${n.id}` },
        onclick: () => ui.onToggle(n.id),
      }, open ? "Hide peers" : "Peers"),
      n.expired ? null : el("button", {
        type: "button", class: "secondary small", dataset: { focusKey: `show:${n.id}` },
        "aria-label": `Show ${n.hostname} in the graph`, onclick: () => ui.onShow(n.id),
      }, "Show"))));
    if (open) rows.push(peerRow(n, ui.peers.get(n.id), model));
  }
  body.replaceChildren(...rows);
  if (focused) {
    const again = body.querySelector(`[data-focus-key="${CSS.escape(focused)}"]`);
    if (again) again.focus();
  }
}

function peerRow(n, peers, model) {
  let content;
  if (!peers) {
    content = el("p", { class: "muted" }, "Loading…");
  } else if (!peers.peers || peers.peers.length === 0) {
    content = el("p", { class: "muted" }, "No per-peer counters reported lately.");
  } else {
    const now = Date.now();
    content = el("table", { "aria-label": `Peers of ${n.hostname}` },
      el("caption", { class: "muted small-text" }, `reported ${peers.reportedAt ? age(Date.parse(peers.reportedAt), now) : "never"}`),
      el("thead", {}, el("tr", {}, ...["Peer", "Endpoint", "Last handshake", "In", "Out", "In all", "Out all"]
        .map((h) => el("th", { scope: "col" }, h)))),
      el("tbody", {}, ...peers.peers.map((p) => {
        const other = model.nodes.get(p.nodeId);
        const r = peers.rates && peers.rates.get(p.nodeId);
        return el("tr", {},
          el("td", {}, other ? other.hostname : p.nodeId),
          el("td", { class: "mono" }, p.endpoint || "–"),
          el("td", {}, age(p.lastHandshakeMillis, now)),
          el("td", {}, rate(r && r.rxRate)),
          el("td", {}, rate(r && r.txRate)),
          el("td", {}, bytes(p.rxBytes)),
          el("td", {}, bytes(p.txBytes)));
      })));
  }
  return el("tr", { class: "details", id: `peers-${n.id}` }, el("td", { colspan: 8 }, content));
}

/** The token list; {@code onRevoke(id)} revokes one. */
export function renderTokens(model, onRevoke) {
  const body = document.querySelector("#token-table tbody");
  if (model.tokens.length === 0) {
    body.replaceChildren(el("tr", {}, el("td", { colspan: 6, class: "muted" }, "No join tokens.")));
    return;
  }
  const now = Date.now();
  body.replaceChildren(...model.tokens.map((t) => {
    const expired = t.expiresAt && Date.parse(t.expiresAt) <= now;
    const uses = t.usesLeft === undefined || t.usesLeft === null ? `${t.used} used, no limit` : `${t.used} used, ${t.usesLeft} left`;
    return el("tr", { dataset: { tokenId: t.id } },
      el("td", { class: "mono" }, t.id, t.ephemeral ? el("span", { class: "sub" }, "ephemeral") : null),
      el("td", {}, t.reusable ? "reusable" : "single use", el("span", { class: "sub" }, uses)),
      el("td", {}, (t.tags || []).join(", ") || "–"),
      el("td", {}, when(t.createdAt)),
      el("td", {}, expired ? badge("expired", "warn") : when(t.expiresAt, "never")),
      el("td", { class: "actions" }, el("button", {
        type: "button", class: "danger small", "aria-label": `Revoke token ${t.id}`, dataset: { focusKey: `revoke:${t.id}` },
        onclick: () => onRevoke(t.id),
      }, "Revoke")));
  }));
}
