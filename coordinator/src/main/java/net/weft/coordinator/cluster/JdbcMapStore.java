package net.weft.coordinator.cluster;

import com.hazelcast.map.MapStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Writes one cluster map through to one table of two columns, {@code k} (the key) and {@code v} (the value
 * as JSON text), in SQL that H2 and PostgreSQL both speak: {@code CREATE TABLE IF NOT EXISTS}, and an
 * upsert as an update followed by an insert when no row was updated (Hazelcast calls a store for a key
 * only on the member owning the key's partition, one call at a time, so the two statements do not race
 * for a key).
 */
public final class JdbcMapStore implements MapStore<String, String> {

    private static final Pattern TABLE = Pattern.compile("[a-z_]{1,40}");

    private final DataSource dataSource;
    private final String table;

    /** Creates the table when it is missing. */
    public JdbcMapStore(DataSource dataSource, String table) {
        if (!TABLE.matcher(table).matches()) {
            throw new IllegalArgumentException("bad table name " + table);
        }
        this.dataSource = dataSource;
        this.table = table;
        run(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS " + table + " (k VARCHAR(200) PRIMARY KEY, v TEXT NOT NULL)");
            }
            return null;
        });
    }

    /** The table's name. */
    public String table() {
        return table;
    }

    @Override
    public void store(String key, String value) {
        run(c -> {
            upsert(c, key, value);
            return null;
        });
    }

    @Override
    public void storeAll(Map<String, String> entries) {
        run(c -> {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                for (Map.Entry<String, String> e : entries.entrySet()) {
                    upsert(c, e.getKey(), e.getValue());
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
            return null;
        });
    }

    private void upsert(Connection c, String key, String value) throws SQLException {
        try (PreparedStatement u = c.prepareStatement("UPDATE " + table + " SET v = ? WHERE k = ?")) {
            u.setString(1, value);
            u.setString(2, key);
            if (u.executeUpdate() > 0) {
                return;
            }
        }
        try (PreparedStatement i = c.prepareStatement("INSERT INTO " + table + " (k, v) VALUES (?, ?)")) {
            i.setString(1, key);
            i.setString(2, value);
            i.executeUpdate();
        }
    }

    @Override
    public void delete(String key) {
        run(c -> {
            try (PreparedStatement d = c.prepareStatement("DELETE FROM " + table + " WHERE k = ?")) {
                d.setString(1, key);
                d.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public void deleteAll(Collection<String> keys) {
        keys.forEach(this::delete);
    }

    @Override
    public String load(String key) {
        return run(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT v FROM " + table + " WHERE k = ?")) {
                q.setString(1, key);
                try (ResultSet r = q.executeQuery()) {
                    return r.next() ? r.getString(1) : null;
                }
            }
        });
    }

    @Override
    public Map<String, String> loadAll(Collection<String> keys) {
        Map<String, String> out = new HashMap<>();
        for (String k : keys) {
            String v = load(k);
            if (v != null) {
                out.put(k, v);
            }
        }
        return out;
    }

    @Override
    public Iterable<String> loadAllKeys() {
        return run(c -> {
            List<String> keys = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT k FROM " + table)) {
                while (r.next()) {
                    keys.add(r.getString(1));
                }
            }
            return keys;
        });
    }

    /** True when a connection can be had and is valid within two seconds. */
    public boolean healthy() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    private interface Work<T> {
        T apply(Connection c) throws SQLException;
    }

    private <T> T run(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.apply(c);
        } catch (SQLException e) {
            throw new StoreUnavailableException("database " + table + ": " + e.getMessage());
        }
    }
}
