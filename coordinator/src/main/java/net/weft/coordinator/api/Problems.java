package net.weft.coordinator.api;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.List;
import net.weft.topology.map.CanonicalJson;

/** Builds problem-detail responses; the one place their types and the uniform 401 are defined. */
public final class Problems {

    /** The media type of problem details. */
    public static final String MEDIA_TYPE = "application/problem+json";
    /** Where problem types live. */
    public static final String TYPE_BASE = "https://weft.dev/problems/";

    /** The one body every unauthenticated call gets, whatever was missing or wrong. */
    private static final byte[] UNAUTHORIZED = CanonicalJson.toBytes(new Problem(TYPE_BASE + "unauthorized",
            "Unauthorized", 401, "a valid credential is required: Authorization: Bearer <credential>"
            + " (for /api/v1/join, a valid join token in the body)", null));

    private Problems() {
    }

    /** The uniform 401. */
    public static Response unauthorized() {
        return Response.status(401).type(MEDIA_TYPE).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"weft\"")
                .entity(UNAUTHORIZED.clone()).build();
    }

    /** 403: a valid credential of the wrong kind. */
    public static Response forbidden(String detail) {
        return of(403, "forbidden", "Forbidden", detail, null);
    }

    /** A problem response. */
    public static Response of(int status, String type, String title, String detail, List<String> problems) {
        return Response.status(status).type(MEDIA_TYPE)
                .entity(CanonicalJson.toBytes(new Problem(TYPE_BASE + type, title, status, detail,
                        problems == null || problems.isEmpty() ? null : problems)))
                .build();
    }
}
