package net.weft.coordinator.api;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import net.weft.topology.map.CanonicalJson;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A request whose declared length is over {@code quarkus.http.limits.max-body-size} gets a 413 problem detail.
 * Quarkus refuses such a request on the router (order -2) with an empty 413 before any JAX-RS mapper sees it;
 * this route runs just before that one and answers the same status with a body, closing the connection the
 * same way (the body is never read).
 */
@ApplicationScoped
public class BodyLimit {

    /** Before Quarkus's own limit route (order -2). */
    static final int ORDER = -3;

    void install(@Observes Router router,
                 @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize limit) {
        long max = limit.asLongValue();
        byte[] body = CanonicalJson.toBytes(new Problem(Problems.TYPE_BASE + "too-large", "Payload Too Large", 413,
                "the request body is larger than " + max + " bytes", null));
        router.route().order(ORDER).handler(ctx -> {
            String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            long declared;
            try {
                declared = length == null ? -1 : Long.parseLong(length.strip());
            } catch (NumberFormatException e) {
                declared = -1; // Vert.x refuses a malformed length itself
            }
            if (declared <= max) {
                ctx.next();
                return;
            }
            ctx.response().setStatusCode(413).putHeader(HttpHeaders.CONTENT_TYPE, Problems.MEDIA_TYPE)
                    .putHeader(HttpHeaders.CONNECTION, "close").end(Buffer.buffer(body));
        });
    }
}
