#!/bin/sh
# PipeWire's own converter on the conversion the converter bench measures
# (44.1 to 48 kHz stereo), as CPU time per 256-frame block of 48 kHz output,
# to set beside `cargo bench -p ringstream-core --bench convert` and
# benches/sox-rate.sh. Needs the PipeWire sandbox (48 kHz sink):
#   eval "$(scripts/pipewire-sandbox.sh start)"; sh benches/pipewire-rate.sh
# pw-play plays the same 30 s stereo float file at 48 kHz (no conversion) and
# at 44.1 kHz (the stream's adapter resamples, in pw-play's own process), RUNS
# times each, alternating; the CPU of pw-play's threads and of the pipewire
# daemon's (nanoseconds of run time from /proc/PID/task/*/schedstat, pw-play's
# read every 0.1 s while it runs, so its last 0.1 s is left out of both cases
# alike; getrusage's 10 ms ticks cannot resolve the difference) is summed per
# run, and the conversion's cost is the difference of the medians.
set -eu
: "${PIPEWIRE_SANDBOX_SINK:?start the sandbox first: eval \"\$(scripts/pipewire-sandbox.sh start)\"}"
SECS=${SECS:-30}
RUNS=${RUNS:-3}
daemon=$(awk '$1 == "pipewire" { print $2 }' "$PIPEWIRE_SANDBOX_DIR/pids")
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
# Seconds on CPU of every thread of PID (0 once it is gone).
cpu() { cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{ ns += $1 } END { printf "%.6f\n", ns / 1e9 }'; }
for rate in 48000 44100; do
  sox -n -r $rate -c 2 -b 32 -e float "$dir/$rate.wav" synth "$SECS" sine 1000 sine 1500 vol 0.5
done
for i in $(seq "$RUNS"); do
  for rate in 48000 44100; do
    before=$(cpu "$daemon")
    pw-play --target "$PIPEWIRE_SANDBOX_SINK" "$dir/$rate.wav" &
    player=$! client=0
    while kill -0 "$player" 2>/dev/null; do
      now=$(cpu "$player")
      [ "$now" = 0.000000 ] || client=$now
      sleep 0.1
    done
    wait "$player"
    after=$(cpu "$daemon")
    echo "$rate $client $(echo "$after - $before" | bc -l)" >>"$dir/runs"
  done
done
awk -v secs="$SECS" '
  { client[$1] = client[$1] " " $2; daemon[$1] = daemon[$1] " " $3; total[$1] = total[$1] " " ($2 + $3) }
  function median(list,   n, v, i, j, t) {
    n = split(list, v, " ")
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
    return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
  }
  END {
    for (r in client) printf "pw-play %s Hz: pw-play CPU%s s; daemon%s s\n", r, client[r], daemon[r]
    d = median(total["44100"]) - median(total["48000"])
    blocks = secs * 48000 / 256
    printf "PipeWire converting 44.1 to 48 kHz stereo: %.4f s CPU more for %d s = %.2f us per 256-frame block (%.3f%% of 5.333 ms)\n",
      d, secs, 1e6 * d / blocks, 100 * d / secs
  }' "$dir/runs"
