#!/bin/sh
# reports_e2e.sh STAGE MQTTSPEC JSON_SCHEMA_CHECK PNG_COLOURS REPORT_FIXTURE SOURCE_DIR WORK_DIR
# End-to-end checks of the reports, one stage per ctest test:
#   junit   JUnit XML of real and fixture runs validates against the Jenkins schema
#   json    run documents conform to reports/schemas/run.schema.json; a broken one does not
#   html    the HTML report in headless Chromium: the page's self-test (filters, case
#           detail, no console errors) passes and a screenshot is not blank
#   matrix  two runs merge into a matrix that passes the self-test; diff shows the new failures
#   exit    the exit policy: --fail-on, expectations, usage errors
#   portable  reports of runs whose files and pcaps are absolute paths elsewhere hold no
#           absolute path, and their pcap links work after the report folder is moved
set -u
stage=$1 mqttspec=$2 schema_check=$3 png_colours=$4 fixture=$5 src=$6 work=$7
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
fail() { echo "FAIL: $*" >&2; exit 1; }
# A screenshot is not blank: enough colours, none covering almost everything.
not_blank() {
  if [ "$png_colours" = none ]; then echo "libpng was not found at build time: $1 not checked"; return 0; fi
  "$png_colours" "$1" 16
}

# A healthy run, a run with broken rules and a capability missing (pass, fail,
# skipped), and the fixture with one case of every verdict (non-strict, error, flaky too).
clean_run() { "$mqttspec" run --json clean.json --junit clean.xml "$@" >clean.out 2>&1; }
bad_run() {
  "$mqttspec" run --fault no-will --fault reorder --profile "$src/tests/reports/no_retain_profile.yaml" \
    --link latency_ms=20 --traces "$src/tests/data/golden" --json bad.json --junit bad.xml --report bad "$@" >bad.out 2>&1
}
fixture_run() {
  "$fixture" fixture.json || fail "report_fixture"
  "$mqttspec" report junit fixture.json --out fixture.xml >/dev/null || fail "report junit"
  "$mqttspec" report html fixture.json --out fixture >/dev/null || fail "report html"
}

chrome() {
  command -v chromium >/dev/null || { echo "chromium is not installed: skipped"; exit 77; }
  profile=$(mktemp -d)
  timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
    --disable-sync --no-first-run --user-data-dir="$profile" --enable-logging=stderr --v=0 "$@"
  status=$?
  rm -rf "$profile"
  return $status
}

# The page's own self-test (index.html?selftest=1) writes its checks into the DOM.
selftest() {
  chrome --virtual-time-budget=10000 --dump-dom "file://$work/$1/index.html?selftest=1" >"$1.dom" 2>"$1.log" ||
    fail "chromium could not load $1"
  sed -n '/^<pre id="selftest" data-status/,/<\/pre>/p' "$1.dom" | sed 's/<[^>]*>//g'
  grep -q 'id="selftest" data-status="pass"' "$1.dom" || fail "$1: the page's self-test did not pass"
  if grep -E 'CONSOLE|Uncaught|SyntaxError|ReferenceError|TypeError' "$1.log"; then fail "$1: console errors"; fi
}

case $stage in
junit)
  command -v xmllint >/dev/null || { echo "xmllint is not installed: skipped"; exit 77; }
  clean_run || fail "the clean run failed"
  bad_run; [ $? -eq 1 ] || fail "the run with faults should exit 1"
  fixture_run
  printf -- '- case: "*"\n  verdict: fail\n  reason: "known <will> & fault"\n' >known.yaml
  "$mqttspec" run --fault no-will --expect known.yaml --junit known.xml --json known.json >/dev/null 2>&1 ||
    fail "known failures should not fail the run"
  xmllint --noout --schema "$src/reports/schemas/junit-10.xsd" clean.xml bad.xml fixture.xml known.xml ||
    fail "JUnit XML does not validate"
  grep -q '<skipped message="known fail: known &lt;will&gt; &amp; fault"/>' known.xml || fail "a known failure is not marked"
  grep -q '<failure type="fail"' bad.xml || fail "no failure in bad.xml"
  grep -q '<skipped message="' bad.xml || fail "no skipped case in bad.xml"
  grep -q '<error type="error"' fixture.xml || fail "no error in fixture.xml"
  grep -q '<failure type="flaky"' fixture.xml || fail "no flaky failure in fixture.xml"
  grep -q '<property name="seed" value="1"/>' bad.xml || fail "no seed property"
  [ "$(grep -c '<testcase ' bad.xml)" -eq "$(grep -c '"verdict"' bad.json)" ] || fail "a testcase per case"
  ;;
