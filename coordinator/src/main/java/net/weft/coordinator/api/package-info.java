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
