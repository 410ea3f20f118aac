package net.weft.topology.spec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import net.weft.crypto.key.PublicKey;
import net.weft.topology.model.BackboneLink;
import net.weft.topology.model.Endpoint;
import net.weft.topology.model.Gateway;
import net.weft.topology.model.HealthCheck;
import net.weft.topology.model.IpPrefix;
import net.weft.topology.model.Network;
import net.weft.topology.model.OnRamp;
import net.weft.topology.model.Provider;
import net.weft.topology.model.Role;
import net.weft.topology.spec.YamlTree.Field;
import net.weft.topology.spec.YamlTree.Mapping;
import net.weft.topology.spec.YamlTree.Scalar;
import net.weft.topology.spec.YamlTree.Sequence;
import net.weft.topology.spec.YamlTree.Value;

/**
 * Parses and validates network spec documents. One parser may be reused; it holds no state between
 * calls. Every problem is collected before {@link SpecException} is thrown, so one run shows them all.
 */
public final class SpecParser {

    /** The only {@code apiVersion} this parser reads. */
    public static final String API_VERSION = "weft.dev/v1alpha1";

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final List<String> KINDS = List.of("BackboneLink", "Network", "Node", "OnRamp");

    /** One file of spec documents. */
    public record Source(String file, String text) {
        public Source {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(text, "text");
        }
    }

    private final IpPrefix defaultIpv6;
    private final Set<String> knownNodes;

    /**
     * @param defaultIpv6 the network's IPv6 prefix, chosen when it was created; used unless the spec declares one
     * @param knownNodes  ids of nodes that exist without being declared (joined nodes), which references may name
     */
    public SpecParser(IpPrefix defaultIpv6, Set<String> knownNodes) {
        this.defaultIpv6 = Objects.requireNonNull(defaultIpv6, "defaultIpv6");
        this.knownNodes = Set.copyOf(knownNodes);
    }

    /** Parses one file. */
    public NetworkSpec parse(String file, String text) throws SpecException {
        return parse(List.of(new Source(file, text)));
    }

    /**
     * Parses and validates several files as one spec.
     *
     * @throws SpecException with every problem, in file then line order
     */
    public NetworkSpec parse(List<Source> sources) throws SpecException {
        Run run = new Run();
        for (int i = 0; i < sources.size(); i++) {
            run.readFile(i, sources.get(i));
        }
        NetworkSpec spec = run.crossCheck();
        if (!run.problems.isEmpty()) {
            List<Located<SpecProblem>> sorted = new ArrayList<>(run.problems);
            sorted.sort(Comparator.<Located<SpecProblem>>comparingInt(l -> l.fileIndex)
                    .thenComparingInt(l -> l.value.line()).thenComparing(l -> l.value.path()));
            throw new SpecException(sorted.stream().map(l -> l.value).toList());
        }
        return spec;
    }

    private record Located<T>(T value, int fileIndex, String file, int line, String subject, String path) {
        String where() {
            return file + ":" + line;
        }
    }

    /** The state of one {@link #parse(List)} call. */
    private final class Run {
        final List<Located<SpecProblem>> problems = new ArrayList<>();
        final List<Located<Network>> networks = new ArrayList<>();
        final List<Located<NodeDeclaration>> nodes = new ArrayList<>();
        final List<Located<OnRamp>> onRamps = new ArrayList<>();
        final List<Located<BackboneLink>> links = new ArrayList<>();
        final Map<String, Located<String>> names = new HashMap<>();
        final List<Located<String>> gatewayRefs = new ArrayList<>();
        final List<Located<String>> linkRefs = new ArrayList<>();
        final List<Located<IpPrefix>> cidrs = new ArrayList<>();
        final List<Located<IpPrefix>> pinned = new ArrayList<>();

        void readFile(int fileIndex, Source source) {
            YamlTree.Stream stream = YamlTree.read(source.text());
            List<Doc> docs = new ArrayList<>();
            for (int d = 0; d < stream.documents().size(); d++) {
                Doc doc = new Doc(fileIndex, source.file(), "document " + (d + 1));
                docs.add(doc);
                readDocument(doc, stream.documents().get(d), stream.documentLines().get(d));
            }
            for (YamlTree.ReadError e : stream.errors()) {
                // a syntax error ends the stream inside a document that was never finished
                Doc doc = e.document() < docs.size() ? docs.get(e.document())
                        : new Doc(fileIndex, source.file(), "document " + (e.document() + 1));
                doc.problem(e.line(), e.path(), e.message());
            }
        }