json)
  clean_run || fail "the clean run failed"
  bad_run
  fixture_run
  schema=$src/reports/schemas/run.schema.json
  printf -- '- case: "*"\n  verdict: fail\n  reason: known\n' >known.yaml
  "$mqttspec" run --fault no-will --expect known.yaml --json known.json >/dev/null 2>&1
  grep -q '"known": "known"' known.json || fail "no known result in the document"
  "$schema_check" "$schema" clean.json bad.json fixture.json known.json || fail "a run document does not conform"
  sed 's/"verdict": *"fail"/"verdict": "broken"/' bad.json >broken.json
  if "$schema_check" "$schema" broken.json 2>broken.err; then fail "a broken document conforms"; fi
  grep -q 'verdict' broken.err || fail "the violation does not name the field"
  ;;
html)
  bad_run
  fixture_run
  [ -f bad/index.html ] || fail "no bad/index.html"
  [ -n "$(ls bad/pcap)" ] || fail "--report wrote no pcaps beside the page"
  grep -q '"pcap_href":"pcap/' bad/index.html || fail "the page does not link the pcaps relatively"
  grep -q '"trace":"differs"' bad/index.html || fail "the page has no comparison with the golden traces"
  selftest bad
  # The detail the self-test opened links its case's pcap, which is beside the page.
  href=$(grep -o 'href="pcap/[^"]*"' bad.dom | head -1 | sed 's/href="//; s/"$//')
  [ -n "$href" ] && [ -s "bad/$href" ] || fail "the case detail does not link an existing pcap ($href)"
  selftest fixture
  chrome --hide-scrollbars --window-size=1400,1000 --screenshot="$work/bad.png" "file://$work/bad/index.html" 2>/dev/null ||
    fail "no screenshot"
  not_blank bad.png || fail "the screenshot is blank"
  chrome --hide-scrollbars --window-size=1400,1000 --screenshot="$work/detail.png" \
    "file://$work/bad/index.html#case=will%2Fhalf-open%405&run=0" 2>/dev/null || fail "no screenshot of a detail"
  not_blank detail.png || fail "the detail screenshot is blank"
  ;;
matrix)
  clean_run || fail "the clean run failed"
  bad_run
  "$mqttspec" report merge clean.json bad.json --label reference --label "reference, faulty" --out matrix >/dev/null ||
    fail "merge failed"
  grep -q '"label":"reference, faulty"' matrix/index.html || fail "the matrix lacks a run"
  selftest matrix
  "$mqttspec" report diff clean.json bad.json >diff.txt
  [ $? -eq 1 ] || fail "diff with new failures should exit 1"
  cat diff.txt
  grep -q '^new failures (' diff.txt || fail "diff shows no new failures"
  grep -q 'will/keepalive-lapse@5  pass -> fail' diff.txt || fail "diff misses will/keepalive-lapse@5"
  "$mqttspec" report diff bad.json clean.json >fixed.txt || fail "diff without new failures should exit 0"
  grep -q '^fixed (' fixed.txt || fail "diff shows no fixed cases"
  "$mqttspec" report diff clean.json clean.json | grep -q '^no change$' || fail "diff of a run with itself"
  ;;
