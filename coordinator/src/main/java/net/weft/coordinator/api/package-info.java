/**
 * The REST API, JSON under {@code /api/v1}; thin resources over the services. The OpenAPI document is at
 * {@code /q/openapi}. Every failure is an RFC 7807 problem detail ({@code application/problem+json}:
 * {@code type}, {@code title}, {@code status}, {@code detail}, and {@code problems} for an invalid spec).
 * JSON is topology's canonical form: properties sorted, absent values left out, keys base64 as {@code wg}
 * prints them; unknown fields in a request are refused. Request bodies are limited to 64 KiB (413, a problem detail
 * when the length is declared: {@link net.weft.coordinator.api.BodyLimit}).
 *
 * <h2>Authentication</h2>
 * {@code Authorization: Bearer <credential>}: the admin credential (printed once at first start, saved in
 * {@code DATA_DIR/admin.credential}; clients also take it from {@code WEFT_ADMIN_CREDENTIAL}) or a node
 * credential ({@code NODE_ID.SECRET}, from the join). Without a valid credential every route answers 401
 * with one uniform body; a valid credential of the wrong kind gets 403. The join's credential is its token.
 *
 * <p>The dashboard (served at {@code /}, files under {@code META-INF/resources}) logs in with
 * {@code POST /api/v1/session} and from then on calls without the header: its session cookie {@code weft_session}
 * ({@code HttpOnly}, {@code SameSite=Strict}, {@code Path=/}, {@code Secure} over https, a random id the cluster keeps
 * only hashed, ending after {@code weft.dashboard.session-ttl}, default 8 h) stands for the admin on the routes
 * marked "dashboard" below, and only there (elsewhere 403). A call through the cookie that is not a GET must carry
 * {@code X-Weft-Request: dashboard} (else 403): with {@code SameSite=Strict} that is the CSRF defence. A request
 * with an {@code Authorization} header is judged by that header alone.
 *
 * <h2>Admin routes</h2>
 * <pre>
 * POST   /api/v1/tokens            {"reusable":false,"uses":1,"expires":"1h"|"PT1H","tags":["a"],"ephemeral":false}
 *                                  (every field optional) → 201 {"id","secret","reusable","usesLeft","used",
 *                                  "tags","ephemeral","createdAt","expiresAt"}; the secret is shown only here
 * GET    /api/v1/tokens            → 200 [{"id","reusable","usesLeft","used","tags","ephemeral","createdAt","expiresAt"}]
 * DELETE /api/v1/tokens/{id}       → 204, or 404
 * GET    /api/v1/nodes             → 200 [{"id","hostname","publicKey","addresses","tags","endpoints","observed",
 *                                  "online","expired","ephemeral","tokenId","joinedAt"}]
 * DELETE /api/v1/nodes/{id}        → 204, or 404 (out of every map, addresses freed)
 * POST   /api/v1/nodes/{id}/expire → 204, or 404 (out of every map, credential refused, addresses kept)
 * GET    /api/v1/nodes/{id}/peers  → 200 {"nodeId","reportedAt","peers":[PeerReport...]}: the node's latest per-peer
 *                                  counters (kept 3 lease lifetimes, never in the database); "peers" empty and
 *                                  no "reportedAt" when it has not reported them lately; 404 for an unknown node
 * GET    /api/v1/spec              → 200 application/yaml, or 204 when none is set
 * PUT    /api/v1/spec              application/yaml body → 204, or 400 with "problems": ["file:line: subject: path: message", ...]
 * GET    /api/v1/status            → 200 {"version","members","nodes","online","expired","tokens","streams","protocolVersion"}
 * GET    /api/v1/topology          → 200 what the dashboard shows (DashboardView.Snapshot): {"version","at",
 *                                  "network":{"name","ipv4","ipv6","mtu"},
 *                                  "nodes":[{"id","hostname","addresses","tags","endpoints","observed","roles","reachable",
 *                                  "region","online","expired","ephemeral","joinedAt","relay","homeRelay","gatewayOf",
 *                                  "rxBytes","txBytes","reportedAt","tunnelsUp"}] (counters summed over the node's latest
 *                                  per-peer report; absent without one),
 *                                  "links":[{"a","b","kind":"direct"|"relay"|"backbone","cost","tunnel",
 *                                  "lastHandshakeMillis"}] (peer pairs of the maps, a &lt; b, and the spec's backbone
 *                                  links; only backbone links, and "tunnelsOmitted":true, above 200 nodes),
 *                                  "onRamps":[{"name","provider","region","vpc","cidrs","snat","active","targets",
 *                                  "gateways":[{"node","priority","joined","online","healthy","healthyAt"}]}],
 *                                  "tokens":[{"id","reusable","usesLeft","used","tags","ephemeral","createdAt","expiresAt"}],
 *                                  "members":[{"address","local","oldest"}]}
 * GET    /api/v1/events            → text/event-stream: event "snapshot" (the topology above) first, then an event
 *                                  "delta" {"version","at","nodes":{"put":[node...],"removed":[id...]},"links",
 *                                  "tunnelsOmitted","onRamps","tokens","members","network"} whenever something changed
 *                                  (each part only when it changed; at most about once a second, at once after a
 *                                  network change), a comment line after 15 s of quiet; event ids count up per
 *                                  connection's member. A stream opened through a session ends with the session.
 * </pre>
 *
 * <h2>Dashboard routes</h2>
 * Taking the session cookie besides the admin credential: {@code GET /api/v1/topology}, {@code GET /api/v1/events},
 * {@code GET /api/v1/nodes}, {@code GET /api/v1/nodes/{id}/peers}, {@code GET /api/v1/status},
 * {@code GET|POST /api/v1/tokens}, {@code DELETE /api/v1/tokens/{id}}, and the session's own:
 * <pre>
 * POST   /api/v1/session           {"credential":"ADMIN CREDENTIAL"} (no Authorization header) → 200 {"expiresAt"} and
 *                                  Set-Cookie weft_session=...; the uniform 401 for anything but the admin credential;
 *                                  429 (Retry-After) when the source tries too often (the join's rate limit)
 * GET    /api/v1/session           → 200 {"session":true,"expiresAt"} through the cookie, {"session":false} with the
 *                                  credential itself
 * DELETE /api/v1/session           → 204, the session ended on every member (its event streams close) and the cookie
 *                                  cleared (Max-Age=0)
 * </pre>
 *
 * <h2>Node routes</h2>
 * <pre>
 * POST /api/v1/join        topology's JoinRequest {"protocolVersion":1,"token","publicKey","hostname","endpoints":["192.0.2.7:51820"]}
 *                          → 200 JoinResponse {"protocolVersion","nodeId","addresses":["100.64.0.1/32","fd..::1/128"],
 *                          "nodeCredential","map":NetworkMap}; 401 for a token unknown, expired or used up;
 *                          409 for a public key already in use; 429 (Retry-After) when the source joins too often
 * GET  /api/v1/map         → 200 NetworkMap {"version","self":{...},"peers":[...]}
 * GET  /api/v1/map/stream?since=VERSION → text/event-stream: event "full" (a MapUpdate with "full") unless since is
 *                          the current version, then event "delta" (a MapUpdate with "delta") per change of this
 *                          node's map; each event's id is the version it brings
 * POST /api/v1/heartbeat   → 200 {"nodeId","leaseSeconds"}: online until the lease runs out (weft.lease.ttl); then
 *                          offline (an ephemeral node is deleted) and the maps follow; the next heartbeat brings it back
 * POST /api/v1/report      {"protocolVersion":2,"endpoints":[...],"health":[HealthReport...],"peers":[PeerReport...]}
 *                          → 200 {"nodeId","endpoints","healthReports","peerReports"}; every part optional (absent:
 *                          not reported); the report is checked whole first, so a 400 changes nothing. Endpoints
 *                          (at most 16) replace the node's; the same ones again change nothing (no new version, no
 *                          map pushed), so the agent may repeat them every 10 s.
 *                          Health: only for on-ramps the node is a gateway of (else 400), sent after every probe round
 *                          (every healthCheck.interval); a healthy verdict lapses when it is not renewed within
 *                          interval × failureThreshold + interval (checked every weft.lease.sweep-interval) and then
 *                          counts as unhealthy; a gateway offline, deleted or expired counts as unhealthy at once.
 *                          Verdicts move active gateways (a recovered one after the spec's gatewayHoldDown); a renewed
 *                          verdict only renews its time (no new version).
 *                          Peers: PeerReport {"nodeId","endpoint","rxBytes","txBytes","lastHandshakeMillis"} (0: no
 *                          handshake yet), at most 1000 (the 64 KiB body holds about 390 with IPv6 endpoints), each
 *                          peer once, counters not negative; they replace the node's previous ones, for the
 *                          dashboard only (no new version)
 * </pre>
 */
package net.weft.coordinator.api;
