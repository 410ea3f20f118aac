package net.weft.crypto.kat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.function.ThrowingConsumer;

/**
 * Reads a Wycheproof file (C2SP/wycheproof {@code testvectors_v1}, copied to
 * {@code src/test/resources/vectors}, see {@code vectors/SOURCES.md}) from the classpath and turns
 * each vector into a dynamic test named by its {@code tcId} (a failure message names it too). A
 * last test checks that as many vectors ran as the file's {@code numberOfTests} declares, so none
 * is skipped silently.
 */
final class Wycheproof {

    private static final HexFormat HEX = HexFormat.of();

    private Wycheproof() {
    }

    /** One test vector with the group it belongs to (which carries sizes such as {@code ivSize}). */
    record Vector(JsonNode group, JsonNode test) {

        int tcId() {
            return test.get("tcId").asInt();
        }

        /** {@code valid}, {@code acceptable} or {@code invalid}. */
        String result() {
            return test.get("result").asText();
        }

        byte[] hex(String field) {
            JsonNode value = test.get(field);
            assertThat(value).as("tcId %d has field %s", tcId(), field).isNotNull();
            return HEX.parseHex(value.asText());
        }

        boolean hasFlag(String flag) {
            for (JsonNode f : test.path("flags")) {
                if (f.asText().equals(flag)) {
                    return true;
                }
            }
            return false;
        }

        String displayName() {
            return "tcId " + tcId() + " " + result() + ": " + test.path("comment").asText() + " " + test.path("flags");
        }
    }

    /**
     * One dynamic test per vector of {@code /vectors/<file>} running {@code check}, then one that
     * asserts every declared vector ran.
     */
    static Stream<DynamicTest> tests(String file, String algorithm, ThrowingConsumer<Vector> check) {
        JsonNode root = load("/vectors/" + file);
        assertThat(root.get("algorithm").asText()).isEqualTo(algorithm);
        int declared = root.get("numberOfTests").asInt();
        AtomicInteger ran = new AtomicInteger();
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode group : root.get("testGroups")) {
            for (JsonNode test : group.get("tests")) {
                Vector v = new Vector(group, test);
                tests.add(dynamicTest(v.displayName(), () -> {
                    ran.incrementAndGet();
                    try {
                        check.accept(v);
                    } catch (Throwable t) {
                        // reporters that print an index instead of the display name still show which vector failed
                        throw new AssertionError(v.displayName() + ": " + t, t);
                    }
                }));
            }
        }
        int built = tests.size();
        tests.add(dynamicTest("all " + declared + " vectors of " + file + " ran", () -> {
            assertThat(built).as("vectors found in the file").isEqualTo(declared);
            assertThat(ran.get()).as("vectors run").isEqualTo(declared);
        }));
        return tests.stream();
    }

    private static JsonNode load(String resource) {
        try (InputStream in = Wycheproof.class.getResourceAsStream(resource)) {
            assertThat(in).as("classpath resource %s", resource).isNotNull();
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
