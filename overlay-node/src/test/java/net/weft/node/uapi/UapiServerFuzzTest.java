package net.weft.node.uapi;

import static net.weft.node.uapi.UapiTexts.hex;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random and garbled requests against a running {@link UapiServer}: every connection ends with
 * nothing but well-formed answers, and the server still answers {@code get=1} correctly afterwards.
 * Seeded, so a failure replays ({@code -Dweft.uapi.fuzz.seed=N}).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class UapiServerFuzzTest {

    private static final int CASES = 2000;
    private static final long SEED = Long.getLong("weft.uapi.fuzz.seed", 0x5eed_ba5eL);
    /** One client's whole conversation; a case that takes longer fails. */
    private static final Duration CASE_TIMEOUT = Duration.ofSeconds(15);
    private static final UapiLimits LIMITS = new UapiLimits(1024, 64 * 1024, 4096, 8,
            Duration.ofSeconds(2), Duration.ofSeconds(2));
    /** Zero or more answers: optional key=value lines, then errno and the blank line. */
    private static final Pattern ANSWERS = Pattern.compile("(?:(?:[a-z_]+=[^\\n]*\\n)*errno=(?:0|-22)\\n\\n)*");

    private static final List<String> KEYS = List.of("private_key", "listen_port", "fwmark", "replace_peers",
            "public_key", "remove", "update_only", "preshared_key", "endpoint", "persistent_keepalive_interval",
            "replace_allowed_ips", "allowed_ip", "protocol_version", "errno", "get", "set", "rx_bytes");

    @TempDir
    Path tmp;

    @Test
    void randomRequestsAreAnsweredOrClosedAndTheServerLivesOn() throws Exception {
        InMemoryConfigurable device = new InMemoryConfigurable();
        Random random = new Random(SEED);
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor();
        int answered = 0;
        int refused = 0;
        try (UapiServer server = new UapiServer(tmp, "wgfuzz0", device, LIMITS)) {
            for (int i = 0; i < CASES; i++) {
                byte[] input = generate(random);
                String reply = converse(server.socketPath(), input, watchdog);
                assertThat(ANSWERS.matcher(reply).matches())
                        .as("case %d (seed %d): %d bytes in, reply not well-formed: %s", i, SEED, input.length,
                                abbreviate(reply))
                        .isTrue();
                answered += count(reply, "errno=0\n");
                refused += count(reply, "errno=-22\n");
            }

            AsciiOutput out = new AsciiOutput();
            GetResponseEncoder.encode(device.status(), out);
            String expected = StandardCharsets.US_ASCII.decode(out.buffer()).toString() + "errno=0\n\n";
            try (UapiClient client = new UapiClient(server.socketPath())) {
                assertThat(client.request("get=1\n\n")).isEqualTo(expected);
            }
            assertThat(server.openConnections()).isLessThanOrEqualTo(1);
        } finally {
            watchdog.shutdownNow();
        }
        System.err.printf("UapiServerFuzzTest: %d cases (seed %d): %d answers errno=0, %d errno=-22, %d updates applied%n",
                CASES, SEED, answered, refused, device.appliedCount());
        // the generator must reach both sides of the parser
        assertThat(answered).isGreaterThan(CASES / 10);
        assertThat(refused).isGreaterThan(CASES / 10);
        assertThat(device.appliedCount()).isGreaterThan(CASES / 20);
    }

    /** Sends everything, closes our side, and reads until the server closes; all of it within the case timeout. */
    private static String converse(Path socket, byte[] input, ScheduledExecutorService watchdog) throws Exception {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(socket));
            ScheduledFuture<?> timeout = watchdog.schedule(() -> {
                try {
                    channel.close();
                } catch (IOException e) {
                    // closing is all we wanted
                }
            }, CASE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    ByteBuffer buffer = ByteBuffer.wrap(input);
                    while (buffer.hasRemaining()) {
                        channel.write(buffer);
                    }
                    channel.shutdownOutput();
                } catch (IOException e) {
                    // the server may close before it has read everything
                }
            });
            ByteArrayOutputStream reply = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(65536);
            try {
                while (channel.read(buffer.clear()) >= 0) {
                    reply.write(buffer.array(), 0, buffer.position());
                }
            } catch (IOException e) {
                // a reset after the server closed with unread input: the same as closing
                assertThat(channel.isOpen()).as("the server took longer than %s", CASE_TIMEOUT).isTrue();
            }
            assertThat(timeout.cancel(false)).as("the server took longer than %s", CASE_TIMEOUT).isTrue();
            writer.join(CASE_TIMEOUT);
            return reply.toString(StandardCharsets.ISO_8859_1);
        } finally {
            channel.close();
        }
    }

    private static byte[] generate(Random random) {
        return switch (random.nextInt(10)) {
            case 0 -> randomBytes(random, random.nextInt(2048));
            case 1 -> ("set=1\n" + randomLines(random) + "\n").getBytes(StandardCharsets.ISO_8859_1);
            case 2, 3 -> mutate(random, validRequests(random));
            case 4 -> (validRequest(random) + randomLines(random) + "\n" + validRequest(random))
                    .getBytes(StandardCharsets.ISO_8859_1);
            case 5 -> oversized(random);
            default -> validRequests(random);
        };
    }

    private static byte[] validRequests(Random random) {
        StringBuilder sb = new StringBuilder();
        for (int n = 1 + random.nextInt(3); n > 0; n--) {
            sb.append(validRequest(random));
        }
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String validRequest(Random random) {
        if (random.nextInt(4) == 0) {
            return "get=1\n\n";
        }
        StringBuilder sb = new StringBuilder("set=1\n");
        if (random.nextBoolean()) {
            sb.append("private_key=").append(randomHexKey(random)).append('\n');
        }
        if (random.nextBoolean()) {
            sb.append("listen_port=").append(random.nextInt(65536)).append('\n');
        }
        if (random.nextInt(4) == 0) {
            sb.append("fwmark=").append(Integer.toUnsignedString(random.nextInt())).append('\n');
        }
        if (random.nextInt(8) == 0) {
            sb.append("replace_peers=true\n");
        }
        for (int p = random.nextInt(4); p > 0; p--) {
            // few distinct peers, so that requests also change and remove existing ones
            sb.append("public_key=").append(hex(1 + random.nextInt(16))).append('\n');
            switch (random.nextInt(8)) {
                case 0 -> sb.append("remove=true\n");
                case 1 -> sb.append("update_only=true\n");
                default -> { }
            }
            if (random.nextBoolean()) {
                sb.append("preshared_key=").append(random.nextInt(3) == 0 ? hex(0) : randomHexKey(random)).append('\n');
            }
            if (random.nextBoolean()) {
                sb.append("endpoint=").append(random.nextBoolean()
                        ? "203.0.113." + random.nextInt(256) + ":" + random.nextInt(65536)
                        : "[fd00:64::" + Integer.toHexString(random.nextInt(65536)) + "]:" + random.nextInt(65536))
                        .append('\n');
            }
            if (random.nextBoolean()) {
                sb.append("persistent_keepalive_interval=").append(random.nextInt(65536)).append('\n');
            }
            if (random.nextInt(3) == 0) {
                sb.append("replace_allowed_ips=true\n");
            }
            for (int a = random.nextInt(4); a > 0; a--) {
                sb.append("allowed_ip=").append(random.nextBoolean()
                        ? "100.64." + random.nextInt(256) + "." + random.nextInt(256) + "/" + random.nextInt(33)
                        : "fd00:64::" + Integer.toHexString(random.nextInt(65536)) + "/" + random.nextInt(129))
                        .append('\n');
            }
            if (random.nextBoolean()) {
                sb.append("protocol_version=1\n");
            }
        }
        return sb.append('\n').toString();
    }

    private static String randomLines(Random random) {
        StringBuilder sb = new StringBuilder();
        for (int n = random.nextInt(12); n > 0; n--) {
            String key = KEYS.get(random.nextInt(KEYS.size()));
            String value = switch (random.nextInt(6)) {
                case 0 -> randomHexKey(random);
                case 1 -> Integer.toString(random.nextInt());
                case 2 -> "true";
                case 3 -> "203.0.113.1:" + random.nextInt(100_000);
                case 4 -> "";
                default -> new String(randomBytes(random, random.nextInt(40)), StandardCharsets.ISO_8859_1)
                        .replace('\n', '=');
            };
            sb.append(random.nextInt(20) == 0 ? key.toUpperCase() : key);
            if (random.nextInt(20) != 0) {
                sb.append('=');
            }
            sb.append(value).append('\n');
        }
        return sb.toString();
    }

    /** Byte flips, insertions of the protocol's own separators, deletions and duplications. */
    private static byte[] mutate(Random random, byte[] input) {
        byte[] bytes = input.clone();
        for (int m = 1 + random.nextInt(4); m > 0 && bytes.length > 0; m--) {
            int at = random.nextInt(bytes.length);
            bytes = switch (random.nextInt(5)) {
                case 0 -> {
                    bytes[at] = (byte) random.nextInt(256);
                    yield bytes;
                }
                case 1 -> insert(bytes, at, new byte[] {(byte) "\n=[]:/%\u0000".charAt(random.nextInt(8))});
                case 2 -> delete(bytes, at, 1 + random.nextInt(Math.min(16, bytes.length - at)));
                case 3 -> insert(bytes, at, Arrays.copyOfRange(bytes, at,
                        at + random.nextInt(Math.min(64, bytes.length - at) + 1)));
                default -> Arrays.copyOf(bytes, at);
            };
        }
        return bytes;
    }

    private static byte[] oversized(Random random) {
        return switch (random.nextInt(3)) {
            case 0 -> ("set=1\nendpoint=" + "9".repeat(1024 + random.nextInt(4096)) + "\n\n")
                    .getBytes(StandardCharsets.ISO_8859_1);
            case 1 -> ("set=1\n" + "protocol_version=1\n".repeat(4096 + random.nextInt(100)) + "\n")
                    .getBytes(StandardCharsets.ISO_8859_1);
            default -> ("set=1\npublic_key=" + hex(1) + "\n"
                    + ("allowed_ip=100.64.0.1/32\n".repeat(100) + "allowed_ip=fd00:64::1/128\n".repeat(60))
                    .repeat(1 + random.nextInt(40)) + "\n").getBytes(StandardCharsets.ISO_8859_1);
        };
    }

    private static String randomHexKey(Random random) {
        return HexFormat.of().formatHex(randomBytes(random, 32));
    }

    private static byte[] randomBytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static byte[] insert(byte[] bytes, int at, byte[] what) {
        byte[] out = new byte[bytes.length + what.length];
        System.arraycopy(bytes, 0, out, 0, at);
        System.arraycopy(what, 0, out, at, what.length);
        System.arraycopy(bytes, at, out, at + what.length, bytes.length - at);
        return out;
    }

    private static byte[] delete(byte[] bytes, int at, int n) {
        byte[] out = new byte[bytes.length - n];
        System.arraycopy(bytes, 0, out, 0, at);
        System.arraycopy(bytes, at + n, out, at, bytes.length - at - n);
        return out;
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    private static String abbreviate(String s) {
        return s.length() <= 400 ? s : s.substring(0, 200) + " ... " + s.substring(s.length() - 200);
    }
}
