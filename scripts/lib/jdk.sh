# Sourced by Heddle's scripts: finds a JDK 25 and exports JAVA_HOME to it.
# Looks, in order, at $HEDDLE_JAVA_HOME, $JAVA_HOME, /usr/lib/jvm/*, /opt/*jdk*, and `java` on the PATH.
# A JDK counts when its bin/java reports feature version 25 or newer and it has bin/javac.

heddle_java_feature() {  # prints the feature version of the java binary $1, or nothing
  "$1" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -1
}

heddle_find_jdk() {
  local candidates=() c looked=()
  [ -n "${HEDDLE_JAVA_HOME:-}" ] && candidates+=("$HEDDLE_JAVA_HOME")
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  for c in /usr/lib/jvm/*25* /usr/lib/jvm/* /opt/*jdk* /opt/java/*; do
    [ -d "$c" ] && candidates+=("$c")
  done
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  for c in "${candidates[@]}"; do
    looked+=("$c")
    [ -x "$c/bin/java" ] && [ -x "$c/bin/javac" ] || continue
    local v; v=$(heddle_java_feature "$c/bin/java")
    if [ -n "$v" ] && [ "$v" -ge 25 ]; then
      export JAVA_HOME="$c"
      return 0
    fi
  done
  {
    echo "heddle: no JDK 25 found. Heddle needs Java 25 (javac and java)."
    echo "  looked at: \$HEDDLE_JAVA_HOME, \$JAVA_HOME, /usr/lib/jvm/*, /opt/*jdk*, java on the PATH:"
    for c in "${looked[@]}"; do echo "    $c"; done
    echo "  fix: install a JDK 25 (for example Temurin 25) and set HEDDLE_JAVA_HOME to its directory."
  } >&2
  return 1
}
