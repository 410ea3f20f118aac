#!/usr/bin/env bash
# build-image.sh: builds the local PostgreSQL 15 image for the Testcontainers tests, with no image
# registry: a root filesystem assembled from Debian's packages, then `docker import`.
#
#   labs/docker/postgres/build-image.sh [--force] [TAG]     TAG defaults to weft/postgres:15
#
# The filesystem holds postgresql-15 and postgresql-client-15 (their C programs, not Debian's perl
# wrappers), the shared libraries they link, dash, coreutils and tzdata; no LLVM (so jit=off), no
# perl, no docs. It runs as the postgres user (uid 999) with docker-entrypoint.sh beside this file,
# which follows the official image's environment (POSTGRES_USER, POSTGRES_PASSWORD, POSTGRES_DB,
# PGDATA). The image carries a label with the hash of this script and the entrypoint: a build whose
# image exists with the same hash does nothing. Needs root (dpkg -x, chroot, file owners) and a
# running Docker daemon (labs/docker/ensure-docker.sh).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
FORCE=0
[ "${1:-}" = "--force" ] && { FORCE=1; shift; }
TAG=${1:-weft/postgres:15}
PG=15
PG_UID=999
HASH_LABEL=net.weft.build-hash

say() { echo "build-image: $*" >&2; }
die() { say "$*"; exit 1; }

hash=$(cat "$HERE/build-image.sh" "$HERE/docker-entrypoint.sh" | sha256sum | cut -c1-16)
have=$(docker image inspect -f "{{index .Config.Labels \"$HASH_LABEL\"}}" "$TAG" 2>/dev/null || true)
if [ "$FORCE" -eq 0 ] && [ "$have" = "$hash" ]; then
  say "$TAG is up to date ($hash)"
  exit 0
