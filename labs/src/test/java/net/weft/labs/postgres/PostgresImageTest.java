package net.weft.labs.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.testcontainers.postgresql.PostgreSQLContainer;

class PostgresImageTest {

    private static final String READY = "database system is ready to accept connections";

    @Test
    void freshClusterHasTheRequestedUserAndDatabaseAndStoresJson() throws SQLException {
        long begin = System.nanoTime();
        try (PostgreSQLContainer pg = WeftPostgres.start()) {
            System.err.printf("%s started in %d ms%n", WeftPostgres.IMAGE, (System.nanoTime() - begin) / 1_000_000);
            assertThat(pg.getJdbcUrl()).startsWith("jdbc:postgresql://localhost:");
            try (Connection db = DriverManager.getConnection(pg.getJdbcUrl(), pg.getUsername(), pg.getPassword())) {
                assertThat(queryRow(db, "SELECT current_user, current_database(), current_setting('server_encoding'),"
                        + " current_setting('lc_collate')")).containsExactly("weft", "weft", "UTF8", "C.UTF-8");
                assertThat(db.getMetaData().getDatabaseMajorVersion()).isEqualTo(15);

                try (Statement s = db.createStatement()) {
                    s.execute("CREATE TABLE documents (id text PRIMARY KEY, body jsonb NOT NULL)");
                }
                // jsonb's own text form, so what comes back must be equal character for character
                Map<String, String> rows = new LinkedHashMap<>();
                rows.put("gw-use1-a", "{\"name\": \"gw-use1-a\", \"tags\": [\"gateway\", \"aws\"], \"priority\": 200}");
                rows.put("zürich", "{\"name\": \"zürich — ☃\", \"quote\": \"it's \\\"quoted\\\"\"}");
                try (PreparedStatement insert = db.prepareStatement("INSERT INTO documents (id, body) VALUES (?, ?::jsonb)")) {
                    for (Map.Entry<String, String> row : rows.entrySet()) {
                        insert.setString(1, row.getKey());
                        insert.setString(2, row.getValue());
                        insert.addBatch();
                    }
                    assertThat(insert.executeBatch()).containsExactly(1, 1);
                }
                Map<String, String> read = new LinkedHashMap<>();
                try (Statement s = db.createStatement();
                        ResultSet rs = s.executeQuery("SELECT id, body::text FROM documents ORDER BY id")) {
                    while (rs.next()) {
                        read.put(rs.getString(1), rs.getString(2));
                    }
                }
                assertThat(read).isEqualTo(rows);
                assertThat(queryRow(db, "SELECT body->>'name' FROM documents WHERE body @> '{\"tags\": [\"gateway\"]}'"))
                        .containsExactly("gw-use1-a");
            }
        }
    }

    @Test
    void aWrongPasswordIsRefusedOverTheNetwork() {
        try (PostgreSQLContainer pg = WeftPostgres.start()) {
            assertThatThrownBy(() -> DriverManager.getConnection(pg.getJdbcUrl(), pg.getUsername(), "not-" + pg.getPassword()).close())
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("28P01"));
        }
    }

    @Test
    void dataSurvivesANewContainerOnTheSameVolume() throws SQLException {
        String volume = "weft-pg-test-" + WeftPostgres.randomPassword().substring(0, 12);
        String password = WeftPostgres.randomPassword();
        try {
            try (PostgreSQLContainer first = WeftPostgres.start(WeftPostgres.container(volume, password));
                    Connection db = DriverManager.getConnection(first.getJdbcUrl(), first.getUsername(), first.getPassword());
                    Statement s = db.createStatement()) {
                assertThat(first.getLogs()).contains("cluster created");
                s.execute("CREATE TABLE kept (k text PRIMARY KEY, v jsonb NOT NULL)");
                s.execute("INSERT INTO kept VALUES ('node-1', '{\"online\": true}')");
            }
            try (PostgreSQLContainer second = WeftPostgres.start(WeftPostgres.container(volume, password));
                    Connection db = DriverManager.getConnection(second.getJdbcUrl(), second.getUsername(), second.getPassword())) {
                assertThat(second.getLogs()).doesNotContain("cluster created");
                assertThat(second.getLogs().split(READY, -1)).hasSize(2); // ready once: no initialising server
                assertThat(queryRow(db, "SELECT v::text FROM kept WHERE k = 'node-1'")).containsExactly("{\"online\": true}");
            }
        } finally {
            WeftPostgres.removeVolume(volume);
        }
    }

    private static String[] queryRow(Connection db, String sql) throws SQLException {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).as("a row from %s", sql).isTrue();
            String[] row = new String[rs.getMetaData().getColumnCount()];
            for (int i = 0; i < row.length; i++) {
                row[i] = rs.getString(i + 1);
            }
            return row;
        }
    }
}
