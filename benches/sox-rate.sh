#!/bin/sh
# sox's `rate` on the conversion the converter bench measures (44.1 to
# 48 kHz stereo), as CPU time per 256-frame block of 48 kHz output, to set
# beside `cargo bench -p ringstream-core --bench convert`. One direction,
# file to file (sox converts 60 s at once, in large blocks).
set -eu
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
sox -n -r 44100 -c 2 -b 32 -e float "$dir/in.wav" synth 60 sine 1000 sine 1500
for quality in '' -v; do
  /usr/bin/time -f '%U %S' -o "$dir/t" sox "$dir/in.wav" -b 32 -e float "$dir/out.wav" rate $quality 48000
  awk -v q="${quality:-default}" '{ cpu = $1 + $2; blocks = 60 * 48000 / 256;
    printf "sox rate %s: %.2f s CPU for 60 s = %.2f us per 256-frame block (%.3f%% of 5.333 ms)\n",
      q, cpu, 1e6 * cpu / blocks, 100 * cpu / 60 }' "$dir/t"
done
