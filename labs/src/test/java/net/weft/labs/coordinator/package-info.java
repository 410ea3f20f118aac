/**
 * Labs against the real coordinator, started as processes from its packaged Quarkus app
 * ({@code coordinator/BUILD_DIR/quarkus-app/quarkus-run.jar}): clusters, stores, and the admin command line
 * ({@code weft token|nodes}) end to end.
 */
package net.weft.labs.coordinator;
