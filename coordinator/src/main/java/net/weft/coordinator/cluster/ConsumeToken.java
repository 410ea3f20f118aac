package net.weft.coordinator.cluster;

import com.hazelcast.map.EntryProcessor;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

/**
 * Uses a join token once. Runs on the member owning the token's partition, which runs the processors of
 * one key one after the other, so two joins never both take a token's last use; the new value is written
 * through to the database and to the backups before the caller hears the outcome. The time comes from the
 * caller, so the backup applies the same decision.
 */
final class ConsumeToken implements EntryProcessor<String, String, TokenConsumption> {

    private static final long serialVersionUID = 1L;

    private final byte[] hash;
    private final long nowMillis;

    ConsumeToken(byte[] hash, Instant now) {
        this.hash = hash.clone();
        this.nowMillis = now.toEpochMilli();
    }

    @Override
    public TokenConsumption process(Map.Entry<String, String> entry) {
        TokenRecord t = StoreJson.read(entry.getValue(), TokenRecord.class);
        if (t == null || !MessageDigest.isEqual(Base64.getUrlDecoder().decode(t.hash()), hash)) {
            return new TokenConsumption(TokenConsumption.Outcome.UNKNOWN, null);
        }
        if (t.expiresAt() != null && !Instant.ofEpochMilli(nowMillis).isBefore(t.expiresAt())) {
            return new TokenConsumption(TokenConsumption.Outcome.EXPIRED, null);
        }
        if ((!t.reusable() && t.used() > 0) || (t.usesLeft() != null && t.usesLeft() <= 0)) {
            return new TokenConsumption(TokenConsumption.Outcome.USED_UP, null);
        }
        String after = StoreJson.write(t.consumed());
        entry.setValue(after);
        return new TokenConsumption(TokenConsumption.Outcome.CONSUMED, after);
    }
}