        void readDocument(Doc d, Value value, int line) {
            if (!(value instanceof Mapping top)) {
                d.problem(line, "", "a document must be a mapping with apiVersion, kind, metadata and spec");
                return;
            }
            String kindText = quietString(top, "kind");
            Value meta = top.fields().containsKey("metadata") ? top.fields().get("metadata").value() : null;
            String nameText = meta instanceof Mapping mm ? quietString(mm, "name") : null;
            if (kindText != null && nameText != null) {
                d.subject = kindText + "/" + nameText;
            }
            d.only(top, "", "apiVersion", "kind", "metadata", "spec");
            String api = d.string(top, "", "apiVersion", true);
            if (api != null && !API_VERSION.equals(api)) {
                d.problem(top.fields().get("apiVersion").value().line(), "apiVersion",
                        "unsupported apiVersion \"" + api + "\", want \"" + API_VERSION + "\"");
            }
            String kind = d.string(top, "", "kind", true);
            if (kind != null && !KINDS.contains(kind)) {
                d.problem(top.fields().get("kind").value().line(), "kind",
                        "unknown kind \"" + kind + "\", want one of " + String.join(", ", KINDS));
                kind = null;
            }
            Mapping metadata = d.mapping(top, "", "metadata", true);
            String name = null;
            int nameLine = line;
            if (metadata != null) {
                d.only(metadata, "metadata", "name");
                name = d.string(metadata, "metadata", "name", true);
                if (name != null) {
                    nameLine = metadata.fields().get("name").value().line();
                    if (!DNS_LABEL.matcher(name).matches()) {
                        d.problem(nameLine, "metadata.name", "invalid name \"" + name
                                + "\": want a DNS label (lowercase letters, digits and '-', at most 63)");
                        name = null;
                    }
                }
            }
            Mapping spec = d.mapping(top, "", "spec", !"Network".equals(kind));
            if (kind == null) {
                return;
            }
            if (name != null) {
                String key = kind + "/" + name;
                Located<String> first = names.get(key);
                if (first != null) {
                    d.problem(nameLine, "metadata.name", "duplicate name: " + key + " is already declared at "
                            + first.where());
                    name = null;
                } else {
                    names.put(key, d.located(key, nameLine, "metadata.name"));
                }
            }
            if (spec == null && "Network".equals(kind)) {
                spec = new Mapping(Map.of(), line);
            }
            if (spec == null || name == null) {
                // still check the body for problems, but record nothing
                name = name == null ? "" : name;
                if (spec == null) {
                    return;
                }
            }
            switch (kind) {
                case "Network" -> readNetwork(d, name, spec, line);
                case "Node" -> readNode(d, name, spec);
                case "OnRamp" -> readOnRamp(d, name, spec);
                default -> readLink(d, name, spec);
            }
        }

        void readNetwork(Doc d, String name, Mapping s, int line) {
            d.only(s, "spec", "ipv4", "ipv6", "mtu", "persistentKeepalive", "gatewayHoldDown");
            IpPrefix v4 = d.prefix(s, "spec", "ipv4");
            if (v4 != null && !v4.isIpv4()) {
                d.problem(s.fields().get("ipv4").value().line(), "spec.ipv4", "want an IPv4 prefix, got " + v4);
                v4 = null;
            }
            IpPrefix v6 = d.prefix(s, "spec", "ipv6");
            if (v6 != null && (!v6.isIpv6() || v6.length() != 48 || !Network.ULA.contains(v6))) {
                d.problem(s.fields().get("ipv6").value().line(), "spec.ipv6",
                        "want a unique local /48 inside fc00::/7, got " + v6);
                v6 = null;
            }
            Long mtu = d.integer(s, "spec", "mtu", false);
            if (mtu != null && (mtu < 1280 || mtu > 65535)) {
                d.problem(s.fields().get("mtu").value().line(), "spec.mtu", "mtu " + mtu + " is outside 1280..65535");
                mtu = null;
            }
            Duration keepalive = d.duration(s, "spec", "persistentKeepalive");
            Duration holdDown = d.duration(s, "spec", "gatewayHoldDown");
            if (name.isEmpty()) {
                return;
            }
            networks.add(d.located(new Network(name, v4 == null ? Network.DEFAULT_IPV4 : v4,
                    v6 == null ? defaultIpv6 : v6, mtu == null ? Network.DEFAULT_MTU : mtu.intValue(),
                    keepalive == null ? Network.DEFAULT_PERSISTENT_KEEPALIVE : keepalive,
                    holdDown == null ? Network.DEFAULT_GATEWAY_HOLD_DOWN : holdDown), line, ""));
        }

