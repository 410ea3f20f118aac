package net.weft.node.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import net.weft.node.agent.Agent;
import net.weft.node.agent.AgentException;
import net.weft.node.agent.AgentStatus;
import net.weft.node.agent.StateDir;
import net.weft.topology.map.CanonicalJson;
import net.weft.topology.model.Endpoint;
import net.weft.topology.model.IpPrefix;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import sun.misc.Signal;

/** {@code weft up}, {@code weft status} and {@code weft down}: the node agent. */
final class AgentCommands {

    static final String STATE_DIR_ENV = "WEFT_STATE_DIR";
    static final String TOKEN_ENV = "WEFT_TOKEN";
    /** Set to 0, skips the packet path warm-up after the agent came up. */
    static final String WARMUP_ENV = "WEFT_WARMUP";
    /** Set in the detached agent's environment: it runs in the foreground and its parent waits for it. */
    static final String CHILD_ENV = "WEFT_AGENT_CHILD";
    /**
     * Set by {@code ./weft up}, which detaches the agent itself (one JVM start instead of two): the agent logs
     * to its log file from the start, prints only its "up" line (or its error) to standard output and error,
     * and then leaves them alone, so the script returns as soon as that line arrives.
     */
    static final String NOTIFY_ENV = "WEFT_AGENT_NOTIFY";
    static final long START_PATIENCE_MILLIS = 60_000;

    private AgentCommands() {
    }

    /** The state directory option every agent command shares. */
    static final class StateOption {
        @Option(names = "--state-dir", paramLabel = "DIR",
                description = "The node's state directory (default: $" + STATE_DIR_ENV + ", else /var/lib/weft).")
        Path stateDir;

        StateDir resolve(WeftCli cli) {
            if (stateDir != null) {
                return new StateDir(stateDir);
            }
            String env = cli.env().get(STATE_DIR_ENV);
            return new StateDir(env == null || env.isBlank() ? StateDir.DEFAULT : Path.of(env));
        }
    }

    @Command(name = "up", mixinStandardHelpOptions = true, versionProvider = WeftCli.Version.class,
            description = {"Join the mesh (the first time, with a token) and run the node agent.",
                    "Creates the node key (mode 0600; the private key never leaves this machine), the WireGuard "
                            + "interface and its routes, and follows the coordinator's network map. Without --foreground "
                            + "it detaches and returns once the interface is up. Needs root (a TUN device, routes).",
                    "Once up, it warms the packet path for a few seconds of one core, so that the JIT compiles it "
                            + "before traffic comes (WEFT_WARMUP=0 skips that)."})
    static final class Up implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @picocli.CommandLine.Mixin
        StateOption state = new StateOption();

        @Option(names = "--coordinator", paramLabel = "URL", split = ",",
                description = "Coordinator URLs, tried in turn (default: the ones of the last join, else $WEFT_COORDINATOR).")
        List<String> coordinators;

        @Option(names = "--token", paramLabel = "TOKEN",
                description = "The join token, needed only the first time (better: $" + TOKEN_ENV + ", which ps does not show).")
        String token;

        @Option(names = "--name", paramLabel = "NAME", description = "The node's host name (default: this host's).")
        String name;

        @Option(names = "--interface", paramLabel = "IF", defaultValue = "weft0",
                description = "The WireGuard interface (default: ${DEFAULT-VALUE}).")
        String interfaceName;

        @Option(names = "--listen-port", paramLabel = "PORT", defaultValue = "51820",
                description = "The UDP port (default: ${DEFAULT-VALUE}).")
        int listenPort;

        @Option(names = "--endpoint", paramLabel = "ADDR:PORT",
                description = "Advertise this endpoint (repeatable) instead of the address this host uses towards the coordinator.")
        List<String> endpoints;

        @Option(names = "--metrics-listen", paramLabel = "ADDR:PORT",
                description = "Serve Prometheus metrics on http://ADDR:PORT/metrics (e.g. 127.0.0.1:9586). Off by default; "
                        + "no authentication, so keep it on loopback.")
        String metricsListen;

        @Option(names = {"-f", "--foreground"}, description = "Stay in the foreground, logging to standard error.")
        boolean foreground;

