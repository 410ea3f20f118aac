#!/bin/sh
# The weft/postgres image's entrypoint: the official postgres image's contract, much reduced.
#
# Runs as the postgres user (the image's USER). On a data directory without a cluster it creates one
# (initdb, UTF-8, C.UTF-8 locale) whose superuser is $POSTGRES_USER with $POSTGRES_PASSWORD, creates
# $POSTGRES_DB, and lets the network in with scram-sha-256 (local socket connections are trusted).
# Like the official image it does that on a temporary server that listens on the socket only, so a
# fresh container logs "database system is ready to accept connections" twice and a restarted one
# once; Testcontainers' PostgreSQLContainer waits for the second line. Initialisation skips fsync
# (a test image). Arguments go to postgres, with or without a leading `postgres` (Testcontainers
# passes `postgres -c fsync=off`); any other command runs as it is.
set -eu

case "${1:-}" in
  postgres) shift ;;
  "" | -*) ;;
  *) exec "$@" ;;
esac

: "${PGDATA:=/var/lib/postgresql/data}"
: "${POSTGRES_USER:=postgres}"
: "${POSTGRES_DB:=$POSTGRES_USER}"
export PGDATA

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  if [ -z "${POSTGRES_PASSWORD:-}" ]; then
    echo "weft/postgres: POSTGRES_PASSWORD is empty: set it (the network needs a password here)" >&2
    exit 1
  fi
  initdb --no-sync --username="$POSTGRES_USER" --encoding=UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  # initdb lets in only 127.0.0.1 and ::1; a container is reached through its bridge address
  echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"
  pg_ctl --wait --silent --options="-c listen_addresses='' -c jit=off -c fsync=off" start
  # the password and names travel as psql variables, quoted by psql, never spliced into SQL here
  psql --no-psqlrc --quiet --set=ON_ERROR_STOP=1 --username="$POSTGRES_USER" --dbname=postgres \
    --set=user="$POSTGRES_USER" --set=password="$POSTGRES_PASSWORD" --set=db="$POSTGRES_DB" <<'SQL'
ALTER ROLE :"user" PASSWORD :'password';
SELECT format('CREATE DATABASE %I', :'db') WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \gexec
SQL
  pg_ctl --wait --silent --mode=fast stop
  echo "weft/postgres: cluster created in $PGDATA for user $POSTGRES_USER, database $POSTGRES_DB"
fi

# jit=off: the image leaves out LLVM (llvmjit.so would not load)
exec postgres -c listen_addresses='*' -c jit=off "$@"
