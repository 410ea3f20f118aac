package net.weft.coordinator.auth;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;
import java.lang.reflect.Method;
import net.weft.coordinator.api.Problems;
import net.weft.coordinator.cluster.ClusterStore;
import net.weft.coordinator.cluster.NodeRecord;

/**
 * Authenticates every call to a resource method before its body is read. Fails closed: a route without
 * one of the three route annotations is refused to everyone.
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
        String credential = bearer(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        if (credential == null) {
            request.abortWith(Problems.unauthorized());
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
