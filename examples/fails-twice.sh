#!/bin/sh
# A command that fails its first two runs and then succeeds: the counter lives in the file named by $1.
# Used by README's first command: backoff retry -- examples/fails-twice.sh /tmp/counter
counter=${1:?usage: fails-twice.sh COUNTER_FILE}
runs=$(cat "$counter" 2>/dev/null || echo 0)
runs=$((runs + 1))
echo "$runs" > "$counter"
if [ "$runs" -le 2 ]; then
  echo "run $runs: connection refused" >&2
  exit 1
fi
echo "run $runs: connected"
