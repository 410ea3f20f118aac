package net.weft.topology;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

/** topology is a pure library: JDK, crypto and Jackson only; never Netty, Quarkus or Hazelcast. */
class ArchitectureTest {

    static final JavaClasses MAIN = new ClassFileImporter()
            // the predefined DO_NOT_INCLUDE_TESTS only knows target/test-classes; builds here may use target-*/
            .withImportOption(location -> !location.contains("/test-classes/"))
            .importPackages("net.weft.topology");

    @Test
    void mainClassesDependOnlyOnJdkCryptoAndJackson() {
        classes().that().resideInAPackage("net.weft.topology..")
                .should().onlyDependOnClassesThat().resideInAnyPackage(
                        "java..", "net.weft.topology..", "net.weft.crypto..", "com.fasterxml.jackson..")
                .check(MAIN);
    }

    @Test
    void neverTouchesNettyQuarkusOrHazelcast() {
        noClasses().that().resideInAPackage("net.weft.topology..")
                .should().dependOnClassesThat().resideInAnyPackage("io.netty..", "io.quarkus..", "com.hazelcast..")
                .check(MAIN);
    }

    @Test
    void everyPackageHasADocumentedPackageInfo() {
        for (String p : new String[]{"model", "spec", "ipam", "routing", "map", "trie", "wire", "testing"}) {
            String name = "net.weft.topology." + p + ".package-info";
            org.assertj.core.api.Assertions.assertThat(ArchitectureTest.class.getClassLoader()
                    .getResource(name.replace('.', '/') + ".class"))
                    .as(name).isNotNull();
        }
    }
}