        @Override
        public Integer call() throws AdminException {
            WeftCli cli = (WeftCli) spec.root().userObject();
            if (interfaceName.isEmpty() || interfaceName.length() > 15 || !interfaceName.matches("[A-Za-z0-9_.-]+")) {
                throw new ParameterException(spec.commandLine(), "--interface must be 1 to 15 letters, digits, '.', '-' or '_'");
            }
            if (listenPort < 1 || listenPort > 65535) {
                throw new ParameterException(spec.commandLine(), "--listen-port must be within 1..65535");
            }
            List<Endpoint> advertised = new ArrayList<>();
            for (String e : endpoints == null ? List.<String>of() : endpoints) {
                try {
                    advertised.add(Endpoint.parse(e));
                } catch (IllegalArgumentException x) {
                    throw new ParameterException(spec.commandLine(), "--endpoint " + e + ": " + x.getMessage());
                }
            }
            List<URI> urls = new ArrayList<>();
            List<String> given = coordinators;
            if (given == null || given.isEmpty()) {
                String env = cli.env().get(AdminOptions.COORDINATOR_ENV);
                given = env == null || env.isBlank() ? List.of() : List.of(env.split(","));
            }
            for (String c : given) {
                urls.add(AdminOptions.parseCoordinator(c.strip(), "--coordinator", spec));
            }
            java.net.InetSocketAddress metrics = null;
            if (metricsListen != null) {
                try {
                    metrics = WeftWg.parseListen(metricsListen);
                } catch (IllegalArgumentException e) {
                    throw new ParameterException(spec.commandLine(), "--metrics-listen: " + e.getMessage());
                }
            }
            String secret = token != null ? token : cli.env().get(TOKEN_ENV);
            String host = name != null ? name : hostname();
            StateDir dir = state.resolve(cli);
            Optional<Long> running = runningPid(dir);
            if (running.isPresent() && running.get() != ProcessHandle.current().pid()) {
                throw new AdminException("an agent already runs for " + dir.path() + " (pid " + running.get()
                        + "); stop it with weft down first");
            }
            Agent.Settings settings = new Agent.Settings(dir, urls, secret, host, interfaceName, listenPort, advertised, metrics);
            boolean notify = cli.env().get(NOTIFY_ENV) != null;
            if (!foreground && !notify && cli.env().get(CHILD_ENV) == null) {
                return detach(cli, dir, secret);
            }
            java.io.PrintStream log = null;
            if (notify) {
                try {
                    dir.create();
                    log = new java.io.PrintStream(new java.io.FileOutputStream(dir.logFile().toFile(), true), true,
                            StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new AdminException("cannot open " + dir.logFile() + ": " + e.getMessage());
                }
                System.setErr(log); // the log handler below writes here
            }
            WeftWg.configureLogging(cli.env().getOrDefault("LOG_LEVEL", "info"), interfaceName);
            Agent agent = new Agent(settings);
            try {
                agent.start();
            } catch (AgentException e) {
                throw new AdminException(e.getMessage());
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println(upLine(agent.status()));
            out.flush();
            if (!"0".equals(cli.env().get(WARMUP_ENV))) {
                PathWarmup.start();
            }
            if (log != null) {
                System.setOut(log); // whoever waited for the line has gone: nothing more goes to its pipe
            }
            for (String signal : List.of("TERM", "INT")) {
                Signal.handle(new Signal(signal), s -> Thread.ofPlatform().name("weft-agent-signal").start(agent::close));
            }
            agent.stopped().join();
            return 0;
        }

        /** Starts this command again as a detached process and waits until its interface is up. */
        private int detach(WeftCli cli, StateDir dir, String secret) throws AdminException {
            try {
                dir.create();
                Files.deleteIfExists(dir.statusFile());
            } catch (IOException e) {
                throw new AdminException("state directory " + dir.path() + ": " + e.getMessage());
            }
            List<String> command = new ArrayList<>();
            if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
                command.add("/usr/bin/setsid");
            }
            command.add(ProcessHandle.current().info().command().orElse("java"));
            command.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(WeftCli.class.getName());
            // the whole original command line ("up" and its options), less the token, plus --foreground
            List<String> args = spec.commandLine().getParseResult().originalArgs();
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                if (a.equals("--token")) {
                    i++; // handed over in the environment, out of sight of ps
                } else if (a.startsWith("--token=")) {
                    continue;
                } else if (!a.equals("-f") && !a.equals("--foreground")) {
                    command.add(a);
                }
            }
            command.add("--foreground");
            ProcessBuilder pb = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.logFile().toFile()))
                    .redirectErrorStream(true);
            pb.environment().putAll(cli.env());
            pb.environment().put(CHILD_ENV, "1");
            if (secret != null) {
                pb.environment().put(TOKEN_ENV, secret);
            }
            Process child;
            try {
                child = pb.start();
            } catch (IOException e) {
                throw new AdminException("cannot start the agent: " + e.getMessage());
            }
            long deadline = System.currentTimeMillis() + START_PATIENCE_MILLIS;
            while (System.currentTimeMillis() < deadline) {
                try {
                    if (child.waitFor(50, TimeUnit.MILLISECONDS)) {
                        throw new AdminException(lastError(dir) + " (log: " + dir.logFile() + ")");
                    }
                    Optional<AgentStatus> s = dir.status();
                    if (s.isPresent() && s.get().pid() == child.pid() && "up".equals(s.get().phase())) {
                        PrintWriter out = spec.commandLine().getOut();
                        out.println(upLine(s.get()));
                        out.flush();
                        return 0;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AdminException("interrupted; the agent (pid " + child.pid() + ") keeps starting");
                } catch (IOException e) {
                    // the status file is being replaced: look again
                }
            }
            throw new AdminException("the agent (pid " + child.pid() + ") did not come up within "
                    + START_PATIENCE_MILLIS / 1000 + " s; see " + dir.logFile());
        }

        private static String upLine(AgentStatus s) {
            String v4 = s.addresses().stream().filter(IpPrefix::isIpv4).map(IpPrefix::addressText).findFirst().orElse("?");
            return "weft: up as " + s.nodeId() + " (" + s.name() + ") " + v4 + " on " + s.interfaceName();
        }

        /** The agent's own last words: its last "weft: up: ..." line or error, from the log. */
        private static String lastError(StateDir dir) {
            try {
                List<String> lines = Files.readAllLines(dir.logFile(), StandardCharsets.UTF_8);
                for (int i = lines.size() - 1; i >= 0; i--) {
                    String l = lines.get(i);
                    if (l.startsWith("weft: up: ")) {
                        return l.substring("weft: up: ".length());
                    }
                }
                return lines.isEmpty() ? "the agent exited" : "the agent exited: " + lines.getLast();
            } catch (IOException e) {
                return "the agent exited";
            }
        }

        private static String hostname() {
            try {
                String h = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
                return h.isEmpty() ? "node" : h;
            } catch (IOException e) {
                return "node";
            }
        }
    }

    /** The pid of a live agent for {@code dir}, if any. */
    static Optional<Long> runningPid(StateDir dir) throws AdminException {
        try {
            return dir.pid().filter(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        } catch (IOException e) {
            throw new AdminException("state directory " + dir.path() + ": " + e.getMessage());
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, versionProvider = WeftCli.Version.class,
            description = "Show the node: coordinator connection, peers (endpoint, handshake age, bytes), on-ramps.")
    static final class Status implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @picocli.CommandLine.Mixin
        StateOption state = new StateOption();

        @Option(names = "--json", description = "Print the agent's status as JSON.")
        boolean json;

        @Override
        public Integer call() throws AdminException {
            StateDir dir = state.resolve((WeftCli) spec.root().userObject());
            if (runningPid(dir).isEmpty()) {
                throw new AdminException("no agent runs for " + dir.path() + " (start one with weft up)");
            }
            AgentStatus s;
            try {
                s = dir.status().orElseThrow(() -> new AdminException("the agent is starting; try again"));
            } catch (IOException e) {
                throw new AdminException(e.getMessage());
            }
            PrintWriter out = spec.commandLine().getOut();
            out.print(json ? new String(CanonicalJson.toBytes(s), StandardCharsets.UTF_8) + "\n"
                    : AgentOutput.status(s, System.currentTimeMillis()));
            out.flush();
            return 0;
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true, versionProvider = WeftCli.Version.class,
            description = "Stop the node agent: its interface, routes and firewall rules go away. The node stays joined; "
                    + "weft up brings it back without a token.")
    static final class Down implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @picocli.CommandLine.Mixin
        StateOption state = new StateOption();

        @Override
        public Integer call() throws AdminException {
            StateDir dir = state.resolve((WeftCli) spec.root().userObject());
            Optional<Long> pid = runningPid(dir);
            PrintWriter out = spec.commandLine().getOut();
            if (pid.isEmpty()) {
                out.println("weft: no agent runs for " + dir.path());
                out.flush();
                return 0;
            }
            ProcessHandle p = ProcessHandle.of(pid.get()).orElseThrow();
            p.destroy();
            try {
                p.onExit().get(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AdminException("the agent (pid " + pid.get() + ") did not stop within 20 s");
            }
            out.println("weft: down");
            out.flush();
            return 0;
        }
    }
}
