#!/usr/bin/env bash
# GraalVM's points-to analysis of the Quarkus native sources of Cairn's applications, with the
# native-image builder from Maven Central (no GraalVM distribution, no linker: see
# ../shared notes "GraalVM native images"). It catches what a real native build would reject:
# missing reflection / resource registrations, classes initialised at build time wrongly,
# unresolvable types under --link-at-build-time.
#
#   bench/native-analysis.sh [app ...]      default: collector-svc; "all" = every image
#
# First, the native build steps (what ./cairn test runs):
#   mvn -B -q package -Dnative -Dquarkus.native.sources-only=true -DskipTests -pl <apps> -am
# Exit status: 0 when every analysis passed, 1 otherwise. Per app: the builder's log, and a line
# "app result types fields methods analysis(time) heap total_seconds rc load" in
# bench/target/native-analysis-<run>/summary.txt.
# Env: CAIRN_GRAALVM_JDK (a JDK 25; default Temurin 25), CAIRN_NATIVE_XMX (builder heap, 6g).
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
HERE="$ROOT/bench/native-analysis"
# The builder, its JDK copy and headers, kept between runs; each run's logs go to $OUT.
WORK="$ROOT/bench/target/native-analysis"
JDK25="${CAIRN_GRAALVM_JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}"
XMX="${CAIRN_NATIVE_XMX:-6g}"
ALL=(collector-svc sampler-svc storage-svc query-svc operator)

