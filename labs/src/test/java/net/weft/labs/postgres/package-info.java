/**
 * PostgreSQL through Testcontainers without an image registry (issue 5): {@link
 * net.weft.labs.postgres.WeftPostgres} starts the image that {@code labs/docker/postgres/build-image.sh}
 * assembles from Debian's postgresql-15 packages, after {@code labs/docker/ensure-docker.sh} has made a
 * Docker daemon answer; {@link net.weft.labs.postgres.PostgresImageTest} holds the image to the
 * contract the coordinator's JDBC store relies on (the official image's environment, password logins
 * over the network, UTF-8 JSON, data kept across a restart on the same volume).
 *
 * <p>Needs root or a running Docker daemon; fails loudly without one unless
 * {@code WEFT_SKIP_DOCKER_TESTS=1}.
 */
package net.weft.labs.postgres;
