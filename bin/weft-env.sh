# Sourced by ./weft and bin/weft-wg: finds the JDK 25 everything runs on.
# shellcheck shell=bash

java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }

# Prints JAVA_HOME if it is 25 or newer, else the first /usr/lib/jvm/*25*; dies naming what to install.
find_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    local v; v=$(java_major "$JAVA_HOME")
    if [ -n "$v" ] && [ "${v%%.*}" -ge 25 ] 2>/dev/null; then echo "$JAVA_HOME"; return; fi
  fi
  local d
  for d in /usr/lib/jvm/*25*; do
    if [ -x "$d/bin/java" ]; then echo "$d"; return; fi
  done
  die "no JDK 25 found: install one (e.g. Temurin 25 under /usr/lib/jvm) or set JAVA_HOME to a JDK 25 or newer"
}
