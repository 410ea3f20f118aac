// The Weft dashboard: log in (the admin credential is traded for an HttpOnly session cookie and not kept here),
// then follow GET /api/v1/events and draw what it says. No build step: plain ES modules.

import { api, ApiError, follow } from "./api.js";
import { Model } from "./model.js";
import { Graph } from "./graph.js";
import { renderHeader, renderMembers, renderNodes, renderOnRamps, renderSummary, renderTokens } from "./views.js";

const PEERS_EVERY_MS = 2000;

const model = new Model();
const ui = {
  expanded: new Set(),
  peers: new Map(),
  selected: null,
  onToggle: togglePeers,
  onShow: showInGraph,
};
let graph = null;
let stopEvents = null;
let peerTimer = null;

const $ = (id) => document.getElementById(id);

// --- login and logout -------------------------------------------------------------------------------------

async function start() {
  wireForms();
  try {
    await api.session();
    enter();
  } catch (e) {
    showLogin(e instanceof ApiError && e.status === 401 ? "" : `The coordinator did not answer: ${e.message}`);
  }
}

function showLogin(message) {
  leave();
  $("dash-view").hidden = true;
  $("logout").hidden = true;
  $("live-status").hidden = true;
  $("login-view").hidden = false;
  $("login-error").textContent = message || "";
  $("credential").focus();
}

async function onLogin(event) {
  event.preventDefault();
  const input = $("credential");
  const button = event.submitter || $("login-form").querySelector("button");
  button.disabled = true;
  $("login-error").textContent = "";
  try {
    await api.login(input.value.trim());
    input.value = "";
    enter();
  } catch (e) {
    $("login-error").textContent = e instanceof ApiError && e.status === 401
      ? "That is not the admin credential."
      : e instanceof ApiError && e.status === 429 ? "Too many attempts; wait a minute." : `Login failed: ${e.message}`;
    input.select();
  } finally {
    button.disabled = false;
  }
}

async function onLogout() {
  try {
    await api.logout();
  } catch {
    // the session may be gone already: the login form is what follows either way
  }
  showLogin("Logged out.");
}

function enter() {
  $("login-view").hidden = true;
  $("dash-view").hidden = false;
  $("logout").hidden = false;
  $("live-status").hidden = false;
  $("token-url").textContent = window.location.origin;
  if (!graph) graph = new Graph($("graph"), (id) => showInGraph(id, false));
  setLive("connecting");
  stopEvents = follow({ onSnapshot, onDelta, onState });
  peerTimer = setInterval(refreshPeers, PEERS_EVERY_MS);
  $("main").focus();
}

/** Stops the stream and forgets everything shown, the token secret included. */
function leave() {
  if (stopEvents) stopEvents();
  stopEvents = null;
  clearInterval(peerTimer);
  peerTimer = null;
  hideSecret();
  model.clear();
  ui.expanded.clear();
  ui.peers.clear();
  ui.selected = null;
  if (graph) graph.destroy();
  graph = null;
}

// --- live updates -----------------------------------------------------------------------------------------

function onSnapshot(snapshot) {
  model.load(snapshot);
  renderAll();
}

function onDelta(delta) {
  model.apply(delta);
  renderAll();
}

async function onState(state) {
  if (state === "closed") {
    // the browser gives up only on an answer that is not a stream: most likely the session ended
    try {
      await api.session();
      setLive("reconnecting");
      if (stopEvents) stopEvents();
      stopEvents = follow({ onSnapshot, onDelta, onState });
    } catch {
      showLogin("The session ended; log in again.");
    }
    return;
  }
  setLive(state);
}

function setLive(state) {
  const s = $("live-status");
  s.dataset.state = state;
  s.textContent = { live: "live", reconnecting: "reconnecting…", connecting: "connecting…" }[state] || state;
}

function renderAll() {
  renderHeader(model);
  renderSummary(model);
  renderOnRamps(model);
  renderMembers(model);
  renderNodes(model, ui);
  renderTokens(model, revoke);
  if (graph) graph.render(model);
}

// --- node table actions -----------------------------------------------------------------------------------

function togglePeers(id) {
  if (ui.expanded.has(id)) {
    ui.expanded.delete(id);
    ui.peers.delete(id);
  } else {
    ui.expanded.add(id);
    loadPeers(id);
  }
  renderNodes(model, ui);
}

