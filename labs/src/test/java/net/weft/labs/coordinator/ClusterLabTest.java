package net.weft.labs.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * Three real coordinators, each its own JVM, one Hazelcast cluster, one PostgreSQL; member 2 dies (SIGKILL)
 * while joins, deletes and token creations go on at members 1 and 3:
 *
 * <pre>
 *            HTTP :h1          HTTP :h2           HTTP :h3
 *   test ─▶ member 1 ◀─TCP─▶ member 2 ◀─TCP─▶ member 3       Hazelcast on 127.0.0.1:z1,z2,z3 (listed one by one)
 *              │    ◀──────────TCP──────────▶    │            maps written through to
 *              └──────────── PostgreSQL ─────────┘            PostgreSQL (Testcontainers)
 *   streams: node n0 on member 3 (kept), node n1 on member 2 (killed, resumed on member 1 with since=)
 * </pre>
 *
 * Nothing acknowledged is lost, the stream on member 3 keeps its deltas, and the stream lost with member 2
 * resumes on member 1 from the last version it received.
 */
@Timeout(240)
class ClusterLabTest {

    private static final Duration START = Duration.ofSeconds(90);
    private static final Duration SETTLE = Duration.ofSeconds(45);

    /** What the test saw acknowledged, and what it cannot know (a request that failed without an answer). */
    private final Set<String> joined = ConcurrentHashMap.newKeySet();
    private final Set<String> deleted = ConcurrentHashMap.newKeySet();
    private final Set<String> tokens = ConcurrentHashMap.newKeySet();
    private final List<String> uncertain = new CopyOnWriteArrayList<>();
    /** Node ids and credentials by hostname. */
    private final Map<String, String> nodeIds = new ConcurrentHashMap<>();
    private final Map<String, String> credentials = new ConcurrentHashMap<>();

