# Sourced by ./mvnw and devstack/run. Herald needs a JDK 21 or newer, while the machine's
# default `java` may be older: keep JAVA_HOME when it already points at a JDK 21+, otherwise
# export the newest JDK 21+ found in the usual install locations.

herald_jdk_major() {
  # Reads the feature version from the JDK's `release` file, e.g. JAVA_VERSION="25.0.3" -> 25.
  [ -x "$1/bin/javac" ] && [ -f "$1/release" ] || return 1
  sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release"
}

herald_select_jdk() {
  if [ -n "${JAVA_HOME-}" ] && [ "$(herald_jdk_major "$JAVA_HOME" || echo 0)" -ge 21 ] 2>/dev/null; then
    return 0
  fi
  best="" best_major=0
  path_java="$(command -v java 2>/dev/null || true)"
  path_home=""
  [ -n "$path_java" ] && path_home="$(dirname "$(dirname "$(readlink -f "$path_java")")")"
  for home in $path_home /usr/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* \
      /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    major="$(herald_jdk_major "$home" 2>/dev/null)" || continue
    if [ -n "$major" ] && [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then
      best="$home" best_major="$major"
    fi
  done
  if [ -z "$best" ]; then
    echo "Herald needs a JDK 21 or newer: install one or set JAVA_HOME to it." >&2
    return 1
  fi
  JAVA_HOME="$best"
  export JAVA_HOME
}

herald_noglob=""
case $- in *f*) herald_noglob=1 && set +f ;; esac # ./mvnw runs with `set -f`; the search needs globs
herald_select_jdk || exit 1
[ -z "$herald_noglob" ] || set -f