exit)
  clean_run; [ $? -eq 0 ] || fail "a clean run exits 0"
  bad_run; [ $? -eq 1 ] || fail "a run with failures exits 1"
  printf -- '- case: "*"\n  verdict: fail\n  reason: every failure is known\n' >known.yaml
  bad_run --expect known.yaml; [ $? -eq 0 ] || fail "known failures do not fail the run"
  bad_run --ignore-flaky --fail-on non-strict; [ $? -eq 1 ] || fail "--fail-on non-strict still fails on fail"
  "$mqttspec" run --fail-on sometimes >/dev/null 2>&1; [ $? -eq 2 ] || fail "a bad --fail-on is a usage error"
  GITHUB_STEP_SUMMARY=$work/summary.md bad_run
  grep -q '^### mqttspec' summary.md || fail "no step summary in \$GITHUB_STEP_SUMMARY"
  grep -q '| ❌ fail |' summary.md || fail "the summary lists no failure"
  ;;
portable)
  # Two runs written in a temporary folder, as on another machine: case files, failure
  # locations and pcaps are absolute paths below it.
  root=$(mktemp -d /tmp/mqttspec-portable.XXXXXX) || fail "mktemp"
  trap 'rm -rf "$root"' EXIT
  "$fixture" "$root/one/run.json" "$root/one" && "$fixture" "$root/two/run.json" "$root/two" || fail "report_fixture"
  grep -q "\"pcap\": \"$root/one/pcap/" "$root/one/run.json" || fail "the fixture has no absolute pcap paths"
  "$mqttspec" report html "$root/one/run.json" --out single >/dev/null || fail "report html"
  "$mqttspec" report junit "$root/one/run.json" --out single/junit.xml >/dev/null || fail "report junit"
  "$mqttspec" report merge "$root/one/run.json" "$root/two/run.json" --label one --label "two, faulty" --out matrix >/dev/null ||
    fail "report merge"
  # No absolute path: not the run's folder, nor the source or build tree (the reports are
  # written below the build tree), nor a file:// link.
  for f in single/index.html single/junit.xml matrix/index.html; do
    if grep -o -F -e "$root" -e "$src/" -e "$work" -e "file:///" "$f" >found; then fail "$f holds an absolute path: $(sort -u found)"; fi
  done
  if grep -q '<testsuite name="/' single/junit.xml; then fail "a JUnit suite named by an absolute path"; fi
  # The pcap line is relative to the JUnit file's folder (the file name alone when the
  # two folders share nothing but /, as when the checkout is not below /tmp).
  grep -Eq 'pcap: ([^/&][^&]*/)?fail\.pcap&#10;' single/junit.xml || fail "junit lost the pcap line"
  # Moved elsewhere and the run's folder gone, as an unzipped CI artifact: every case
  # links its pcap, which is inside the moved folder.
  mkdir -p elsewhere/deeper && mv single elsewhere/deeper/single && mv matrix elsewhere/deeper/matrix && rm -rf "$root"
  for d in elsewhere/deeper/single elsewhere/deeper/matrix; do
    hrefs=$(grep -o '"pcap_href":"[^"]*"' "$d/index.html" | sed 's/^"pcap_href":"//; s/"$//')
    want=$(grep -o '"verdict":"' "$d/index.html" | wc -l)
    [ "$(echo "$hrefs" | grep -c .)" -eq "$want" ] || fail "$d: not every case links its pcap"
    for href in $hrefs; do
      case $href in /* | *..*) fail "$d: a pcap link leaves the folder: $href" ;; esac
      [ -s "$d/$href" ] || fail "$d: $href does not resolve in the moved folder"
    done
  done
  ls elsewhere/deeper/matrix/pcap | tr '\n' ' ' | grep -q '^one two-faulty $' || fail "matrix pcaps are not in a folder per run"
  if command -v chromium >/dev/null; then
    selftest elsewhere/deeper/matrix
    href=$(grep -o 'href="pcap/[^"]*"' elsewhere/deeper/matrix.dom | head -1 | sed 's/href="//; s/"$//')
    [ -n "$href" ] && [ -s "elsewhere/deeper/matrix/$href" ] || fail "the moved matrix's case detail does not link its pcap ($href)"
  fi
  ;;
*) fail "unknown stage $stage" ;;
esac
echo "ok: $stage"