apps=("$@"); [ ${#apps[@]} -gt 0 ] || apps=(collector-svc)
[ "${apps[0]}" != all ] || apps=("${ALL[@]}")
[ -x "$JDK25/bin/java" ] || die "no JDK 25 at $JDK25 (CAIRN_GRAALVM_JDK)"
command -v gcc >/dev/null || die "gcc is needed (the builder compiles C queries of struct layouts)"
mkdir -p "$WORK"

# --- The builder's jars, resolved once by Maven (svm, pointsto, compiler, word, ...) ---
if [ ! -s "$WORK/lib/svm-25.0.4.jar" ]; then
  log "resolving the native-image builder from Maven Central into $WORK/lib"
  (cd "$HERE" && JAVA_HOME="$JDK25" mvn -B -q dependency:copy-dependencies -DoutputDirectory="$WORK/lib") \
    || die "could not resolve the builder's jars"
fi

# --- A JDK copy that looks enough like a GraalVM: the builder wants a helper library there ---
JDK="$WORK/jdk"
if [ ! -x "$JDK/bin/java" ]; then
  log "copying $JDK25 to $JDK"
  rm -rf "$JDK.tmp" && cp -a "$JDK25" "$JDK.tmp" && mv "$JDK.tmp" "$JDK"
fi
mkdir -p "$JDK/lib/svm/builder/lib"
# libreporterchelper serves the build report (ProgressReporterCHelper's two natives): peak RSS
# from getrusage, terminal width unknown (0).
cat >"$WORK/reporterchelper.c" <<'C'
#include <sys/resource.h>
long Java_com_oracle_svm_hosted_ProgressReporterCHelper_getPeakRSS0(void *env, void *cls) {
  struct rusage usage;
  return getrusage(RUSAGE_SELF, &usage) == 0 ? usage.ru_maxrss * 1024L : -1L;
}
int Java_com_oracle_svm_hosted_ProgressReporterCHelper_getTerminalWindowColumns0(void *env, void *cls) {
  return 0;
}
C
gcc -shared -fPIC -o "$JDK/lib/svm/builder/lib/libreporterchelper.so" "$WORK/reporterchelper.c"

# --- The C headers the C annotation processor includes, derived from the builder's classes ---
CLIB="$WORK/clibraries"
if [ ! -s "$CLIB/include/svm_locale.h" ] || [ "$CLIB/include/svm_locale.h" -ot "$HERE/c_headers.py" ]; then
  rm -rf "$WORK/classes" && mkdir -p "$WORK/classes"
  (cd "$WORK/classes" && unzip -q -o "$WORK/lib/svm-25.0.4.jar" 'com/oracle/svm/core/amd64/*' \
     'com/oracle/svm/core/aarch64/*' 'com/oracle/svm/core/riscv64/*' 'com/oracle/svm/core/c/locale/*')
  python3 "$HERE/c_headers.py" "$JDK/bin/javap" "$WORK/classes" "$CLIB/include"
fi

# Every package of the JDK's modules exported to the builder's modules, as the launcher does; and
# the default root modules of a class-path application in the boot layer (--add-modules
# ALL-DEFAULT below), so that the application's classes resolve against the JDK as on a GraalVM.
if [ ! -s "$WORK/jdk-exports" ]; then
  builder_modules="$(for j in "$WORK"/lib/*.jar; do "$JDK/bin/jar" --describe-module --file "$j" | sed -n '1{s/[@ ].*//;p}'; done \
    | sort -u | paste -sd, -)"
  "$JDK/bin/java" --list-modules | sed 's/@.*//' | xargs -n1 "$JDK/bin/java" --describe-module \
    | awk -v to="$builder_modules,ALL-UNNAMED" \
      '/^[a-zA-Z0-9.]+@/ { m=$1; sub(/@.*/, "", m); next }
       $1=="contains" || ($1=="qualified" && $2=="exports") { p = ($1=="contains") ? $2 : $3;
         print "--add-exports=" m "/" p "=" to }' | sort -u >"$WORK/jdk-exports"
fi

# A GraalVM's launcher names itself so; Quarkus's Feature reads it to pick version-specific code.
GRAALVM_VERSION="$(sed -n 's:.*<graalvm.version>\(.*\)</graalvm.version>.*:\1:p' "$HERE/pom.xml")"
MODULE_PATH="$(ls "$WORK"/lib/*.jar | grep -v '/compiler-' | paste -sd: -)"
COMPILER_JAR="$(ls "$WORK"/lib/compiler-*.jar)"

# Quarkus writes arguments for the native-image launcher; the runner takes -H: options only.
translate_args() {
  local skip=0 a
  for a in "$@"; do
    if [ "$skip" -gt 0 ]; then skip=$((skip - 1)); continue; fi
    case "$a" in
      -J*) echo "JVM ${a#-J}" ;;
      --features=*) echo "ARG -H:Features=${a#--features=}" ;;
      --enable-url-protocols=*) echo "ARG -H:EnableURLProtocols=${a#--enable-url-protocols=}" ;;
      --enable-monitoring=*) echo "ARG -H:EnableMonitoringFeatures=${a#--enable-monitoring=}" ;;
      --initialize-at-build-time=*) echo "ARG -H:ClassInitialization=${a#--initialize-at-build-time=}:build_time" ;;
      --initialize-at-run-time=*) echo "ARG -H:ClassInitialization=${a#--initialize-at-run-time=}:run_time" ;;
      --link-at-build-time) echo "ARG -H:LinkAtBuildTime=" ;;
      # Launcher-only: a fallback image, native access of the launcher, config exclusion of the
      # image's own jar (Netty's generated handlers config, which Quarkus replaces).
      --no-fallback | --enable-native-access=*) ;;
      --exclude-config) skip=2 ;;
      -jar) skip=1 ;;
      -H:BuildOutputJSONFile=* | -H:+GenerateBuildArtifactsFile) ;;
      -H:*) echo "ARG $a" ;;
      -*) echo "UNKNOWN $a" ;;
      *) echo "NAME $a" ;;
    esac
  done
}

