package net.weft.coordinator;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

/** The coordinator's arrows: never the node; Hazelcast only in the cluster package; resources stay thin. */
class ArchitectureTest {

    static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(location -> !location.contains("/test-classes/"))
            .importPackages("net.weft.coordinator");

    @Test
    void neverImportsTheNode() {
        noClasses().that().resideInAPackage("net.weft.coordinator..")
                .should().dependOnClassesThat().resideInAnyPackage("net.weft.node..", "io.netty.channel.epoll..")
                .check(MAIN);
    }

    @Test
    void onlyTheClusterPackageTouchesHazelcastOrJdbc() {
        noClasses().that().resideInAPackage("net.weft.coordinator..")
                .and().resideOutsideOfPackage("net.weft.coordinator.cluster..")
                .should().dependOnClassesThat().resideInAnyPackage("com.hazelcast..", "java.sql..", "io.agroal..")
                .check(MAIN);
    }

    @Test
    void servicesDoNotKnowHttp() {
        noClasses().that().resideInAPackage("net.weft.coordinator.service..")
                .should().dependOnClassesThat().resideInAnyPackage("jakarta.ws.rs..", "io.vertx..")
                .check(MAIN);
    }

    @Test
    void everyPackageHasADocumentedPackageInfo() {
        for (String p : new String[]{"api", "service", "cluster", "config", "auth"}) {
            String name = "net.weft.coordinator." + p + ".package-info";
            assertThat(getClass().getClassLoader().getResource(name.replace('.', '/') + ".class")).as(name).isNotNull();
        }
    }
}
