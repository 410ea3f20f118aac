package net.weft.coordinator.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.stream.Collectors;
import net.weft.coordinator.cluster.StoreUnavailableException;
import net.weft.coordinator.service.WeftException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every failure of every route becomes a problem detail here. Bad input is a 4xx that names the field but
 * never echoes values (a body may carry a token); only a bug is a 500, logged with its stack.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response weft(WeftException e) {
        return switch (e.kind()) {
            case INVALID -> Problems.of(400, "invalid-request", "Invalid request", e.getMessage(), e.problems());
            case NOT_FOUND -> Problems.of(404, "not-found", "Not found", e.getMessage(), null);
            case CONFLICT -> Problems.of(409, "conflict", "Conflict", e.getMessage(), null);
            case TOKEN_REFUSED -> Problems.unauthorized();
            case RATE_LIMITED -> Response.fromResponse(Problems.of(429, "rate-limited", "Too many requests", e.getMessage(), null))
                    .header("Retry-After", "60").build();
            case UNAVAILABLE -> Problems.of(503, "unavailable", "Unavailable", e.getMessage(), null);
        };
    }

    @ServerExceptionMapper
    public Response unavailable(StoreUnavailableException e) {
        LOG.warnf("store unavailable: %s", e.getMessage());
        return Problems.of(503, "unavailable", "Unavailable", "the cluster store is unavailable; try again", null);
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e) {
        return Problems.of(400, "malformed-body", "Malformed body", describe(e), null);
    }

    /** Named apart: Quarkus REST has its own (bodiless) mapper for these, which this one overrides. */
    @ServerExceptionMapper
    public Response mismatch(MismatchedInputException e) {
        return json(e);
    }

    @ServerExceptionMapper
    public Response mapping(JsonMappingException e) {
        return json(e);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.error("request failed", e);
        }
        Throwable cause = e.getCause();
        if (status == 400 && cause instanceof JsonProcessingException j) {
            return json(j);
        }
        Response.StatusType type = Response.Status.fromStatusCode(status);
        String title = type == null ? "HTTP " + status : type.getReasonPhrase();
        return Problems.of(status, title.toLowerCase().replace(' ', '-'), title, title, null);
    }

    @ServerExceptionMapper
    public Response bug(Exception e) {
        LOG.error("unexpected failure", e);
        return Problems.of(500, "internal", "Internal error", "the coordinator failed; see its log", null);
    }

    /** What is wrong with a JSON body, by field path, without echoing any value. */
    static String describe(JsonProcessingException e) {
        if (!(e instanceof JsonMappingException m) || m.getPath().isEmpty()) {
            return "the body is not well-formed JSON";
        }
        String field = m.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
        if (e instanceof UnrecognizedPropertyException) {
            return "unknown field " + field;
        }
        if (e instanceof InvalidFormatException) {
            return "field " + field + " has an invalid value";
        }
        if (e instanceof ValueInstantiationException) {
            return "field " + field + " is missing or invalid";
        }
        if (e instanceof MismatchedInputException) {
            return "field " + field + " has the wrong type";
        }
        return "field " + field + " is invalid";
    }
}