summary="$OUT/summary.txt"
: >"$summary"
failed=0
for app in "${apps[@]}"; do
  [ -s "$ROOT/$app/target/native-sources/native-image.args" ] \
    || die "$app: no $app/target/native-sources/native-image.args; run the native build steps first (see the header)"
  out="$OUT/$app" && mkdir -p "$out"
  # A copy: a build running meanwhile may rewrite target/ under the analysis.
  cp -a "$ROOT/$app/target/native-sources" "$out/sources"
  src="$out/sources"
  # shellcheck disable=SC2207
  args=($(cat "$src/native-image.args"))
  jar="$(ls "$src"/*-runner.jar)"
  jvm=() run=() name=""
  while read -r kind val; do
    case "$kind" in
      JVM) jvm+=("$val") ;;
      ARG) run+=("$val") ;;
      NAME) name="$val" ;;
      UNKNOWN) die "$app: native-image argument $val has no translation here" ;;
    esac
  done < <(translate_args "${args[@]}")
  cp="$jar$(unzip -p "$jar" META-INF/MANIFEST.MF | tr -d '\r' | sed -n '/^Class-Path:/,/^[A-Z][a-zA-Z-]*:/p' \
       | sed '1s/^Class-Path://; s/^ //' | grep -v '^[A-Z][a-zA-Z-]*:' | tr -d '\n' | tr ' ' '\n' \
       | grep . | sed "s|^|:$src/|" | tr -d '\n')"
  main="$(unzip -p "$jar" META-INF/MANIFEST.MF | tr -d '\r' | sed -n 's/^Main-Class: //p')"
  log "$app: points-to analysis ($(echo "$cp" | tr ':' '\n' | wc -l) jars, log $out/build.log)"
  start=$SECONDS
  set +e
  (cd "$out" && JVMCI_VERSION_CHECK=ignore "$JDK/bin/java" \
     -XX:+UnlockExperimentalVMOptions -XX:+EnableJVMCI -XX:-UseJVMCICompiler \
     -Xss10m -Xmx"$XMX" -XX:+UseParallelGC -Djava.awt.headless=true -Dfile.encoding=UTF-8 \
     -Djava.system.class.loader=com.oracle.svm.hosted.NativeImageSystemClassLoader -Dorg.graalvm.nativeimage.imagecode=buildtime \
     --enable-native-access=org.graalvm.nativeimage.builder,ALL-UNNAMED \
     "-Dorg.graalvm.vendorversion=GraalVM CE $GRAALVM_VERSION" \
     "${jvm[@]}" $(cat "$WORK/jdk-exports") --add-modules ALL-DEFAULT \
     --upgrade-module-path "$COMPILER_JAR" --module-path "$MODULE_PATH" \
     --module org.graalvm.nativeimage.builder/com.oracle.svm.hosted.NativeImageGeneratorRunner \
     -imagecp "$cp" -H:Path="$out" -H:Name="${name:-$app}" -H:Class="$main" \
     -H:ImageBuildID="$(cat /proc/sys/kernel/random/uuid)" -H:CLibraryPath="$CLIB" \
     -H:+UnlockExperimentalVMOptions -H:+ReturnAfterAnalysis -H:+ReportExceptionStackTraces \
     -H:-UnlockExperimentalVMOptions "${run[@]}") >"$out/build.log" 2>&1
  rc=$?
  set -e
  secs=$((SECONDS - start))
  # the analysis' summary (GraalVM 25):
  #   "[2/8] Performing analysis...  [*****]     (60.6s @ 1.44GB)"
  #   "   11,346 types,  15,142 fields, and  52,202 methods found reachable"
  reach="$(grep -E '^ *[0-9,]+ types, +[0-9,]+ fields, and +[0-9,]+ methods found reachable' "$out/build.log" | head -1 || true)"
  types="$(echo "$reach" | sed -nE 's/^ *([0-9,]+) types.*/\1/p' | tr -d ,)"
  fields="$(echo "$reach" | sed -nE 's/.* ([0-9,]+) fields.*/\1/p' | tr -d ,)"
  methods="$(echo "$reach" | sed -nE 's/.* ([0-9,]+) methods found.*/\1/p' | tr -d ,)"
  analysis="$(sed -nE 's/^\[2\/8\] Performing analysis.*\(([0-9.]+s) @ ([0-9.]+GB)\).*/\1 heap=\2/p' "$out/build.log" | head -1)"
  if [ "$rc" -eq 0 ] && grep -q 'Performing analysis' "$out/build.log" && [ -n "$methods" ] \
     && ! grep -qE '^(Error|Fatal error):' "$out/build.log"; then
    result=passed
  else
    result=FAILED; failed=1
    grep -E -m 20 '^(Error|Fatal error|Caused by)|Exception' "$out/build.log" >&2 || tail -n 30 "$out/build.log" >&2
  fi
  printf '%s %s types=%s fields=%s methods=%s analysis=%s total_seconds=%s rc=%s load=%s\n' "$app" "$result" \
    "${types:-?}" "${fields:-?}" "${methods:-?}" "${analysis:-?}" "$secs" "$rc" "$(loadavg)" | tr -s ' ' | tee -a "$summary"
done
exit "$failed"
