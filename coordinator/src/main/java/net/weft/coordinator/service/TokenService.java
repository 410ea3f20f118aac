package net.weft.coordinator.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import net.weft.coordinator.auth.Secrets;
import net.weft.coordinator.cluster.ClusterStore;
import net.weft.coordinator.cluster.TokenConsumption;
import net.weft.coordinator.cluster.TokenRecord;
import net.weft.topology.spec.Durations;
import org.jboss.logging.Logger;

/** Join tokens: created with a secret shown once, listed without it, revoked, consumed by joins. */
@ApplicationScoped
public class TokenService {

    /** The longest a token may live. */
    public static final Duration MAX_LIFETIME = Duration.ofDays(366);
    public static final int MAX_USES = 1_000_000;
    public static final int MAX_TAGS = 32;
    /** A tag: a lowercase label, as in the spec. */
    public static final Pattern TAG = Pattern.compile("[a-z0-9]([a-z0-9._-]{0,61}[a-z0-9])?");
    private static final Pattern TOKEN_ID = Pattern.compile("[0-9a-f]{16}");

    private static final Logger LOG = Logger.getLogger(TokenService.class);

    @Inject
    ClusterStore store;

    Clock clock = Clock.systemUTC();

    /** A new token and its secret, which is nowhere else. */
    public record Created(TokenRecord token, String secret) {
        @Override
        public String toString() {
            return "Created[" + token + ", secret=<redacted>]";
        }
    }

    /**
     * Creates a token.
     *
     * @param reusable  null: single-use
     * @param uses      null: 1 for a single-use token, unlimited for a reusable one
     * @param expires   null: never; an ISO-8601 duration ({@code PT1H}) or the spec's form ({@code 1h})
     */
    public Created create(Boolean reusable, Integer uses, String expires, List<String> tags, Boolean ephemeral) {
        boolean multi = Boolean.TRUE.equals(reusable);
        if (uses != null && (uses < 1 || uses > MAX_USES)) {
            throw new WeftException(WeftException.Kind.INVALID, "uses must be 1.." + MAX_USES);
        }
        if (!multi && uses != null && uses != 1) {
            throw new WeftException(WeftException.Kind.INVALID, "a single-use token has 1 use; set reusable for more");
        }
        List<String> t = tags == null ? List.of() : tags.stream().distinct().sorted().toList();
        if (t.size() > MAX_TAGS) {
            throw new WeftException(WeftException.Kind.INVALID, "at most " + MAX_TAGS + " tags");
        }
        for (String tag : t) {
            if (tag == null || !TAG.matcher(tag).matches()) {
                throw new WeftException(WeftException.Kind.INVALID, "tag \"" + tag + "\" is not a lowercase label (a-z, 0-9, . _ -)");
            }
        }
        Instant now = clock.instant();
        Instant expiresAt = expires == null ? null : now.plus(lifetime(expires));
        String secret = Secrets.newSecret();
        byte[] hash = Secrets.hash(secret);
        TokenRecord token = new TokenRecord(Secrets.idOf(hash), Secrets.hashText(hash), multi,
                multi ? uses : Integer.valueOf(1), t, Boolean.TRUE.equals(ephemeral), now, expiresAt, 0);
        store.putToken(token);
        LOG.infof("token %s created (reusable=%s, uses=%s, expires=%s, tags=%s)", token.id(), multi,
                token.usesLeft(), expiresAt, t);
        return new Created(token, secret);
    }

    static Duration lifetime(String text) {
        Duration d;
        try {
            d = text.startsWith("P") || text.startsWith("p") ? Duration.parse(text) : Durations.parse(text);
        } catch (DateTimeParseException | IllegalArgumentException e) {
            throw new WeftException(WeftException.Kind.INVALID,
                    "expires \"" + text + "\" is not a duration (1h, 30m, 7d as 168h, or ISO-8601 like PT1H)");
        }
        if (d.isNegative() || d.isZero() || d.compareTo(MAX_LIFETIME) > 0) {
            throw new WeftException(WeftException.Kind.INVALID, "expires must be above 0 and at most " + MAX_LIFETIME.toDays() + " days");
        }
        return d;
    }

    /** Every token, oldest first. */
    public List<TokenRecord> list() {
        return store.tokens().stream().sorted(Comparator.comparing(TokenRecord::createdAt)
                .thenComparing(TokenRecord::id)).toList();
    }

    /** Revokes (deletes) token {@code id}. */
    public void revoke(String id) {
        if (!TOKEN_ID.matcher(id).matches() || !store.deleteToken(id)) {
            throw new WeftException(WeftException.Kind.NOT_FOUND, "no token " + (TOKEN_ID.matcher(id).matches() ? id : ""));
        }
        LOG.infof("token %s revoked", id);
    }

    /**
     * Uses the token whose secret is {@code secret} once, atomically across the cluster.
     *
     * @throws WeftException {@link WeftException.Kind#TOKEN_REFUSED} when it is unknown, expired or used up
     */
    public TokenRecord consume(String secret) {
        if (secret == null || secret.isEmpty() || secret.length() > 256) {
            throw new WeftException(WeftException.Kind.TOKEN_REFUSED, "token refused");
        }
        byte[] hash = Secrets.hash(secret);
        String id = Secrets.idOf(hash);
        TokenConsumption c = store.consumeToken(id, hash, clock.instant());
        if (c.outcome() != TokenConsumption.Outcome.CONSUMED) {
            LOG.infof("join refused: token %s %s", id, c.outcome());
            throw new WeftException(WeftException.Kind.TOKEN_REFUSED, "token refused");
        }
        return c.token();
    }
}
