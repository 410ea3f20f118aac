package net.weft.coordinator.auth;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;
import net.weft.coordinator.cluster.ClusterStore;
import net.weft.coordinator.config.WeftConfig;
import net.weft.coordinator.service.WeftException;
import org.jboss.logging.Logger;

/**
 * The dashboard's sessions. The dashboard trades the admin credential (checked like a bearer one, in constant
 * time) for a session: a fresh random id ({@link Secrets#newSecret()}, 256 bits) that goes to the browser once, in
 * an {@code HttpOnly} cookie, while the cluster keeps only its hash with the expiry (soft state, so every member
 * accepts it and it ends by itself). Logins are rate-limited per source address like joins.
 */
@ApplicationScoped
public class Sessions {

    /** The session cookie's name. */
    public static final String COOKIE = "weft_session";
    /** The header every dashboard call that is not a GET carries, with the value {@value #CSRF_VALUE}. */
    public static final String CSRF_HEADER = "X-Weft-Request";
    public static final String CSRF_VALUE = "dashboard";

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final Logger LOG = Logger.getLogger(Sessions.class);

    @Inject
    ClusterStore store;

    @Inject
    AdminCredential admin;

    @Inject
    JoinRateLimiter limiter;

    @Inject
    WeftConfig config;

    Clock clock = Clock.systemUTC();

    /** A new session: its id, which exists nowhere else, and when it ends. */
    public record Session(String id, Instant expiresAt) {
        @Override
        public String toString() {
            return "Session[<redacted>, expiresAt=" + expiresAt + "]";
        }
    }

    /**
     * Logs the dashboard in.
     *
     * @param credential what the user pasted
     * @param source     the address the request came from, for the rate limit
     * @throws WeftException TOKEN_REFUSED (the uniform 401) unless {@code credential} is the admin credential,
     *                       RATE_LIMITED after too many attempts from {@code source}
     */
    public Session login(String credential, String source) {
        if (!limiter.tryAcquire("login " + source)) {
            throw new WeftException(WeftException.Kind.RATE_LIMITED, "too many logins from " + source + "; try again later");
        }
        if (credential == null || credential.length() > 512 || !admin.matches(credential.strip())) {
            LOG.infof("dashboard login from %s refused", source);
            throw new WeftException(WeftException.Kind.TOKEN_REFUSED, "not the admin credential");
        }
        String id = Secrets.newSecret();
        Instant expiresAt = clock.instant().plus(config.dashboard().sessionTtl());
        store.putSession(keyOf(id), expiresAt);
        LOG.infof("dashboard login from %s, session until %s", source, expiresAt);
        return new Session(id, expiresAt);
    }

    /**
     * The key a session is stored under: its id's hash; null when {@code id} cannot be a session id (so a
     * malformed cookie costs no lookup).
     */
    public static String keyOf(String id) {
        return id == null || !ID.matcher(id).matches() ? null : Secrets.hashText(Secrets.hash(id));
    }

    /** When the session stored under {@code key} ends; empty when it has ended or never was. */
    public Optional<Instant> expiry(String key) {
        return key == null ? Optional.empty() : store.session(key);
    }

    /** Ends the session stored under {@code key} (logout), on every member. */
    public void end(String key) {
        if (key != null) {
            store.dropSession(key);
        }
    }
}
