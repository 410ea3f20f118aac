// Calls to the coordinator's API with the session cookie. Writes carry the header the coordinator asks of
// every write through a dashboard session (its CSRF defence beside SameSite=Strict).

const WRITE_HEADER = { "X-Weft-Request": "dashboard" };

/** An API call failed; status 401 means the session is gone. */
export class ApiError extends Error {
  constructor(status, detail) {
    super(detail || `HTTP ${status}`);
    this.status = status;
  }
}

async function call(method, path, body) {
  const headers = { Accept: "application/json" };
  if (method !== "GET") Object.assign(headers, WRITE_HEADER);
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: "same-origin",
    cache: "no-store",
  });
  if (response.status === 204) return null;
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!response.ok) {
    // problem details: the detail says what was wrong, never echoing a secret
    throw new ApiError(response.status, json && (json.detail || json.title));
  }
  return json;
}

export const api = {
  /** Trades the admin credential for a session cookie. */
  login: (credential) => call("POST", "/api/v1/session", { credential }),
  session: () => call("GET", "/api/v1/session"),
  logout: () => call("DELETE", "/api/v1/session"),
  topology: () => call("GET", "/api/v1/topology"),
  peers: (nodeId) => call("GET", `/api/v1/nodes/${encodeURIComponent(nodeId)}/peers`),
  createToken: (request) => call("POST", "/api/v1/tokens", request),
  revokeToken: (id) => call("DELETE", `/api/v1/tokens/${encodeURIComponent(id)}`),
};

/**
 * Follows GET /api/v1/events: onSnapshot with the whole picture, onDelta per change, onState with "live",
 * "reconnecting" or "closed" (the browser gave up: the session may be gone). Returns a function that stops it.
 */
export function follow({ onSnapshot, onDelta, onState }) {
  const source = new EventSource("/api/v1/events", { withCredentials: true });
  source.addEventListener("open", () => onState("live"));
  source.addEventListener("snapshot", (e) => onSnapshot(JSON.parse(e.data)));
  source.addEventListener("delta", (e) => onDelta(JSON.parse(e.data)));
  source.addEventListener("error", () => onState(source.readyState === EventSource.CLOSED ? "closed" : "reconnecting"));
  return () => source.close();
}
