package net.weft.coordinator.api;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

/** The address a request came from (the TCP peer; proxies' headers are not trusted). */
final class Sources {

    private Sources() {
    }

    static String of(HttpServerRequest http) {
        SocketAddress a = http == null ? null : http.remoteAddress();
        return a == null || a.hostAddress() == null ? "unknown" : a.hostAddress();
    }
}
