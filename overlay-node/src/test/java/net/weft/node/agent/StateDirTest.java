package net.weft.node.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import net.weft.crypto.key.PrivateKey;
import net.weft.topology.map.NetworkMap;
import net.weft.topology.map.Self;
import net.weft.topology.model.IpPrefix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateDirTest {

    @TempDir
    Path tmp;

    @Test
    void theKeyIsCreatedOnceWithMode0600AndReadBack() throws IOException {
        StateDir d = new StateDir(tmp.resolve("state"));
        PrivateKey k = d.loadOrCreateKey();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(d.keyFile()))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(d.path()))).isEqualTo("rwx------");
        assertThat(d.loadOrCreateKey().publicKey()).isEqualTo(k.publicKey());
        assertThat(Files.readString(d.keyFile()).strip()).hasSize(44);
    }

    @Test
    void theIdentityIsSecretAndItsCredentialNeverPrinted() throws IOException {
        StateDir d = new StateDir(tmp);
        StateDir.Identity id = new StateDir.Identity("n1", "host", "n1.s3cr3t", List.of("http://203.0.113.10:8080"), "weft0", 51820);
        d.saveIdentity(id);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(d.identityFile()))).isEqualTo("rw-------");
        assertThat(d.identity()).contains(id);
        assertThat(id.toString()).doesNotContain("s3cr3t");
    }

    @Test
    void theMapRoundTripsAndABrokenFileIsAClearError() throws IOException {
        StateDir d = new StateDir(tmp);
        assertThat(d.lastMap()).isEmpty();
        NetworkMap m = new NetworkMap(7, new Self("n1", "h", List.of(IpPrefix.parse("100.64.0.1/32")), 1280, List.of()), List.of());
        d.saveMap(m);
        assertThat(d.lastMap()).contains(m);
        Files.writeString(d.mapFile(), "{not json");
        assertThatThrownBy(d::lastMap).isInstanceOf(IOException.class).hasMessageContaining("map.json");
        try (var files = Files.list(tmp)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    @Test
    void aKeyFileThatIsNotAKeyIsRefused() throws IOException {
        StateDir d = new StateDir(tmp);
        Files.writeString(d.keyFile(), "not a key\n");
        assertThatThrownBy(d::loadOrCreateKey).isInstanceOf(IOException.class).hasMessageContaining("node.key");
    }
}
