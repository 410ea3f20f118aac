package net.weft.labs.dashboard;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.AriaRole;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.weft.labs.mesh.MeshLab;
import net.weft.labs.mesh.MeshNode;
import net.weft.labs.mesh.MeshSpec;
import net.weft.labs.mesh.NatSite;
import net.weft.labs.mesh.Vpc;
import net.weft.labs.netns.Poll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An admin watches the mesh on the dashboard, in Debian's headless Chromium driven by Playwright: the real
 * coordinator and real agents ({@code ./weft up}) in network namespaces, the browser on this host (through the lab's
 * host link to 203.0.113.10, or inside the coordinator's namespace when another lab holds that link).
 *
 * <pre>
 *   browser (host) -- 203.0.113.1 --+-- coordinator 203.0.113.10:8080
 *                                   +-- relay, gw-a (priority 200), gw-b (100)    wan 203.0.113.0/24
 *                                   +-- nat-a: site-a, later site-b (198.51.100.0/27)
 *   gw-a, gw-b --- dash-vpc 198.18.0.0/24 (HTTP workload .10, the on-ramp's health target)
 * </pre>
 *
 * <p>The admin logs in with the keyboard, sees the four nodes online and gw-a active for the on-ramp, creates a
 * token in the page (its secret shown once), joins site-b with that very token and sees it appear without a
 * reload, then kills gw-a's agent and sees gw-b become the active gateway, and logs out. Screenshots go to
 * {@code labs/<buildDir>/screenshots/} ({@code dashboard.png} is the README's). Every wait is bounded.
 */
class DashboardBrowserLabTest {

    static final String ON_RAMP = "dash-vpc";
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final List<String> CHROMIUM_ARGS = List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage");
    static final Duration AGENT_UP = Duration.ofSeconds(90);
    /** How long the page may take to show a change (events are pushed at once; an agent reports every few seconds). */
    static final double PAGE_WAIT_MS = 60_000;
    static final double FAILOVER_WAIT_MS = 90_000;

    @BeforeAll
    static void requireRootAndChromium() {
        net.weft.labs.mesh.MeshLabs.requireLab("DashboardBrowserLabTest", Files.isExecutable(CHROMIUM) ? List.of()
                : List.of(CHROMIUM + " is missing (apt-get install chromium; ./weft test installs it)"));
    }

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void anAdminSeesTheMeshCreatesATokenAndWatchesAJoinAndAFailoverLive() throws Exception {
        MeshLab.Options options = MeshLab.Options.defaults()
                .withCoordinatorEnv(Map.of("WEFT_LEASE_SWEEP_INTERVAL", "250ms"));
        assertThat(missingJars(options)).as("packaged coordinator and node under %s (build them first: mvn "
                + "-Dweft.buildDir=%s -pl coordinator,overlay-node,labs -am package -DskipTests)", options.repoRoot(),
                options.buildDir()).isEmpty();
        Path shots = screenshotDir();
        try (MeshLab lab = MeshLab.create(options)) {
            MeshNode relay = lab.publicNode("relay");
            MeshNode gwA = lab.publicNode("gw-a");
            MeshNode gwB = lab.publicNode("gw-b");
            NatSite nat = lab.natSite("nat-a");
            MeshNode siteA = lab.nodeBehind(nat, "site-a");
            MeshNode siteB = lab.nodeBehind(nat, "site-b");
            Vpc vpc = lab.vpc(ON_RAMP);
            vpc.attach(gwA);
            vpc.attach(gwB);
            System.out.println(lab.diagram());

            lab.writeSpec(MeshSpec.network("dash", "10s")
                    .withNode("relay", true, "relay")
                    .withNode("gw-a", true, "gateway")
                    .withNode("gw-b", true, "gateway")
                    .withNode("site-a", false, "member")
                    .withNode("site-b", false, "member")
                    .withOnRamp(new MeshSpec.OnRampDecl(ON_RAMP, vpc.cidr(), List.of(new MeshSpec.GatewayDecl("gw-a", 200),
                            new MeshSpec.GatewayDecl("gw-b", 100)), true, List.of(vpc.workloadTarget()), "500ms", 2))
                    .toYaml());
            lab.startCoordinator(Duration.ofSeconds(120));
            String agentToken = lab.createToken(4, "1h");
            for (MeshNode n : List.of(relay, gwA, gwB, siteA)) {
                n.up(agentToken, AGENT_UP);
            }
            // the API says gw-a serves the on-ramp before the browser looks
            Poll.until(Duration.ofSeconds(60), "gw-a active for " + ON_RAMP + " (GET /api/v1/topology)",
                    () -> lab.adminGet("/api/v1/topology"), a -> a.ok() && a.body().contains("\"active\":\"gw-a\""));
            String credential = Files.readString(lab.adminCredentialFile()).strip();

            try (Playwright playwright = Playwright.create(new Playwright.CreateOptions()
                    .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
                 Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                         .setExecutablePath(browserFor(lab)).setHeadless(true).setArgs(CHROMIUM_ARGS));
                 BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1440, 900))) {
                PlaywrightAssertions.setDefaultAssertionTimeout(PAGE_WAIT_MS);
                Page page = context.newPage();
                List<String> pageErrors = new CopyOnWriteArrayList<>();
                page.onPageError(pageErrors::add);
                AtomicInteger loads = new AtomicInteger();
                page.onLoad(p -> loads.incrementAndGet());
                try {
                    watch(page, lab, relay, gwA, gwB, siteA, siteB, credential, shots, loads);
                } catch (AssertionError | PlaywrightException e) {
                    page.screenshot(new Page.ScreenshotOptions().setPath(shots.resolve("failure.png")).setFullPage(true));
                    throw new AssertionError(e.getMessage() + "\n(screenshot " + shots.resolve("failure.png")
                            + "; coordinator log:)\n" + MeshLab.tail(lab.coordinatorLog(), 40), e);
                }
                assertThat(pageErrors).as("uncaught errors in the page").isEmpty();
            }
            lab.deleteFilesOnClose(true);
        }
    }

    /** The admin's session, step by step. */
    private static void watch(Page page, MeshLab lab, MeshNode relay, MeshNode gwA, MeshNode gwB, MeshNode siteA,
                              MeshNode siteB, String credential, Path shots, AtomicInteger loads) throws IOException {
        // log in with the keyboard: the page puts the focus on the credential field
        page.navigate(lab.dashboardUrl());
        Locator field = page.getByLabel("Admin credential");
        assertThat(field).isFocused();
        page.keyboard().insertText(credential);
        page.keyboard().press("Enter");
        assertThat(page.locator("#live-status")).hasAttribute("data-state", "live");
        assertThat(field).isHidden();
        assertThat(page.locator("body")).not().containsText(credential);

        // the nodes, online, and the on-ramp with gw-a active
        for (MeshNode n : List.of(relay, gwA, gwB, siteA)) {
            assertThat(nodeRow(page, n.name())).hasAttribute("data-online", "true");
        }
        assertThat(page.locator("#node-table tbody tr[data-node-id]")).hasCount(4);
        Locator ramp = page.locator("[data-onramp='" + ON_RAMP + "']");
        assertThat(ramp.locator("[data-role='active-gateway']")).hasText("gw-a");
        assertThat(ramp.locator("[data-role='cidrs']")).hasText(gwA.vpc().cidr());
        assertThat(page.locator("#graph canvas").first()).isVisible();
        page.screenshot(new Page.ScreenshotOptions().setPath(shots.resolve("01-mesh.png")).setFullPage(true));

        // a node's tunnels, peer by peer (GET /api/v1/nodes/{id}/peers through the session), then closed again
        nodeRow(page, "relay").getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Peers")).click();
        assertThat(page.locator("table[aria-label='Peers of relay'] tbody tr").first()).isVisible();
        nodeRow(page, "relay").getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Hide peers")).click();
        assertThat(page.locator("#node-table tr.details")).hasCount(0);

        // a token made in the page: its secret is shown once, and the list never shows it
        page.getByLabel("Expires in").fill("30m");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create token")).click();
        Locator secretBox = page.locator("#token-created");
        assertThat(secretBox).isVisible();
        assertThat(secretBox).isFocused();
        String secret = page.locator("#token-secret").textContent().strip();
        assertThat(secret).as("the new token's secret").matches("[A-Za-z0-9_-]{43}");
        String tokenId = page.locator("#token-created-id").textContent().strip();
        assertThat(page.locator("#token-table tr[data-token-id='" + tokenId + "']")).isVisible();
        assertThat(page.locator("#token-table")).not().containsText(secret);
        page.locator("#tokens").screenshot(new Locator.ScreenshotOptions().setPath(shots.resolve("02-token.png")));
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Done, hide it")).click();
        assertThat(secretBox).isHidden();
        assertThat(page.locator("body")).not().containsText(secret);

        // site-b joins with that token: it appears, online, without a reload
        int loadsBefore = loads.get();
        siteB.up(secret, AGENT_UP);
        assertThat(nodeRow(page, "site-b")).hasAttribute("data-online", "true");
        assertThat(page.locator("#node-table tbody tr[data-node-id]")).hasCount(5);
        assertThat(page.locator("#token-table tr[data-token-id='" + tokenId + "']")).containsText("1 used");
        page.screenshot(new Page.ScreenshotOptions().setPath(shots.resolve("03-joined.png")).setFullPage(true));
        page.evaluate("() => window.scrollTo(0, 0)");
        page.screenshot(new Page.ScreenshotOptions().setPath(shots.resolve("dashboard.png")));

        // the primary gateway's agent dies: the page shows gw-b taking over
        gwA.kill();
        assertThat(ramp.locator("[data-role='active-gateway']")).hasText("gw-b",
                new com.microsoft.playwright.assertions.LocatorAssertions.HasTextOptions().setTimeout(FAILOVER_WAIT_MS));
        assertThat(ramp.locator("tr[data-gateway='gw-a']")).containsText("unhealthy");
        page.screenshot(new Page.ScreenshotOptions().setPath(shots.resolve("04-failover.png")).setFullPage(true));
        assertThat(loads.get()).as("page loads while the mesh changed (a reload would add one)").isEqualTo(loadsBefore);

        // logging out ends the session: the API refuses the browser's cookie from then on
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log out")).click();
        assertThat(field).isVisible();
        assertThat(page.request().get(lab.coordinatorUrl() + "/api/v1/topology").status()).isEqualTo(401);
    }

    private static Locator nodeRow(Page page, String hostname) {
        return page.locator("#node-table tbody tr[data-hostname='" + hostname + "']");
    }

    /**
     * Chromium itself when the host reaches the coordinator through the lab's host link; otherwise a wrapper that
     * starts it inside the coordinator's namespace (Playwright talks to it over a pipe, which crosses namespaces).
     */
    private static Path browserFor(MeshLab lab) throws IOException {
        if (lab.hasHostLink()) {
            return CHROMIUM;
        }
        System.out.println("dashboard lab: " + lab.hostLinkNote() + "; the browser runs in "
                + lab.coordinatorNamespace().name());
        Path wrapper = lab.dir().resolve("chromium-in-netns");
        Files.writeString(wrapper, "#!/bin/sh\nexec ip netns exec " + lab.coordinatorNamespace().name() + " " + CHROMIUM
                + " \"$@\"\n");
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwx------"));
        return wrapper;
    }

    /** The packaged coordinator and node the lab runs, when missing. */
    private static String missingJars(MeshLab.Options options) {
        List<String> missing = new java.util.ArrayList<>();
        for (String jar : List.of("coordinator/" + options.buildDir() + "/quarkus-app/quarkus-run.jar",
                "overlay-node/" + options.buildDir() + "/weft-node.jar")) {
            if (!Files.isRegularFile(options.repoRoot().resolve(jar))) {
                missing.add(jar);
            }
        }
        return String.join(" and ", missing);
    }

    /** {@code labs/<buildDir>/screenshots} (surefire's {@code weft.lab.dir} names the build dir). */
    private static Path screenshotDir() throws IOException {
        String wgLab = System.getProperty("weft.lab.dir");
        Path dir = wgLab != null ? Path.of(wgLab).resolveSibling("screenshots")
                : Path.of(System.getProperty("java.io.tmpdir"), "weft-dashboard-screenshots");
        Files.createDirectories(dir);
        return dir;
    }
}