    @Test
    void aMemberKilledLosesNothingAndItsStreamsResumeElsewhere() throws Exception {
        try (PostgreSQLContainer pg = CoordinatorProcess.postgres("ClusterLabTest")) {
            int[] hz = {CoordinatorProcess.freePort(), CoordinatorProcess.freePort(), CoordinatorProcess.freePort()};
            String clusterName = "weft-cluster-lab-" + UUID.randomUUID();
            java.nio.file.Path dir = CoordinatorProcess.labDir("cluster");
            List<CoordinatorProcess> members = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    Map<String, String> s = new HashMap<>();
                    s.put("db.kind", "postgresql");
                    s.put("db.url", pg.getJdbcUrl());
                    s.put("db.user", pg.getUsername());
                    s.put("db.password", pg.getPassword());
                    s.put("cluster.name", clusterName);
                    s.put("cluster.bind", "127.0.0.1");
                    s.put("cluster.port", Integer.toString(hz[i]));
                    List<String> others = new ArrayList<>();
                    for (int j = 0; j < 3; j++) {
                        if (j != i) {
                            others.add("127.0.0.1:" + hz[j]);
                        }
                    }
                    s.put("cluster.members", String.join(",", others));
                    // member 1 forms the cluster at once; 2 and 3 find it and join
                    s.put("cluster.join-wait", i == 0 ? "0s" : "3s");
                    s.put("join.burst", "100000");
                    s.put("join.per-minute", "100000");
                    members.add(CoordinatorProcess.start("member" + (i + 1), CoordinatorProcess.freePort(),
                            dir.resolve("member" + (i + 1)), s));
                    if (i == 0) {
                        members.getFirst().awaitReady(START); // the first member makes the admin credential, alone
                    }
                }
                CoordinatorProcess m1 = members.get(0);
                CoordinatorProcess m2 = members.get(1);
                CoordinatorProcess m3 = members.get(2);
                m2.awaitReady(START);
                m3.awaitReady(START);
                String admin = m1.adminCredentialFile();
                assertThat(admin).as("member 1's admin credential").isNotBlank();
                for (CoordinatorProcess m : members) {
                    until(SETTLE, m.name + " sees 3 members", () -> status(m, admin), st -> st != null && st.get("members").asInt() == 3);
                }

                // tokens and joins spread over the members, round robin
                JsonNode reusable = m1.createToken(admin, Map.of("reusable", true));
                tokens.add(reusable.get("id").asText());
                String secret = reusable.get("secret").asText();
                for (int i = 0; i < 3; i++) {
                    JsonNode single = members.get(i).createToken(admin, Map.of());
                    tokens.add(single.get("id").asText());
                    join(members.get((i + 1) % 3), single.get("secret").asText(), "single-" + i);
                }
                for (int i = 0; i < 9; i++) {
                    join(members.get(i % 3), secret, "n" + i);
                }
                assertThat(joined).hasSize(12);
                assertThat(uncertain).isEmpty();

                // n0's stream on member 3 (kept), n1's on member 2 (lost with it)
                MapStream s3 = m3.openStream(credentials.get("n0"), null);
                MapStream s2 = m2.openStream(credentials.get("n1"), null);
                try {
                    s3.awaitVersion(mapVersion(m3, "n0"), SETTLE, "n0's stream on member 3");
                    s2.awaitVersion(mapVersion(m2, "n1"), SETTLE, "n1's stream on member 2");
                    join(m1, secret, "before-kill");
                    long versionBeforeKill = mapVersion(m1, "n0");
                    s3.awaitVersion(versionBeforeKill, SETTLE, "n0's stream on member 3 after a join on member 1");
                    s2.awaitVersion(mapVersion(m1, "n1"), SETTLE, "n1's stream on member 2 after a join on member 1");
                    long lastOnMember2 = s2.lastVersion();

                    // changes go on at members 1 and 3 (a worker each, concurrently) before, during and after
                    // member 2's death, until the survivors agree it is gone and some more changes have been made
                    AtomicInteger done = new AtomicInteger();
                    AtomicBoolean stop = new AtomicBoolean();
                    List<Throwable> workerFailure = new CopyOnWriteArrayList<>();
                    List<Thread> workers = new ArrayList<>();
                    Map<CoordinatorProcess, List<String>> toDelete = Map.of(m1, List.of("n2", "n3", "single-0"),
                            m3, List.of("n4", "n5", "n6"));
                    toDelete.forEach((at, initial) -> workers.add(Thread.ofPlatform().name("changes at " + at.name).start(() -> {
                        try {
                            Deque<String> deletable = new ArrayDeque<>(initial);
                            for (int i = 0; !stop.get() && i < 2000; i++) {
                                String name = "during-" + at.name + "-" + i;
                                if (i % 4 == 1 && !deletable.isEmpty()) {
                                    delete(at, admin, deletable.removeFirst());
                                } else if (i % 4 == 3) {
                                    createToken(at, admin, name);
                                } else {
                                    join(at, secret, name);
                                    if (joined.contains(name) && i % 3 == 0) {
                                        deletable.addLast(name);
                                    }
                                }
                                done.incrementAndGet();
                            }
                        } catch (Throwable t) {
                            workerFailure.add(t);
                        }
                    })));
                    Supplier<Boolean> working = () -> workers.stream().allMatch(Thread::isAlive);
                    int beforeKill;
                    int duringFailover;
                    Duration failover;
                    try {
                        until(SETTLE, "the first changes", done::get, n -> n >= 6 || !working.get());
                        beforeKill = done.get();
                        Instant killed = Instant.now();
                        m2.kill();
                        until(SETTLE, "member 1 sees 2 members", () -> status(m1, admin), st -> st != null && st.get("members").asInt() == 2);
                        until(SETTLE, "member 3 sees 2 members", () -> status(m3, admin), st -> st != null && st.get("members").asInt() == 2);
                        duringFailover = done.get() - beforeKill;
                        failover = Duration.between(killed, Instant.now());
                        int target = done.get() + 8;
                        until(SETTLE, "8 changes after the failover", done::get, n -> n >= target || !working.get());
                    } finally {
                        stop.set(true);
                        for (Thread w : workers) {
                            w.join(Duration.ofSeconds(60));
                        }
                    }
                    assertThat(workers).as("the workers stopped").noneMatch(Thread::isAlive);
                    assertThat(workerFailure).isEmpty();
                    System.err.println("cluster lab: changes before the kill " + beforeKill
                            + ", until both survivors saw 2 members (" + failover.toMillis() + " ms) " + duringFailover
                            + ", in all " + done.get() + "; without an answer: " + uncertain);
                    assertThat(done.get()).as("changes after the kill").isGreaterThanOrEqualTo(beforeKill + 8);

                    // no node and no token lost, on either survivor
                    Set<String> expectedNodes = new TreeSet<>(joined);
                    expectedNodes.removeAll(deleted);
                    for (CoordinatorProcess m : List.of(m1, m3)) {
                        Set<String> listed = hostnames(m.get("/api/v1/nodes", admin).expect(200).json());
                        Set<String> certain = new TreeSet<>(listed);
                        certain.removeAll(uncertain);
                        Set<String> expected = new TreeSet<>(expectedNodes);
                        expected.removeAll(uncertain);
                        assertThat(certain).as("nodes listed by " + m.name).isEqualTo(expected);
                        Set<String> listedTokens = ids(m.get("/api/v1/tokens", admin).expect(200).json());
                        assertThat(listedTokens).as("tokens listed by " + m.name).containsAll(tokens);
                    }
                    assertThat(ids(m1.get("/api/v1/tokens", admin).expect(200).json()))
                            .isEqualTo(ids(m3.get("/api/v1/tokens", admin).expect(200).json()));
                    assertThat(hostnames(m1.get("/api/v1/nodes", admin).expect(200).json()))
                            .isEqualTo(hostnames(m3.get("/api/v1/nodes", admin).expect(200).json()));

                    // the stream on member 3 got the later joins as deltas
                    join(m3, secret, "after-kill");
                    long now = mapVersion(m1, "n0");
                    s3.awaitVersion(now, SETTLE, "n0's stream on member 3 after the kill");
                    assertThat(s3.events().getFirst().name()).isEqualTo("full");
                    assertThat(s3.events().subList(1, s3.events().size())).as("events after the first: " + s3.summary())
                            .isNotEmpty().allMatch(e -> e.name().equals("delta"));
                    assertThat(s3.events()).anyMatch(e -> e.version() > versionBeforeKill && e.name().equals("delta"));
                    assertThat(s3.ended()).as("n0's stream on member 3").isNull();

                    // the stream lost with member 2 resumes on member 1 from the last version it had
                    try (MapStream resumed = m1.openStream(credentials.get("n1"), lastOnMember2)) {
                        resumed.awaitVersion(mapVersion(m1, "n1"), SETTLE, "n1's stream resumed on member 1 since "
                                + lastOnMember2);
                        assertThat(resumed.status()).isEqualTo(200);
                        assertThat(resumed.events()).allMatch(e -> e.version() > lastOnMember2);
                    }
                } finally {
                    s3.close();
                    s2.close();
                }
            } catch (AssertionError | Exception e) {
                for (CoordinatorProcess m : members) {
                    System.err.println("==== " + m.name + " log (" + m.log + "):\n" + m.logText());
                }
                throw e;
            } finally {
                members.forEach(CoordinatorProcess::close);
            }
        }
    }

    private void join(CoordinatorProcess at, String token, String hostname) {
        try {
            CoordinatorProcess.Answer a = at.join(token, hostname);
            if (a.status() == 200) {
                JsonNode r = a.json();
                nodeIds.put(hostname, r.get("nodeId").asText());
                credentials.put(hostname, r.get("nodeCredential").asText());
                joined.add(hostname);
            } else if (a.status() >= 500) {
                uncertain.add(hostname);
            } else {
                throw new AssertionError("join of " + hostname + " at " + at.name + ": " + a.status() + " " + a.body());
            }
        } catch (IOException e) {
            uncertain.add(hostname);
        }
    }

    private void delete(CoordinatorProcess at, String admin, String hostname) {
        try {
            CoordinatorProcess.Answer a = at.delete("/api/v1/nodes/" + nodeIds.get(hostname), admin);
            if (a.status() == 204) {
                deleted.add(hostname);
            } else if (a.status() >= 500) {
                uncertain.add(hostname);
            } else {
                throw new AssertionError("delete of " + hostname + " at " + at.name + ": " + a.status() + " " + a.body());
            }
        } catch (IOException e) {
            uncertain.add(hostname);
        }
    }

    private void createToken(CoordinatorProcess at, String admin, String what) {
        try {
            CoordinatorProcess.Answer a = at.post("/api/v1/tokens", admin, Map.of("tags", List.of(what)));
            if (a.status() == 201) {
                tokens.add(a.json().get("id").asText());
            } else if (a.status() < 500) {
                throw new AssertionError("token " + what + " at " + at.name + ": " + a.status() + " " + a.body());
            }
            // a token made without an answer is never used: whether it exists does not matter here
        } catch (IOException e) {
            // as above
        }
    }

    /** The version of node {@code hostname}'s current map, asked at {@code at}. */
    private long mapVersion(CoordinatorProcess at, String hostname) throws IOException {
        return at.get("/api/v1/map", credentials.get(hostname)).expect(200).json().get("version").asLong();
    }

    private static JsonNode status(CoordinatorProcess m, String admin) {
        try {
            CoordinatorProcess.Answer a = m.get("/api/v1/status", admin);
            return a.status() == 200 ? a.json() : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static Set<String> hostnames(JsonNode nodes) {
        Set<String> out = new TreeSet<>();
        nodes.forEach(n -> out.add(n.get("hostname").asText()));
        return out;
    }

    private static Set<String> ids(JsonNode array) {
        Set<String> out = new TreeSet<>();
        array.forEach(n -> out.add(n.get("id").asText()));
        return out;
    }

    /** Asks until the answer passes, or fails with the last answer at the deadline. */
    private static <T> T until(Duration timeout, String what, Supplier<T> attempt, java.util.function.Predicate<T> done) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            T answer = attempt.get();
            if (done.test(answer)) {
                return answer;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not within " + timeout + ": " + what + "; last seen: " + answer);
            }
            CoordinatorProcess.pause(200);
        }
    }
}
