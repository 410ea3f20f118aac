/**
 * Jazzer fuzz targets for everything in {@code crypto} that reads bytes from the network or text
 * from a user: message classification, mac1/mac2 and cookie replies, handshake initiations and
 * responses, message A and B of the Noise pattern, transport messages, the replay filter and key
 * parsing. Each {@code @FuzzTest} asserts that nothing but the documented outcome escapes and
 * checks cheap invariants (a changed authenticated byte is never accepted, an untouched message
 * always is).
 *
 * <p>{@code mvn test} runs every target once on its seeds ({@code <Class>Inputs/<method>/} under
 * {@code src/test/resources/net/weft/crypto/fuzz}); {@code ./weft fuzz [SECONDS]} fuzzes each target
 * for that long, one JVM per target. A crash is saved in the target's inputs folder, so it becomes a
 * regression seed; the growing corpus lives in {@code crypto/.cifuzz-corpus/} (not versioned).
 */
package net.weft.crypto.fuzz;
