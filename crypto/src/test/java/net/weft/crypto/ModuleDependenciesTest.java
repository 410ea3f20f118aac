package net.weft.crypto;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.weft.crypto.noise.Handshake;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module arrow of DESIGN.md for {@code crypto/}: its main classes use only the JDK and Bouncy
 * Castle, and every one of its packages has a {@code package-info.java} (STYLE.md, item 10).
 */
class ModuleDependenciesTest {

    private static final String CRYPTO = "net.weft.crypto";

    private static final ArchRule ONLY_JDK_AND_BOUNCY_CASTLE = classes()
            .that().resideInAPackage(CRYPTO + "..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "javax..", "org.bouncycastle..", CRYPTO + "..")
            .because("crypto/ may depend only on the JDK and Bouncy Castle (DESIGN.md, module arrows)");

    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        // DO_NOT_INCLUDE_TESTS recognises only the conventional output folders (target/test-classes),
        // and the build folder may be renamed (-Dweft.buildDir), so the import is also limited to the
        // folder or jar the main classes were loaded from.
        URL mainLocation = Protocol.class.getProtectionDomain().getCodeSource().getLocation();
        main = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importUrl(mainLocation);
    }

    @Test
    void importHoldsTheMainClassesAndNoTests() {
        assertThat(main.contain(Handshake.class)).isTrue();
        assertThat(main.contain(Protocol.class)).isTrue();
        assertThat(main.contain(ModuleDependenciesTest.class)).isFalse();
        assertThat(main.stream().map(JavaClass::getSimpleName)).noneMatch(n -> n.endsWith("Test"));
    }

    @Test
    void mainClassesDependOnlyOnTheJdkAndBouncyCastle() {
        ONLY_JDK_AND_BOUNCY_CASTLE.check(main);
    }

    @Test
    void theRuleCatchesAForeignDependency() {
        // this test class uses JUnit, AssertJ and ArchUnit: the rule must object to it
        JavaClasses self = new ClassFileImporter().importClasses(ModuleDependenciesTest.class);
        assertThatThrownBy(() -> ONLY_JDK_AND_BOUNCY_CASTLE.check(self))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("org.junit");
    }

    private static Path mainSources() {
        // surefire sets basedir to the module folder, which is also its working directory
        Path module = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
        Path sources = module.resolve("src/main/java");
        assertThat(sources.resolve("net/weft/crypto")).as("crypto main sources").isDirectory();
        return sources;
    }

    @Test
    void everyPackageWithClassesHasAPackageInfo() {
        Path sources = mainSources();
        Set<String> packages = main.stream()
                .map(JavaClass::getPackageName)
                .filter(p -> p.equals(CRYPTO) || p.startsWith(CRYPTO + "."))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(packages).contains(CRYPTO, CRYPTO + ".noise", CRYPTO + ".primitive");
        List<String> missing = packages.stream()
                .filter(p -> !Files.isRegularFile(sources.resolve(p.replace('.', '/')).resolve("package-info.java")))
                .toList();
        assertThat(missing).as("packages without package-info.java").isEmpty();
    }

    @Test
    void everySourceFolderWithJavaFilesHasAPackageInfo() throws IOException {
        Path root = mainSources().resolve("net/weft/crypto");
        List<Path> missing;
        try (Stream<Path> dirs = Files.walk(root)) {
            missing = dirs.filter(Files::isDirectory)
                    .filter(ModuleDependenciesTest::holdsJavaFiles)
                    .filter(d -> !Files.isRegularFile(d.resolve("package-info.java")))
                    .toList();
        }
        assertThat(missing).as("source folders without package-info.java").isEmpty();
    }

    private static boolean holdsJavaFiles(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(".java"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
