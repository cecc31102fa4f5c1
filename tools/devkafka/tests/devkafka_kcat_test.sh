#!/usr/bin/env bash
# Starts devkafka (3 brokers, 2 partitions, one extra topic) and checks with
# kcat that the bootstrap file appears, every topic is listed, and a record
# produced by kcat can be consumed back. Usage: devkafka_kcat_test.sh DEVKAFKA KCAT
set -euo pipefail
devkafka=$1
kcat=${2:-kcat}
dir=$(mktemp -d)
pid=
cleanup() {
  if [[ -n $pid ]]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$dir"
}
trap cleanup EXIT

"$devkafka" --brokers 3 --partitions 2 --topic test.extra.topic \
  --bootstrap-file "$dir/bootstrap" >"$dir/stdout" 2>"$dir/stderr" &
pid=$!

# Wait (deadline 30 s) for the bootstrap file.
for _ in $(seq 1 300); do
  [[ -s $dir/bootstrap ]] && break
  kill -0 "$pid" || { cat "$dir/stderr"; echo "devkafka exited early"; exit 1; }
  sleep 0.1  # polling interval, bounded by the loop count
done
[[ -s $dir/bootstrap ]] || { cat "$dir/stderr"; echo "no bootstrap file after 30 s"; exit 1; }
bootstrap=$(cat "$dir/bootstrap")
[[ $(head -1 "$dir/stdout") == "$bootstrap" ]] || { echo "stdout does not match bootstrap file"; exit 1; }

metadata=$("$kcat" -L -b "$bootstrap" -m 10)
echo "$metadata" | grep -c '^  topic ' | grep -qx 21 || { echo "$metadata"; echo "expected 21 topics"; exit 1; }
echo "$metadata" | grep -q ' 3 brokers:' || { echo "$metadata"; echo "expected 3 brokers"; exit 1; }
for topic in sms.inbound.v1 sms.inbound.v1.dlq sms.outbound.approved.v1.otp \
  sms.outbound.approved.v1.marketing.dlq test.extra.topic; do
  echo "$metadata" | grep -q "topic \"$topic\" with 2 partitions" ||
    { echo "$metadata"; echo "missing topic $topic"; exit 1; }
done

echo "hello-devkafka" | "$kcat" -P -b "$bootstrap" -t test.extra.topic -p 0 -m 10
got=$("$kcat" -C -b "$bootstrap" -t test.extra.topic -p 0 -o beginning -c 1 -e -m 10)
[[ $got == "hello-devkafka" ]] || { echo "consumed '$got'"; exit 1; }

kill -TERM "$pid"
status=0
wait "$pid" || status=$?
pid=
[[ $status -eq 0 ]] || { cat "$dir/stderr"; echo "devkafka exited $status on SIGTERM"; exit 1; }
echo "ok"