        void readNode(Doc d, String name, Mapping s) {
            d.only(s, "spec", "hostname", "publicKey", "addresses", "tags", "roles", "endpoints", "reachable", "region");
            String hostname = d.string(s, "spec", "hostname", false);
            String keyText = d.string(s, "spec", "publicKey", false);
            PublicKey key = null;
            if (keyText != null) {
                try {
                    key = PublicKey.fromBase64(keyText);
                } catch (IllegalArgumentException e) {
                    d.problem(s.fields().get("publicKey").value().line(), "spec.publicKey", "invalid: " + e.getMessage());
                }
            }
            List<IpPrefix> addresses = new ArrayList<>();
            for (Located<String> a : d.strings(s, "spec", "addresses")) {
                try {
                    IpPrefix p = IpPrefix.parse(a.value());
                    if (!p.isHost()) {
                        d.problem(a.line(), a.path(), "a pinned address is a single address, got " + p);
                    } else {
                        addresses.add(p);
                        pinned.add(d.located(p, a.line(), a.path()));
                    }
                } catch (IllegalArgumentException e) {
                    d.problem(a.line(), a.path(), "invalid address \"" + a.value() + "\": " + e.getMessage());
                }
            }
            List<String> tags = d.strings(s, "spec", "tags").stream().map(Located::value).toList();
            Set<Role> roles = EnumSet.noneOf(Role.class);
            int rolesLine = s.line();
            for (Located<String> r : d.strings(s, "spec", "roles")) {
                rolesLine = r.line();
                try {
                    roles.add(Role.valueOf(r.value().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    d.problem(r.line(), r.path(), "unknown role \"" + r.value() + "\", want one of member, gateway, relay");
                }
            }
            if (roles.isEmpty()) {
                roles.add(Role.MEMBER);
            }
            List<Endpoint> endpoints = new ArrayList<>();
            for (Located<String> e : d.strings(s, "spec", "endpoints")) {
                try {
                    endpoints.add(Endpoint.parse(e.value()));
                } catch (IllegalArgumentException x) {
                    d.problem(e.line(), e.path(), "invalid endpoint: " + x.getMessage());
                }
            }
            Boolean reachable = d.bool(s, "spec", "reachable");
            if (roles.contains(Role.RELAY) && !Boolean.TRUE.equals(reachable)) {
                d.problem(rolesLine, "spec.roles", "a relay must be reachable (set reachable: true)");
            }
            String region = d.string(s, "spec", "region", false);
            if (!name.isEmpty()) {
                nodes.add(d.located(new NodeDeclaration(name, hostname == null ? name : hostname, key,
                        List.copyOf(new java.util.TreeSet<>(addresses)), List.copyOf(new java.util.TreeSet<>(tags)),
                        Set.copyOf(roles), List.copyOf(new java.util.TreeSet<>(endpoints)),
                        Boolean.TRUE.equals(reachable), region == null ? "" : region), s.line(), "spec"));
            }
        }

        void readOnRamp(Doc d, String name, Mapping s) {
            d.only(s, "spec", "provider", "region", "vpc", "cidrs", "gateways", "snat", "healthCheck");
            String providerText = d.string(s, "spec", "provider", true);
            Provider provider = null;
            if (providerText != null) {
                try {
                    provider = Provider.valueOf(providerText.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    d.problem(s.fields().get("provider").value().line(), "spec.provider",
                            "unknown provider \"" + providerText + "\", want one of aws, gcp, azure, generic");
                }
            }
            String region = d.string(s, "spec", "region", true);
            String vpc = d.string(s, "spec", "vpc", true);
            List<IpPrefix> rampCidrs = new ArrayList<>();
            if (d.require(s, "spec", "cidrs")) {
                List<Located<String>> texts = d.strings(s, "spec", "cidrs");
                if (texts.isEmpty() && s.fields().get("cidrs").value() instanceof Sequence) {
                    d.problem(s.fields().get("cidrs").value().line(), "spec.cidrs", "at least one CIDR is required");
                }
                for (Located<String> c : texts) {
                    try {
                        IpPrefix p = IpPrefix.parse(c.value());
                        rampCidrs.add(p);
                        cidrs.add(d.located(p, c.line(), c.path()));
                    } catch (IllegalArgumentException e) {
                        d.problem(c.line(), c.path(), "invalid CIDR \"" + c.value() + "\": " + e.getMessage());
                    }
                }
            }
            List<Gateway> gateways = new ArrayList<>();
            Map<String, Integer> seen = new LinkedHashMap<>();
            List<Value> gws = d.list(s, "spec", "gateways", true);
            if (gws != null && gws.isEmpty()) {
                d.problem(s.fields().get("gateways").value().line(), "spec.gateways", "at least one gateway is required");
            }
            for (int i = 0; gws != null && i < gws.size(); i++) {
                String path = "spec.gateways[" + i + "]";
                if (!(gws.get(i) instanceof Mapping g)) {
                    d.problem(gws.get(i).line(), path, "expected a mapping");
                    continue;
                }
                d.only(g, path, "node", "priority");
                String node = d.string(g, path, "node", true);
                Long priority = d.integer(g, path, "priority", true);
                if (priority != null && (priority < 0 || priority > 65535)) {
                    d.problem(g.fields().get("priority").value().line(), path + ".priority",
                            "priority " + priority + " is outside 0..65535");
                    priority = null;
                }
                if (node != null) {
                    int nodeLine = g.fields().get("node").value().line();
                    if (seen.containsKey(node)) {
                        d.problem(nodeLine, path + ".node", "gateway \"" + node + "\" is already listed at line "
                                + seen.get(node));
                        continue;
                    }
                    seen.put(node, nodeLine);
                    gatewayRefs.add(d.located(node, nodeLine, path + ".node"));
                    if (priority != null) {
                        gateways.add(new Gateway(node, priority.intValue()));
                    }
                }
            }
            Boolean snat = d.bool(s, "spec", "snat");
            HealthCheck hc = HealthCheck.DEFAULT;
            Mapping h = d.mapping(s, "spec", "healthCheck", false);
            if (h != null) {
                d.only(h, "spec.healthCheck", "targets", "interval", "failureThreshold");
                List<Endpoint> targets = new ArrayList<>();
                for (Located<String> t : d.strings(h, "spec.healthCheck", "targets")) {
                    try {
                        targets.add(Endpoint.parse(t.value()));
                    } catch (IllegalArgumentException e) {
                        d.problem(t.line(), t.path(), "invalid target: " + e.getMessage());
                    }
                }
                Duration interval = d.duration(h, "spec.healthCheck", "interval");
                if (interval != null && interval.isZero()) {
                    d.problem(h.fields().get("interval").value().line(), "spec.healthCheck.interval",
                            "interval must be positive");
                    interval = null;
                }
                Long threshold = d.integer(h, "spec.healthCheck", "failureThreshold", false);
                if (threshold != null && (threshold < 1 || threshold > 1000)) {
                    d.problem(h.fields().get("failureThreshold").value().line(), "spec.healthCheck.failureThreshold",
                            "failureThreshold " + threshold + " is outside 1..1000");
                    threshold = null;
                }
                hc = new HealthCheck(targets, interval == null ? HealthCheck.DEFAULT.interval() : interval,
                        threshold == null ? HealthCheck.DEFAULT.failureThreshold() : threshold.intValue());
            }
            if (!name.isEmpty() && provider != null && region != null && vpc != null && !gateways.isEmpty()) {
                onRamps.add(d.located(new OnRamp(name, provider, region, vpc, rampCidrs, gateways,
                        Boolean.TRUE.equals(snat), hc), s.line(), "spec"));
            }
        }

        void readLink(Doc d, String name, Mapping s) {
            d.only(s, "spec", "between", "cost");
            List<Located<String>> between = d.strings(s, "spec", "between");
            if (!d.require(s, "spec", "between")) {
                between = List.of();
            } else if (between.size() != 2 && s.fields().get("between").value() instanceof Sequence) {
                d.problem(s.fields().get("between").value().line(), "spec.between",
                        "want exactly two relay nodes, got " + between.size());
                between = List.of();
            }
            if (between.size() == 2 && between.get(0).value().equals(between.get(1).value())) {
                d.problem(between.get(1).line(), between.get(1).path(),
                        "a backbone link cannot join node \"" + between.get(1).value() + "\" to itself");
                between = List.of();
            }
            linkRefs.addAll(between);
            Long cost = d.integer(s, "spec", "cost", true);
            if (cost != null && cost < 0) {
                d.problem(s.fields().get("cost").value().line(), "spec.cost", "cost must not be negative, got " + cost);
                cost = null;
            }
            if (!name.isEmpty() && between.size() == 2 && cost != null) {
                links.add(d.located(new BackboneLink(name, between.get(0).value(), between.get(1).value(), cost),
                        s.line(), "spec"));
            }
        }

        NetworkSpec crossCheck() {
            for (int i = 1; i < networks.size(); i++) {
                Located<Network> n = networks.get(i);
                problem(n, "", "a second Network document: the network is already declared at "
                        + networks.get(0).where());
            }
            Network network = networks.isEmpty() ? Network.withDefaults("default", defaultIpv6) : networks.get(0).value();
            Map<String, NodeDeclaration> declared = new HashMap<>();
            nodes.forEach(n -> declared.put(n.value().id(), n.value()));
            for (Located<String> ref : gatewayRefs) {
                checkRef(ref, declared, Role.GATEWAY, "gateway");
            }
            for (Located<String> ref : linkRefs) {
                checkRef(ref, declared, Role.RELAY, "relay");
            }
            for (int i = 0; i < cidrs.size(); i++) {
                Located<IpPrefix> c = cidrs.get(i);
                for (IpPrefix overlay : List.of(network.ipv4(), network.ipv6())) {
                    if (c.value().overlaps(overlay)) {
                        problem(c, c.path(), c.value() + " overlaps the overlay prefix " + overlay);
                    }
                }
                for (int j = 0; j < i; j++) {
                    Located<IpPrefix> o = cidrs.get(j);
                    if (c.value().overlaps(o.value())) {
                        problem(c, c.path(), c.value() + " overlaps " + o.value() + " of " + o.subject() + " "
                                + o.path() + " at " + o.where());
                        break;
                    }
                }
            }
            for (int i = 0; i < pinned.size(); i++) {
                Located<IpPrefix> p = pinned.get(i);
                IpPrefix pool = p.value().isIpv4() ? network.ipv4() : network.ipv6();
                if (!pool.contains(p.value())) {
                    problem(p, p.path(), "address " + p.value().addressText() + " is outside the overlay prefix " + pool);
                    continue;
                }
                for (int j = 0; j < i; j++) {
                    if (pinned.get(j).value().equals(p.value())) {
                        problem(p, p.path(), "address " + p.value().addressText() + " is already pinned to "
                                + pinned.get(j).subject() + " at " + pinned.get(j).where());
                        break;
                    }
                }
            }
            return new NetworkSpec(network, nodes.stream().map(Located::value).toList(),
                    onRamps.stream().map(Located::value).toList(), links.stream().map(Located::value).toList());
        }

        void checkRef(Located<String> ref, Map<String, NodeDeclaration> declared, Role role, String roleName) {
            NodeDeclaration n = declared.get(ref.value());
            if (n == null) {
                if (!knownNodes.contains(ref.value())) {
                    problem(ref, ref.path(), "unknown node \"" + ref.value() + "\"");
                }
            } else if (!n.roles().contains(role)) {
                problem(ref, ref.path(), "node \"" + ref.value() + "\" is declared without the " + roleName + " role");
            }
        }

        void problem(Located<?> at, String path, String message) {
            problems.add(new Located<>(new SpecProblem(at.file(), at.line(), at.subject(), path, message),
                    at.fileIndex(), at.file(), at.line(), at.subject(), path));
        }

        /** Binding helpers for one document; they report what is wrong and return null (or empty). */
        final class Doc {
            final int fileIndex;
            final String file;
            String subject;

            Doc(int fileIndex, String file, String subject) {
                this.fileIndex = fileIndex;
                this.file = file;
                this.subject = subject;
            }

            <T> Located<T> located(T value, int line, String path) {
                return new Located<>(value, fileIndex, file, line, subject, path);
            }

            void problem(int line, String path, String message) {
                problems.add(located(new SpecProblem(file, line, subject, path, message), line, path));
            }

            void only(Mapping m, String path, String... allowed) {
                List<String> ok = List.of(allowed);
                for (Field f : m.fields().values()) {
                    if (!ok.contains(f.key())) {
                        problem(f.keyLine(), join(path, f.key()), "unknown field");
                    }
                }
            }

            boolean require(Mapping m, String path, String key) {
                if (!m.fields().containsKey(key)) {
                    problem(m.line(), join(path, key), "required field is missing");
                    return false;
                }
                return true;
            }

            private Value value(Mapping m, String path, String key, boolean required) {
                Field f = m.fields().get(key);
                if (f == null || (f.value() instanceof Scalar sc && sc.text() == null)) {
                    if (required) {
                        problem(f == null ? m.line() : f.keyLine(), join(path, key), "required field is missing");
                    }
                    return null;
                }
                return f.value();
            }

            String string(Mapping m, String path, String key, boolean required) {
                Value v = value(m, path, key, required);
                if (v == null) {
                    return null;
                }
                if (v instanceof Scalar sc && (sc.isString() || sc.token().isNumeric())) {
                    return sc.text();
                }
                problem(v.line(), join(path, key), "expected a string");
                return null;
            }

            Long integer(Mapping m, String path, String key, boolean required) {
                Value v = value(m, path, key, required);
                if (v == null) {
                    return null;
                }
                if (v instanceof Scalar sc && sc.token() == com.fasterxml.jackson.core.JsonToken.VALUE_NUMBER_INT) {
                    try {
                        return Long.parseLong(sc.text());
                    } catch (NumberFormatException e) {
                        // falls through: too large
                    }
                }
                problem(v.line(), join(path, key), "expected an integer");
                return null;
            }

            Boolean bool(Mapping m, String path, String key) {
                Value v = value(m, path, key, false);
                if (v == null) {
                    return null;
                }
                if (v instanceof Scalar sc && sc.token().isBoolean()) {
                    return sc.token() == com.fasterxml.jackson.core.JsonToken.VALUE_TRUE;
                }
                problem(v.line(), join(path, key), "expected true or false");
                return null;
            }

            Mapping mapping(Mapping m, String path, String key, boolean required) {
                Value v = value(m, path, key, required);
                if (v == null) {
                    return null;
                }
                if (v instanceof Mapping mm) {
                    return mm;
                }
                problem(v.line(), join(path, key), "expected a mapping");
                return null;
            }

            List<Value> list(Mapping m, String path, String key, boolean required) {
                Value v = value(m, path, key, required);
                if (v == null) {
                    return null;
                }
                if (v instanceof Sequence sq) {
                    return sq.items();
                }
                problem(v.line(), join(path, key), "expected a list");
                return null;
            }

            List<Located<String>> strings(Mapping m, String path, String key) {
                List<Value> items = list(m, path, key, false);
                List<Located<String>> out = new ArrayList<>();
                for (int i = 0; items != null && i < items.size(); i++) {
                    String p = join(path, key) + "[" + i + "]";
                    if (items.get(i) instanceof Scalar sc && sc.text() != null
                            && (sc.isString() || sc.token().isNumeric())) {
                        out.add(located(sc.text(), sc.line(), p));
                    } else {
                        problem(items.get(i).line(), p, "expected a string");
                    }
                }
                return out;
            }

            IpPrefix prefix(Mapping m, String path, String key) {
                String text = string(m, path, key, false);
                if (text == null) {
                    return null;
                }
                try {
                    return IpPrefix.parse(text);
                } catch (IllegalArgumentException e) {
                    problem(m.fields().get(key).value().line(), join(path, key),
                            "invalid CIDR \"" + text + "\": " + e.getMessage());
                    return null;
                }
            }

            Duration duration(Mapping m, String path, String key) {
                String text = string(m, path, key, false);
                if (text == null) {
                    return null;
                }
                try {
                    return Durations.parse(text);
                } catch (IllegalArgumentException e) {
                    problem(m.fields().get(key).value().line(), join(path, key), e.getMessage());
                    return null;
                }
            }
        }
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static String quietString(Mapping m, String key) {
        Field f = m.fields().get(key);
        return f != null && f.value() instanceof Scalar sc && sc.isString() ? sc.text() : null;
    }
}
