#!/usr/bin/env bash
# The CI recipes of docs/ci.md still work with this mqttspec:
#   - docs/ci/github-actions.yml and docs/ci/gitlab-ci.yml parse (yaml_check, yaml-cpp);
#   - every `mqttspec SUBCOMMAND ...` in their run:/script: commands, and in the code
#     blocks of docs/ci.md, names a subcommand that exists, and each option it uses
#     appears in `mqttspec SUBCOMMAND --help`;
#   - every brokers/... file they name is in the repository;
#   - the workflow uploads the report, run.json and the JUnit file with if: always()
#     and publishes the JUnit; the GitLab job keeps them as artifacts and reports:junit;
#   - the build lines name a configure preset of CMakePresets.json, its build folder,
#     and a target that exists; the Debian packages are ones scripts/setup.sh knows.
# usage: ci_recipes_test.sh MQTTSPEC SOURCE_DIR YAML_CHECK
set -euo pipefail
mqttspec=$1 root=$2 yaml_check=$3
github=$root/docs/ci/github-actions.yml
gitlab=$root/docs/ci/gitlab-ci.yml
guide=$root/docs/ci.md
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# Values of the last `mqttspec run` seen: the files the upload steps must name.
declare -A run_value=()
invocations=0 presets_seen=0 targets_seen=0

