package net.weft.coordinator.auth;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;
import java.lang.reflect.Method;
import net.weft.coordinator.api.Problems;
import net.weft.coordinator.cluster.ClusterStore;
import net.weft.coordinator.cluster.NodeRecord;

/**
 * Authenticates every call to a resource method before its body is read. Fails closed: a route without
 * one of the three route annotations is refused to everyone. A call without an {@code Authorization} header may
 * come from the dashboard: its session cookie counts as the admin on {@link DashboardRoute}s only, and a write
 * through it needs {@link Sessions#CSRF_HEADER} too.
 */
@Provider
@Priority(Priorities.AUTHENTICATION)
public class AuthFilter implements ContainerRequestFilter {

    private static final String BEARER = "Bearer ";

    @Context
    ResourceInfo resource;

    @Inject
    AdminCredential admin;

    @Inject
    ClusterStore store;

    @Inject
    Caller caller;

    @Inject
    Sessions sessions;

    @Override
    public void filter(ContainerRequestContext request) {
        Method m = resource.getResourceMethod();
        if (m == null) {
            return; // no resource matched: the 404 or 405 that follows reveals nothing
        }
        boolean adminRoute = annotated(m, AdminRoute.class);
        boolean nodeRoute = annotated(m, NodeRoute.class);
        if (annotated(m, TokenRoute.class)) {
            if (request.getLength() == 0 || !request.hasEntity()) {
                request.abortWith(Problems.unauthorized());
            }
            return;
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        String credential = bearer(header);
        if (credential == null) {
            Cookie session = header == null ? request.getCookies().get(Sessions.COOKIE) : null;
            if (session != null) {
                viaSession(request, m, adminRoute, session.getValue());
            } else {
                request.abortWith(Problems.unauthorized());
            }
            return;
        }
        if (admin.matches(credential)) {
            if (!adminRoute) {
                request.abortWith(Problems.forbidden("this route is for nodes, not for the admin"));
                return;
            }
            caller.setAdmin();
            return;
        }
        String nodeId = Credentials.nodeIdOf(credential);
        NodeRecord node = nodeId == null || nodeId.length() > 64 ? null : store.node(nodeId).orElse(null);
        if (node == null || node.expired() || !Secrets.matches(Credentials.secretOf(credential), node.credentialHash())) {
            request.abortWith(Problems.unauthorized());
            return;
        }
        if (!nodeRoute) {
            request.abortWith(Problems.forbidden("this route needs the admin credential"));
            return;
        }
        caller.setNode(node.id());
    }

    /** A call with the dashboard's session cookie and no {@code Authorization} header. */
    private void viaSession(ContainerRequestContext request, Method m, boolean adminRoute, String sessionId) {
        String key = Sessions.keyOf(sessionId);
        if (sessions.expiry(key).isEmpty()) {
            request.abortWith(Problems.unauthorized());
            return;
        }
        if (!adminRoute || !annotated(m, DashboardRoute.class)) {
            request.abortWith(Problems.forbidden("the dashboard's session does not reach this route; call it with"
                    + " Authorization: Bearer <admin credential>"));
            return;
        }
        if (!HttpMethod.GET.equals(request.getMethod())
                && !Sessions.CSRF_VALUE.equals(request.getHeaderString(Sessions.CSRF_HEADER))) {
            request.abortWith(Problems.forbidden("a write through the dashboard's session needs the header "
                    + Sessions.CSRF_HEADER + ": " + Sessions.CSRF_VALUE));
            return;
        }
        caller.setAdminSession(key);
    }

    private static boolean annotated(Method m, Class<? extends java.lang.annotation.Annotation> a) {
        return m.isAnnotationPresent(a) || m.getDeclaringClass().isAnnotationPresent(a);
    }

    /** The credential of an {@code Authorization: Bearer} header, or null. */
    private static String bearer(String header) {
        if (header == null || header.length() <= BEARER.length() || header.length() > 512
                || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        String c = header.substring(BEARER.length()).strip();
        return c.isEmpty() ? null : c;
    }
}