fi
[ "$(id -u)" -eq 0 ] || die "building $TAG needs root (dpkg -x, chroot, file owners)"
docker info >/dev/null 2>&1 || die "no Docker daemon answers: run labs/docker/ensure-docker.sh first"
# one build at a time (test JVMs of parallel builds may ask together); the first one's image will do
exec 9>/run/weft-build-image.lock
flock -w 600 9 || die "another build-image.sh holds /run/weft-build-image.lock"
if [ "$FORCE" -eq 0 ] && [ "$(docker image inspect -f "{{index .Config.Labels \"$HASH_LABEL\"}}" "$TAG" 2>/dev/null || true)" = "$hash" ]; then
  say "$TAG is up to date ($hash)"
  exit 0
fi
start=$SECONDS

work=$(mktemp -d "${TMPDIR:-/var/tmp}/weft-postgres-image.XXXXXX")
trap 'rm -rf "$work"' EXIT
root=$work/rootfs
mkdir -p "$work/debs" "$root"

# --- which packages ----------------------------------------------------------------------------
export DEBIAN_FRONTEND=noninteractive
if ! apt-cache show "postgresql-$PG" >/dev/null 2>&1; then
  say "apt-get update"
  apt-get update -qq >/dev/null
fi
# The closure of the packages below under Depends/Pre-Depends (first alternative), one apt-cache call
# per level. SKIP holds what the programs do not load: maintainer-script tooling, perl, LLVM (only
# llvmjit.so uses it), locales (libc-bin, an Essential package nobody names, brings C.UTF-8), PAM modules (postgres uses no PAM here).
WANT=("postgresql-$PG" "postgresql-client-$PG" libpq5 libc-bin dash coreutils tzdata)
SKIP='^(libllvm.*|libz3-.*|libperl.*|perl.*|libjson-perl|postgresql-common|postgresql-client-common|debconf|cdebconf|debconf-2.0|locales|locales-all|ssl-cert|lsb-base|adduser|sensible-utils|ucf|dpkg|install-info|tar|libc-l10n|readline-common|netbase|passwd|sysvinit-utils|libpam-modules.*|libpam-runtime|gcc-12-base|libsemanage.*|libaudit-common|debianutils|init-system-helpers)$'
declare -A seen=()
level=("${WANT[@]}")
while [ ${#level[@]} -gt 0 ]; do
  for p in "${level[@]}"; do seen[$p]=1; done
  next=()
  while read -r d; do
    [[ $d =~ $SKIP ]] && continue
    [ -n "${seen[$d]:-}" ] && continue
    seen[$d]=1
    next+=("$d")
  done < <(apt-cache depends --no-recommends --no-suggests --no-conflicts --no-breaks --no-replaces \
             --no-enhances "${level[@]}" | awk '/^  (Pre)?Depends:/ && $2 !~ /^</ {print $2}' | sort -u)
  level=("${next[@]}")
done
packages=$(printf '%s\n' "${!seen[@]}" | sort)
say "$(wc -l <<<"$packages") packages: $(tr '\n' ' ' <<<"$packages")"

# --- download and unpack -------------------------------------------------------------------------
chmod 0755 "$work"; chmod 0777 "$work/debs" # apt's _apt user writes the downloads
# shellcheck disable=SC2086
(cd "$work/debs" && apt-get download -qq $packages >/dev/null) || die "apt-get download failed"
for deb in "$work"/debs/*.deb; do
  dpkg-deb -x "$deb" "$root"
done

# --- shape the filesystem ------------------------------------------------------------------------
rm -rf "$root"/usr/share/{doc,man,info,lintian,locale,bug} \
       "$root/usr/lib/postgresql/$PG/lib/bitcode" "$root"/usr/lib/postgresql/$PG/lib/llvmjit* \
       "$root/etc/postgresql-common" "$root/usr/share/postgresql/$PG/man"
ln -sf dash "$root/bin/sh"
mkdir -p "$root/tmp" "$root/var/lib/postgresql/data" "$root/var/run/postgresql" "$root/usr/local/bin" "$root/etc"
chmod 1777 "$root/tmp"
cat >"$root/etc/passwd" <<EOF
root:x:0:0:root:/root:/bin/sh
postgres:x:$PG_UID:$PG_UID:PostgreSQL:/var/lib/postgresql:/bin/sh
EOF
cat >"$root/etc/group" <<EOF
root:x:0:
postgres:x:$PG_UID:
EOF
echo "passwd: files" >"$root/etc/nsswitch.conf"
echo "group: files" >>"$root/etc/nsswitch.conf"
install -m 0755 "$HERE/docker-entrypoint.sh" "$root/usr/local/bin/docker-entrypoint.sh"
chown -R "$PG_UID:$PG_UID" "$root/var/lib/postgresql" "$root/var/run/postgresql"
chmod 0700 "$root/var/lib/postgresql/data"
chmod 2775 "$root/var/run/postgresql"

# --- every program and module finds its libraries (the image's own loader says so) --------------
missing=""
for f in "$root"/usr/lib/postgresql/$PG/bin/* "$root"/usr/lib/postgresql/$PG/lib/*.so; do
  [ "$(head -c4 "$f" | od -An -c | tr -d ' ')" = '177ELF' ] || continue
  out=$(chroot "$root" /lib64/ld-linux-x86-64.so.2 --list "${f#"$root"}" 2>&1) || true
  grep -q 'not found' <<<"$out" && missing+="${f#"$root"}: $(grep 'not found' <<<"$out" | tr -s ' \t' ' ')"$'\n'
done
[ -z "$missing" ] || die "libraries missing from the image:"$'\n'"$missing"
chroot "$root" "/usr/lib/postgresql/$PG/bin/postgres" --version >/dev/null || die "postgres does not run in the image"

# --- import ----------------------------------------------------------------------------------------
old_id=$(docker image inspect -f '{{.Id}}' "$TAG" 2>/dev/null || true)
tar --numeric-owner -C "$root" -c . | docker import \
  --change "ENV PATH=/usr/lib/postgresql/$PG/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
  --change "ENV PGDATA=/var/lib/postgresql/data" \
  --change "ENV LANG=C.UTF-8" \
  --change "USER $PG_UID:$PG_UID" \
  --change "WORKDIR /var/lib/postgresql" \
  --change "EXPOSE 5432" \
  --change "LABEL $HASH_LABEL=$hash" \
  --change 'ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]' \
  --message "weft/postgres: Debian postgresql-$PG, built by labs/docker/postgres/build-image.sh" \
  - "$TAG" >/dev/null
# the image this one replaces, unless a container still uses it
if [ -n "$old_id" ] && [ "$old_id" != "$(docker image inspect -f '{{.Id}}' "$TAG")" ]; then
  docker rmi "$old_id" >/dev/null 2>&1 || true
fi
size=$(docker image inspect -f '{{.Size}}' "$TAG")
say "built $TAG ($hash, $((size / 1024 / 1024)) MiB) in $((SECONDS - start)) s"