# Checks one mqttspec invocation: words[0] is the binary, words[1] the subcommand.
check_invocation() {
  local src=$1; shift
  local words=("$@") sub=${2:-} help
  invocations=$((invocations + 1))
  echo "$src: mqttspec ${words[*]:1}"
  if [[ -z $sub || $sub == -* ]]; then
    help=$("$mqttspec" --help 2>&1) || { fail "$src: mqttspec --help failed"; return; }
  else
    if ! help=$("$mqttspec" "$sub" --help 2>&1); then
      fail "$src: 'mqttspec $sub' is not a subcommand: ${words[*]}"
      return
    fi
    # report has modes: `mqttspec report diff ...`
    if [[ $sub == report ]]; then
      local mode=${words[2]:-}
      grep -qE -- "mqttspec report ${mode}( |$)" <<<"$help" || fail "$src: 'mqttspec report $mode' is not a mode of report"
    fi
  fi
  local i w opt
  for ((i = 2; i < ${#words[@]}; i++)); do
    w=${words[i]}
    if [[ $w =~ ^--[a-zA-Z] ]]; then
      opt=${w%%=*}
    elif [[ $w =~ ^-[a-zA-Z]$ ]]; then
      opt=$w
    else
      continue
    fi
    grep -qE -- "(^|[^a-zA-Z0-9-])${opt}([^a-zA-Z0-9-]|$)" <<<"$help" ||
      fail "$src: 'mqttspec $sub' has no option $opt (see mqttspec $sub --help): ${words[*]}"
    if [[ $sub == run && $w != *=* && $((i + 1)) -lt ${#words[@]} ]]; then
      run_value[$opt]=${words[i + 1]}
    fi
  done
}

# Checks one cmake command line: presets, build folder, target.
check_cmake() {
  local src=$1; shift
  local words=("$@") i
  for ((i = 1; i < ${#words[@]}; i++)); do
    case ${words[i]} in
      --preset)
        presets_seen=$((presets_seen + 1))
        grep -qE "\"name\": *\"${words[i + 1]:-}\"" "$root/CMakePresets.json" ||
          fail "$src: no preset '${words[i + 1]:-}' in CMakePresets.json"
        ;;
      --build)
        local dir=${words[i + 1]:-}
        if [[ $dir != --preset ]]; then
          [[ $dir =~ ^build/([a-z]+)$ ]] && grep -qE "\"name\": *\"${BASH_REMATCH[1]}\"" "$root/CMakePresets.json" &&
            grep -qF '"binaryDir": "${sourceDir}/build/${presetName}"' "$root/CMakePresets.json" ||
            fail "$src: cmake --build $dir is not the build folder of a preset (build/PRESET)"
        fi
        ;;
      --target)
        targets_seen=$((targets_seen + 1))
        grep -rqE --include=CMakeLists.txt "add_executable\(${words[i + 1]:-}( |$)" "$root/harness" ||
          fail "$src: no executable target '${words[i + 1]:-}' in harness/"
        ;;
    esac
  done
}

known_packages=" $(sed -n '/^packages=(/,/^)/p' "$root/scripts/setup.sh" | tr '()\n' '   ' | tr -s ' ') "
check_apt() {
  local src=$1; shift
  local words=("$@") i after=0
  for ((i = 1; i < ${#words[@]}; i++)); do
    [[ ${words[i]} == install ]] && { after=1; continue; }
    ((after)) || continue
    [[ ${words[i]} == -* ]] && continue
    case ${words[i]} in git | ca-certificates | curl) continue ;; esac   # to fetch mqttspec, not to build it
    [[ $known_packages == *" ${words[i]} "* ]] ||
      fail "$src: apt package '${words[i]}' is not one of scripts/setup.sh"
  done
}

# Splits shell text into simple commands and checks those that run mqttspec, cmake or apt-get.
check_shell() {
  local src=$1 text=$2 line
  text=${text//$'\\\n'/ }                          # continued lines
  text=$(sed -e 's/&&/\n/g; s/||/\n/g; s/[;|()]/\n/g' <<<"$text")
  while IFS= read -r line; do
    local words=() i=0 n w
    read -ra words <<<"$line" || true
    n=${#words[@]}
    while ((i < n)); do                            # what precedes the command itself
      w=${words[i]}
      case $w in
        if | then | else | elif | do | while | until | '!' | exec | time | env | '{') i=$((i + 1)) ;;
        timeout)
          i=$((i + 1))
          while ((i < n)) && [[ ${words[i]} == -* ]]; do
            case ${words[i]} in -k | -s | --signal | --kill-after) i=$((i + 2)) ;; *) i=$((i + 1)) ;; esac
          done
          i=$((i + 1)) ;;                          # the duration
        *)
          if [[ $w =~ ^[A-Za-z_][A-Za-z0-9_]*= ]]; then i=$((i + 1)); else break; fi ;;
      esac
    done
    ((i < n)) || continue
    case ${words[i]##*/} in
      mqttspec) check_invocation "$src" "${words[@]:i}" ;;
      cmake) check_cmake "$src" "${words[@]:i}" ;;
      apt-get) check_apt "$src" "${words[@]:i}" ;;
    esac
  done <<<"$text"
}

check_broker_paths() {
  local src=$1 file=$2 p
  while IFS= read -r p; do
    p=brokers/${p#*brokers/}
    [[ -f $root/$p ]] || fail "$src: $p is not in the repository"
  done < <(grep -oE '[A-Za-z0-9_./-]*brokers/[A-Za-z0-9_./-]*[A-Za-z0-9_]' "$file" || true)
}

# leaf PATH FILE: the value of one scalar of yaml_check's leaves output.
leaf() { awk -F'\t' -v k="$1" '$1 == k { sub(/^[^\t]*\t/, ""); print; exit }' "$2"; }
# list_has VALUE ITEM: VALUE (items separated by \n) has ITEM, with or without a trailing /.
list_has() {
  local item
  while IFS= read -r item; do
    [[ ${item%/} == "${2%/}" ]] && return 0
  done < <(sed 's/\\n/\n/g' <<<"$1")
  return 1
}

# --- (a) both recipes parse; (b) their commands; (e) build lines ---
for recipe in "$github" "$gitlab"; do
  name=${recipe#"$root"/}
  [[ -f $recipe ]] || { fail "$name is missing"; continue; }
  if ! "$yaml_check" leaves "$recipe" >"$work/leaves" || ! "$yaml_check" commands "$recipe" >"$work/commands"; then
    fail "$name does not parse as YAML"
    continue
  fi
  run_value=()
  before=$invocations presets_seen=0 targets_seen=0
  while IFS= read -r -d '' cmd; do
    check_shell "$name" "$cmd"
  done <"$work/commands"
  ((invocations > before)) || fail "$name runs no mqttspec command"
  ((presets_seen > 0 && targets_seen > 0)) || fail "$name: no 'cmake --preset' or no 'cmake --build ... --target'"
  for opt in --broker --junit --json --report --profile --expect; do
    [[ -n ${run_value[$opt]:-} ]] || fail "$name: its mqttspec run has no $opt"
  done
  # the binary's folder: build/PRESET/harness, where the mqttspec target is
  grep -qE 'add_executable\(mqttspec( |$)' "$root/harness/CMakeLists.txt" || fail "harness/CMakeLists.txt has no mqttspec target"
  while IFS= read -r dir; do
    [[ $dir =~ build/([a-z]+)/harness ]] && grep -qE "\"name\": *\"${BASH_REMATCH[1]}\"" "$root/CMakePresets.json" ||
      fail "$name: $dir is not where a preset builds mqttspec"
  done < <(grep -oE 'build/[a-z]+/harness' "$recipe" || true)
  check_broker_paths "$name" "$recipe"

  # --- (d) reports kept whatever the outcome ---
  junit=${run_value[--junit]:-junit.xml} json=${run_value[--json]:-run.json} report=${run_value[--report]:-report}
  if [[ $recipe == "$github" ]]; then
    for event in push pull_request; do
      awk -F'\t' -v e="/on/$event" '$1 == e || index($1, e "/") == 1 { f = 1 } END { exit !f }' "$work/leaves" ||
        grep -qxE "/on/[0-9]+	$event" "$work/leaves" || fail "$name: not triggered on $event"
    done
    upload=$(awk -F'\t' '$1 ~ /\/steps\/[0-9]+\/uses$/ && $2 ~ /^actions\/upload-artifact@/ { sub(/\/uses$/, "", $1); print $1; exit }' "$work/leaves")
    if [[ -z $upload ]]; then
      fail "$name: no actions/upload-artifact step"
    else
      [[ $(leaf "$upload/if" "$work/leaves") == *"always()"* ]] || fail "$name: the upload-artifact step has no if: always()"
      paths=$(leaf "$upload/with/path" "$work/leaves")
      for f in "$junit" "$json" "$report"; do
        list_has "$paths" "$f" || fail "$name: the upload-artifact step does not upload $f"
      done
    fi
    junit_step=$(awk -F'\t' -v j="$junit" '$1 ~ /\/steps\/[0-9]+\/with\/report_paths$/ && $2 == j { sub(/\/with\/report_paths$/, "", $1); print $1; exit }' "$work/leaves")
    if [[ -z $junit_step ]]; then
      fail "$name: no test-report step with report_paths: $junit"
    else
      [[ $(leaf "$junit_step/if" "$work/leaves") == *"always()"* ]] || fail "$name: the test-report step has no if: always()"
    fi
  else
    job=$(awk -F'\t' -v j="$junit" '$1 ~ /^\/[^\/]+\/artifacts\/reports\/junit$/ && $2 == j { split($1, p, "/"); print p[2]; exit }' "$work/leaves")
    if [[ -z $job ]]; then
      fail "$name: no job with artifacts:reports:junit: $junit"
    else
      [[ $(leaf "/$job/artifacts/when" "$work/leaves") == always ]] || fail "$name: artifacts:when is not always"
      [[ -n $(leaf "/$job/artifacts/expose_as" "$work/leaves") ]] || fail "$name: no artifacts:expose_as"
      paths=$(awk -F'\t' -v k="/$job/artifacts/paths/" 'index($1, k) == 1 { sub(/^[^\t]*\t/, ""); print }' "$work/leaves")
      for f in "$json" "$report"; do
        list_has "$paths" "$f" || fail "$name: artifacts:paths does not keep $f"
      done
      alias=$(awk -F'\t' -v k="/$job/services/" 'index($1, k) == 1 && $1 ~ /\/alias$/ { print $2; exit }' "$work/leaves")
      [[ -n $alias && ${run_value[--broker]:-} == *"://$alias:"* ]] ||
        fail "$name: --broker ${run_value[--broker]:-} is not the service's alias ($alias)"
    fi
  fi
done

# --- docs/ci.md: the commands of its code blocks, and the files it names ---
if [[ -f $guide ]]; then
  block=$(awk '/^ *```/ { inside = !inside; print ""; next } inside { print }' "$guide" |
          sed -E 's/^ *(- )?((run|script): *)?(\$ )?//')
  check_shell docs/ci.md "$block"
  check_broker_paths docs/ci.md "$guide"
  for f in github-actions.yml gitlab-ci.yml; do
    grep -qF "ci/$f" "$guide" || fail "docs/ci.md does not link docs/ci/$f"
  done
else
  fail "docs/ci.md is missing"
fi

if ((failures)); then
  echo "$failures problems in the CI recipes"
  exit 1
fi
echo "ok: $invocations mqttspec commands in the CI recipes and docs/ci.md"
