package net.weft.crypto.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import net.weft.crypto.Clock;
import net.weft.crypto.Protocol;
import net.weft.crypto.cookie.CookieChecker;
import net.weft.crypto.cookie.CookieGenerator;
import net.weft.crypto.key.PresharedKey;
import net.weft.crypto.key.PrivateKey;
import net.weft.crypto.message.Messages;
import net.weft.crypto.noise.Handshake;
import net.weft.crypto.noise.Keypair;
import net.weft.crypto.noise.LocalIdentity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Our WireGuard against Debian's wireguard-go, over real UDP. wireguard-go runs in a network
 * namespace of its own, on a veth address from 192.0.2.0/24 with overlay address 100.64.0.2 (see
 * {@link WireGuardGoLab} for the topology); the test JVM is its peer 100.64.0.1, speaking through
 * a plain {@link DatagramSocket} and nothing but {@code crypto/}: {@link Handshake},
 * {@link CookieGenerator} (mac1 on what we send), {@link CookieChecker} (mac1 on what we receive)
 * and {@link Keypair}, on {@link Clock#SYSTEM}. The payloads are ICMP echoes we build ourselves;
 * the kernel in wireguard-go's namespace answers them.
 *
 * <p>Each test plays a new peer (a fresh static key, which replaces wireguard-go's previous peer),
 * so no test inherits a session or handshake state from another.
 *
 * <p>Needs root and wireguard-go, wg, ip and ping ({@code ./weft test} installs them). Without them
 * the test fails, unless {@code WEFT_SKIP_ROOT_TESTS=1} says to skip it.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WireGuardGoInteropTest {

    private static final Inet4Address OUR_OVERLAY = ipv4("100.64.0.1");
    private static final Inet4Address THEIR_OVERLAY = ipv4("100.64.0.2");
    /** How long wireguard-go gets to answer: it answers in milliseconds on an idle machine. */
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(5);
    /** How long we listen to show that something does not come. */
    private static final Duration SILENCE = Duration.ofMillis(1500);
    private static final SecureRandom RANDOM = new SecureRandom();

    private static WireGuardGoLab lab;
    private static DatagramSocket socket;
    /** Why the tests are skipped ({@code WEFT_SKIP_ROOT_TESTS=1} on a machine that cannot run them), or null. */
    private static String skipReason;

    /** On a failure, wireguard-go's verbose log says what it made of our messages. */
    @RegisterExtension
    static final TestWatcher DAEMON_LOG_ON_FAILURE = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (lab != null) {
                System.err.println("---- wireguard-go log (" + lab + ") after " + context.getDisplayName() + " failed ----\n"
                        + lab.daemonLog() + "---- end of wireguard-go log ----");
            }
        }
    };

    @BeforeAll
    static void startWireGuardGo() throws IOException {
        List<String> missing = WireGuardGoLab.missingPrerequisites();
        if (!missing.isEmpty()) {
            String why = "WireGuardGoInteropTest cannot run here: " + String.join("; ", missing);
            if ("1".equals(System.getenv("WEFT_SKIP_ROOT_TESTS"))) {
                System.err.println("\n!!!!!! SKIPPING WireGuardGoInteropTest (WEFT_SKIP_ROOT_TESTS=1): " + why + "\n");
                skipReason = "WEFT_SKIP_ROOT_TESTS=1, so skipped: " + why;
                return;
            }
            fail("\n!!!!!! " + why + ".\nRun the tests as root with those tools installed (`./weft test` as root installs"
                    + " them), or set WEFT_SKIP_ROOT_TESTS=1 to skip this interop test deliberately.\n");
        }
        lab = WireGuardGoLab.start(RANDOM);
        socket = new DatagramSocket(new InetSocketAddress(lab.hostAddress(), 0));
    }

    /** Each test reports the skip itself, so that it shows in the counts and not only in the log. */
    @BeforeEach
    void skipWhenAskedTo() {
        if (skipReason != null) {
            Assumptions.abort(skipReason);
        }
    }

    @AfterAll
    static void stopWireGuardGo() {
        try {
            if (socket != null) {
                socket.close();
            }
        } finally {
            if (lab != null) {
                lab.close();
            }
        }
    }

    @Test
    void wgShowsThePublicKeyWeDeriveFromWireGuardGosPrivateKey() {
        assertThat(lab.wg("show", lab.interfaceName(), "public-key").trim()).isEqualTo(lab.publicKey().toBase64());
    }

    @Test
    void asInitiatorCompletesTheHandshakeAndDecryptsTheEchoReply() {
        Peer us = joinAsPeer(null);
        Tunnel tunnel = new Tunnel(socket, lab.endpoint(), handshakeAsInitiator(us, null));

        IcmpEcho request = echoRequest(1);
        tunnel.send(request.toPacket());

        assertThat(awaitEcho(tunnel)).isEqualTo(request.reply());
    }

    @Test
    void asResponderAnswersWireGuardGosInitiationAndDecryptsItsEchoRequest() throws Exception {
        Peer us = joinAsPeer(null);
        Handshake handshake = us.handshake(null);
        Process ping = lab.startPing(OUR_OVERLAY.getHostAddress(), 5);

        Datagram initiation = awaitHandshakeMessage(us, Messages.TYPE_INITIATION, m -> true);
        assertThat(Handshake.consumeInitiation(us.identity(), initiation.data(), 0,
                key -> key.equals(lab.publicKey()) ? handshake : null))
                .as("wireguard-go's initiation, consumed").isSameAs(handshake);
        Keypair keypair = respond(us, handshake, initiation.source());
        Tunnel tunnel = new Tunnel(socket, initiation.source(), keypair);

        IcmpEcho request = awaitEcho(tunnel);
        assertThat(request.type()).as("ICMP type of " + request).isEqualTo(IcmpEcho.ECHO_REQUEST);
        assertThat(request.source()).isEqualTo(THEIR_OVERLAY);
        assertThat(request.destination()).isEqualTo(OUR_OVERLAY);

        // answer, so that wireguard-go also decrypts what we seal as responder
        tunnel.send(request.reply().toPacket());
        assertThat(exitCode(ping)).as("ping from wireguard-go's namespace, which said:\n%s", output(ping)).isZero();
        assertThat(latestHandshake(us)).as("wireguard-go's latest handshake with us").isNotZero();
    }

    @Test
    void replayedTransportMessageGetsNoSecondReply() {
        Peer us = joinAsPeer(null);
        Tunnel tunnel = new Tunnel(socket, lab.endpoint(), handshakeAsInitiator(us, null));
        IcmpEcho first = echoRequest(1);
        byte[] message = tunnel.send(first.toPacket());
        assertThat(awaitEcho(tunnel)).isEqualTo(first.reply());

        tunnel.sendRaw(message);

        assertThat(tunnel.receiveAll(SILENCE).stream().map(WireGuardGoInteropTest::describe))
                .as("what wireguard-go sent within %s of the replayed echo request (%s)", SILENCE, tunnel.skipped())
                .isEmpty();
        // the tunnel still works: the silence was the replay filter, not a dead peer
        IcmpEcho second = echoRequest(2);
        tunnel.send(second.toPacket());
        assertThat(awaitEcho(tunnel)).isEqualTo(second.reply());
    }

    @Test
    void wrongPresharedKeyGetsNoHandshakeAsInitiatorAndTheRightOneDoes() {
        PresharedKey theirs = PresharedKey.generate(RANDOM);
        Peer us = joinAsPeer(theirs);

        // the preshared key enters only at the response, so wireguard-go answers the initiation;
        // the response cannot authenticate under our different key
        Handshake wrong = us.handshake(PresharedKey.generate(RANDOM));
        byte[] response = initiate(us, wrong);
        assertThat(wrong.consumeResponse(response, 0)).as("response consumed under the wrong preshared key").isFalse();
        assertThat(wrong.deriveKeypair()).isNull();

        // wireguard-go refuses a second initiation from one peer within the initiation rate
        pause(Protocol.HANDSHAKE_INITIATION_RATE.multipliedBy(2));
        Tunnel tunnel = new Tunnel(socket, lab.endpoint(), handshakeAsInitiator(us, theirs));
        IcmpEcho request = echoRequest(1);
        tunnel.send(request.toPacket());
        assertThat(awaitEcho(tunnel)).isEqualTo(request.reply());
    }

    @Test
    void wrongPresharedKeyGetsNoHandshakeAsResponder() throws Exception {
        Peer us = joinAsPeer(PresharedKey.generate(RANDOM));
        Handshake wrong = us.handshake(PresharedKey.generate(RANDOM));
        Process ping = lab.startPing(OUR_OVERLAY.getHostAddress(), 2);

        Datagram initiation = awaitHandshakeMessage(us, Messages.TYPE_INITIATION, m -> true);
        assertThat(Handshake.consumeInitiation(us.identity(), initiation.data(), 0,
                key -> key.equals(lab.publicKey()) ? wrong : null))
                .as("wireguard-go's initiation (the preshared key is not in it yet)").isSameAs(wrong);
        Keypair keypair = respond(us, wrong, initiation.source());
        Tunnel tunnel = new Tunnel(socket, initiation.source(), keypair);

        // had wireguard-go accepted our response, its queued echo request would follow at once
        List<byte[]> packets = tunnel.receiveAll(Duration.ofSeconds(3));
        assertThat(packets.stream().map(WireGuardGoInteropTest::describe)).as("packets from wireguard-go").isEmpty();
        assertThat(tunnel.transportMessagesForUs()).as("transport messages to our index (%s)", tunnel.skipped()).isZero();
        assertThat(exitCode(ping)).as("ping without a handshake, which said:\n%s", output(ping)).isNotZero();
        assertThat(latestHandshake(us)).as("wireguard-go's latest handshake with us").isZero();
    }

    // ---- the peer the test plays -------------------------------------------------------------------

    /**
     * The WireGuard peer this test plays: a fresh static key, mac1 checking for what we receive and
     * mac1 stamping for what we send to wireguard-go.
     */
    private record Peer(LocalIdentity identity, CookieChecker checker, CookieGenerator generator) {

        Handshake handshake(PresharedKey psk) {
            return new Handshake(identity, lab.publicKey(), psk, Clock.SYSTEM, RANDOM);
        }
    }

    /** A new peer, made wireguard-go's only peer with preshared key {@code psk} ({@code null}: none). */
    private static Peer joinAsPeer(PresharedKey psk) {
        LocalIdentity identity = LocalIdentity.of(PrivateKey.generate(RANDOM));
        try {
            lab.replacePeer(identity.publicKey(), psk, new InetSocketAddress(lab.hostAddress(), socket.getLocalPort()));
        } catch (IOException e) {
            throw new AssertionError("configuring wireguard-go's peer", e);
        }
        return new Peer(identity, new CookieChecker(identity.publicKey(), Clock.SYSTEM, RANDOM),
                new CookieGenerator(lab.publicKey(), Clock.SYSTEM));
    }

    /** Sends an initiation from {@code handshake}; returns wireguard-go's response to it (mac1 checked). */
    private static byte[] initiate(Peer us, Handshake handshake) {
        byte[] initiation = new byte[Messages.INITIATION_SIZE];
        int index = RANDOM.nextInt();
        assertThat(handshake.createInitiation(index, initiation, 0)).as("createInitiation").isTrue();
        us.generator().addMacs(initiation, 0, initiation.length);
        Datagram.send(socket, initiation, lab.endpoint());
        return awaitHandshakeMessage(us, Messages.TYPE_RESPONSE,
                m -> Messages.readInt(m, Messages.RESPONSE_RECEIVER) == index).data();
    }

    /** A complete handshake with us as initiator; returns the keypair. */
    private static Keypair handshakeAsInitiator(Peer us, PresharedKey psk) {
        Handshake handshake = us.handshake(psk);
        byte[] response = initiate(us, handshake);
        assertThat(handshake.consumeResponse(response, 0)).as("wireguard-go's response, consumed").isTrue();
        Keypair keypair = handshake.deriveKeypair();
        assertThat(keypair).isNotNull();
        return keypair;
    }

    /** Creates and sends the response to the initiation {@code handshake} consumed; returns the keypair. */
    private static Keypair respond(Peer us, Handshake handshake, InetSocketAddress to) {
        byte[] response = new byte[Messages.RESPONSE_SIZE];
        assertThat(handshake.createResponse(RANDOM.nextInt(), response, 0)).as("createResponse").isTrue();
        us.generator().addMacs(response, 0, response.length);
        Datagram.send(socket, response, to);
        Keypair keypair = handshake.deriveKeypair();
        assertThat(keypair).isNotNull();
        return keypair;
    }

    /**
     * The next handshake message of {@code type} with a valid mac1 that {@code accept} takes; fails
     * when none arrives within {@link #ANSWER_TIMEOUT}, listing what did arrive.
     */
    private static Datagram awaitHandshakeMessage(Peer us, int type, Predicate<byte[]> accept) {
        long deadline = System.nanoTime() + ANSWER_TIMEOUT.toNanos();
        StringBuilder ignored = new StringBuilder();
        for (Datagram d; (d = Datagram.receive(socket, deadline)) != null; ) {
            byte[] m = d.data();
            int got = Messages.classify(m, 0, m.length);
            if (got != type) {
                ignored.append("\n  type ").append(got).append(", ").append(m.length).append(" bytes from ").append(d.source());
            } else if (!us.checker().checkMac1(m, 0, m.length)) {
                ignored.append("\n  type ").append(got).append(" with a bad mac1 from ").append(d.source());
            } else if (!accept.test(m)) {
                ignored.append("\n  type ").append(got).append(" for another handshake from ").append(d.source());
            } else {
                return d;
            }
        }
        return fail("no handshake message of type %d from wireguard-go within %s; ignored:%s", type, ANSWER_TIMEOUT,
                ignored.isEmpty() ? " nothing" : ignored);
    }

    /** The next echo (request or reply) through {@code tunnel}; fails when none arrives in time. */
    private static IcmpEcho awaitEcho(Tunnel tunnel) {
        byte[] packet = tunnel.receive(ANSWER_TIMEOUT);
        if (packet == null) {
            return fail("no IP packet from wireguard-go within %s (%s)", ANSWER_TIMEOUT, tunnel.skipped());
        }
        return IcmpEcho.parse(packet);
    }

    private static IcmpEcho echoRequest(int sequence) {
        byte[] data = ("weft interop " + sequence + " ").repeat(4).getBytes(StandardCharsets.US_ASCII);
        return IcmpEcho.request(OUR_OVERLAY, THEIR_OVERLAY, RANDOM.nextInt(1 << 16), sequence, data);
    }

    private static String describe(byte[] packet) {
        try {
            return IcmpEcho.parse(packet).toString();
        } catch (IllegalArgumentException e) {
            return "IP packet of " + packet.length + " bytes (" + e.getMessage() + ")";
        }
    }

    /** wireguard-go's latest handshake with {@code us}, in Unix seconds; 0 for never. */
    private static long latestHandshake(Peer us) {
        String out = lab.wg("show", lab.interfaceName(), "latest-handshakes");
        for (String line : out.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 2 && f[0].equals(us.identity().publicKey().toBase64())) {
                return Long.parseLong(f[1]);
            }
        }
        return fail("our peer is missing from `wg show latest-handshakes`:\n%s", out);
    }

    // ---- processes and time --------------------------------------------------------------------------

    private static int exitCode(Process p) throws InterruptedException {
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            return fail("%s did not exit within 10 s", p.info().commandLine().orElse("a process"));
        }
        return p.exitValue();
    }

    private static String output(Process p) {
        try (InputStream in = p.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(output unreadable: " + e + ")";
        }
    }

    /** A wait the protocol prescribes (a rate limit), not one that hopes something happened. */
    private static void pause(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static Inet4Address ipv4(String address) {
        try {
            return (Inet4Address) InetAddress.getByName(address);
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
