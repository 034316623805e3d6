#!/bin/bash
# Every command's --help: a short flag means the same long option in every command
# (run's -h -b -s -f -p -j -v are the reference), and `list --help` describes list.
source "$(dirname "$0")/lib.sh" "$1"
declare -A long_of where_of
for cmd in bench broker decode list proxy report run validate; do
  "$MQTTSPEC" "$cmd" --help >"$WORK/$cmd.help" 2>&1 || fail "mqttspec $cmd --help exited with $?"
  # boost::program_options writes "  -b [ --broker ] arg   ...".
  while read -r short long; do
    if [ -n "${long_of[$short]:-}" ] && [ "${long_of[$short]}" != "$long" ]; then
      fail "-$short is --${long_of[$short]} in ${where_of[$short]} but --$long in $cmd"
    fi
    long_of[$short]=$long
    where_of[$short]="${where_of[$short]:-} $cmd"
  done < <(sed -n 's/^ *-\([A-Za-z0-9]\) \[ --\([a-z-]*\) \].*/\1 \2/p' "$WORK/$cmd.help")
done
for pair in h:help b:broker s:suite f:filter p:protocol j:jobs v:verbose; do
  [ "${long_of[${pair%%:*}]:-}" = "${pair#*:}" ] || fail "-${pair%%:*} is not --${pair#*:} (run's meaning)"
done
# The scan must have seen something: a change of help format would make it pass vacuously.
[ "${#long_of[@]}" -ge 15 ] || fail "only ${#long_of[@]} short flags found in the help texts"

# list has its own help, not run's, and every option it shows works.
head -n 1 "$WORK/list.help" | grep -qx 'mqttspec list \[options\]' || fail "list --help: $(head -n 1 "$WORK/list.help")"
grep -q 'mqttspec run\|--broker\|--jobs' "$WORK/list.help" && fail "list --help describes run: $(cat "$WORK/list.help")"
for opt in --suite --filter --protocol --shard; do
  grep -q -- "$opt" "$WORK/list.help" || fail "list --help does not show $opt"
done
"$MQTTSPEC" list -h | cmp -s - "$WORK/list.help" || fail "list -h differs from list --help"
"$MQTTSPEC" list --filter 'will/*' --protocol 5 --shard 1/1 >"$WORK/list.out" || fail "list with its options exited with $?"
tail -n 1 "$WORK/list.out" | grep -Eq '^[1-9][0-9]* cases$' || fail "list printed: $(tail -n 1 "$WORK/list.out")"
grep -v ' cases$' "$WORK/list.out" | grep -v '^will/.*@5 ' && fail "list printed a case outside will/*@5"
echo "ok: ${#long_of[@]} short flags, each with one meaning"
