package net.weft.coordinator.api;

import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import net.weft.coordinator.auth.AdminRoute;
import net.weft.coordinator.auth.Caller;
import net.weft.coordinator.auth.DashboardRoute;
import net.weft.coordinator.auth.Sessions;
import net.weft.coordinator.auth.TokenRoute;
import net.weft.coordinator.service.DashboardService;
import net.weft.coordinator.service.WeftException;

/** The dashboard's session: log in with the admin credential, see the session, log out. */
@Path("/api/v1/session")
@Produces(MediaType.APPLICATION_JSON)
public class SessionResource {

    @Inject
    Sessions sessions;

    @Inject
    Caller caller;

    @Inject
    DashboardService dashboard;

    @Context
    HttpServerRequest http;

    @Context
    UriInfo uri;

    /** Trades the admin credential for a session cookie; the uniform 401 for anything else. */
    @POST
    @TokenRoute
    @Consumes(MediaType.APPLICATION_JSON)
    public Response login(LoginRequest request) {
        if (request == null || request.credential() == null) {
            throw new WeftException(WeftException.Kind.TOKEN_REFUSED, "no credential");
        }
        Sessions.Session s = sessions.login(request.credential(), Sources.of(http));
        long maxAge = Math.max(1, Duration.between(Instant.now(), s.expiresAt()).toSeconds());
        return Response.ok(Map.of("expiresAt", s.expiresAt().toString()))
                .cookie(cookie(s.id(), (int) Math.min(Integer.MAX_VALUE, maxAge))).build();
    }

    /** The session in force: when it ends (a caller with the credential itself has none: {@code "session":false}). */
    @GET
    @AdminRoute
    @DashboardRoute
    public Map<String, Object> get() {
        String key = caller.sessionKey();
        return key == null ? Map.of("session", false)
                : sessions.expiry(key).<Map<String, Object>>map(at -> Map.of("session", true, "expiresAt", at.toString()))
                        .orElse(Map.of("session", false));
    }

    /** Logs out: the session ends on every member, its streams close, the cookie is cleared. */
    @DELETE
    @AdminRoute
    @DashboardRoute
    public Response logout() {
        sessions.end(caller.sessionKey());
        dashboard.poke();
        return Response.noContent().cookie(cookie("", 0)).build();
    }

    /** The session cookie: HttpOnly, SameSite=Strict, for the whole site, Secure when the request came over https. */
    private NewCookie cookie(String value, int maxAge) {
        return new NewCookie.Builder(Sessions.COOKIE).value(value).path("/").maxAge(maxAge).httpOnly(true)
                .secure("https".equalsIgnoreCase(uri.getRequestUri().getScheme()))
                .sameSite(NewCookie.SameSite.STRICT).build();
    }
}
