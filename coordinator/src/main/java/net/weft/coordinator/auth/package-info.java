/**
 * Who is calling. Every route under {@code /api/v1} is marked {@link net.weft.coordinator.auth.AdminRoute},
 * {@link net.weft.coordinator.auth.NodeRoute} or {@link net.weft.coordinator.auth.TokenRoute};
 * {@link net.weft.coordinator.auth.AuthFilter} refuses a call to an unmarked route, answers 401 with one
 * uniform body to any call without a valid credential, and 403 to a valid credential of the wrong kind.
 * Secrets ({@link net.weft.coordinator.auth.Secrets}: 32 random bytes, base64url) are kept only as
 * SHA-256 hashes and compared with {@link java.security.MessageDigest#isEqual}. The admin credential
 * ({@link net.weft.coordinator.auth.AdminCredential}) is generated on first start; a node credential reads
 * {@code NODE_ID.SECRET}, so the node's identity comes from the credential alone. Joins are rate-limited
 * per source address ({@link net.weft.coordinator.auth.JoinRateLimiter}).
 *
 * <p>The dashboard trades the admin credential for a session ({@link net.weft.coordinator.auth.Sessions}): a
 * random id in an {@code HttpOnly}, {@code SameSite=Strict} cookie (also {@code Secure} over https), of which the
 * cluster keeps only the hash and the expiry. The cookie counts as the admin on routes marked
 * {@link net.weft.coordinator.auth.DashboardRoute} only, and a write through it must also carry
 * {@code X-Weft-Request: dashboard}. The credential never goes into a URL or the browser's storage.
 */
package net.weft.coordinator.auth;