async function loadPeers(id) {
  try {
    const answer = await api.peers(id);
    const before = ui.peers.get(id);
    answer.rates = peerRates(before, answer);
    if (ui.expanded.has(id)) ui.peers.set(id, answer);
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return showLogin("The session ended; log in again.");
    ui.peers.set(id, { peers: [], reportedAt: null });
  }
  renderNodes(model, ui);
}

/** Per peer, bytes per second between the previous answer and this one (when the node reported in between). */
function peerRates(before, now) {
  const rates = new Map();
  const t0 = before && before.reportedAt ? Date.parse(before.reportedAt) : null;
  const t1 = now.reportedAt ? Date.parse(now.reportedAt) : null;
  if (!t0 || !t1 || t1 <= t0) return before ? before.rates : rates;
  const old = new Map(before.peers.map((p) => [p.nodeId, p]));
  for (const p of now.peers) {
    const o = old.get(p.nodeId);
    if (!o) continue;
    const s = (t1 - t0) / 1000;
    rates.set(p.nodeId, {
      rxRate: p.rxBytes >= o.rxBytes ? (p.rxBytes - o.rxBytes) / s : null,
      txRate: p.txBytes >= o.txBytes ? (p.txBytes - o.txBytes) / s : null,
    });
  }
  return rates;
}

function refreshPeers() {
  for (const id of ui.expanded) loadPeers(id);
}

function showInGraph(id, scroll = true) {
  ui.selected = id;
  renderNodes(model, ui);
  if (graph) graph.select(id);
  if (scroll) $("topology").scrollIntoView({ behavior: "smooth", block: "start" });
}

// --- tokens -----------------------------------------------------------------------------------------------

async function onCreateToken(event) {
  event.preventDefault();
  $("token-error").textContent = "";
  const reusable = $("token-reusable").checked;
  const request = { reusable, ephemeral: $("token-ephemeral").checked };
  const uses = $("token-uses").value.trim();
  if (reusable && uses) request.uses = Number(uses);
  const expires = $("token-expires").value.trim();
  if (expires) request.expires = expires;
  const tags = $("token-tags").value.split(/[\s,]+/).filter(Boolean);
  if (tags.length) request.tags = tags;
  try {
    const created = await api.createToken(request);
    showSecret(created);
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return showLogin("The session ended; log in again.");
    $("token-error").textContent = `The token was not created: ${e.message}`;
  }
}

function showSecret(created) {
  $("token-created-id").textContent = created.id;
  $("token-secret").textContent = created.secret;
  $("token-copied").textContent = "";
  $("token-created").hidden = false;
  $("token-created").focus();
}

function hideSecret() {
  $("token-secret").textContent = "";
  $("token-created-id").textContent = "";
  $("token-created").hidden = true;
}

async function copySecret() {
  const text = $("token-secret").textContent;
  try {
    await navigator.clipboard.writeText(text);
    $("token-copied").textContent = "Copied.";
  } catch {
    // no clipboard over plain http: select it for Ctrl-C instead
    const range = document.createRange();
    range.selectNodeContents($("token-secret"));
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    $("token-copied").textContent = "Selected: press Ctrl-C to copy.";
  }
}

async function revoke(id) {
  if (!window.confirm(`Revoke token ${id}? Nodes can no longer join with it.`)) return;
  try {
    await api.revokeToken(id);
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return showLogin("The session ended; log in again.");
    $("token-error").textContent = `Token ${id} was not revoked: ${e.message}`;
  }
}

// --- wiring -----------------------------------------------------------------------------------------------

function wireForms() {
  $("login-form").addEventListener("submit", onLogin);
  $("logout").addEventListener("click", onLogout);
  $("token-form").addEventListener("submit", onCreateToken);
  $("token-reusable").addEventListener("change", (e) => {
    $("token-uses").disabled = !e.target.checked;
  });
  $("token-copy").addEventListener("click", copySecret);
  $("token-hide").addEventListener("click", () => {
    hideSecret();
    $("token-form").querySelector("button").focus();
  });
  $("graph-fit").addEventListener("click", () => graph && graph.fit());
  $("graph-layout").addEventListener("click", () => graph && graph.layout());
}

start();
