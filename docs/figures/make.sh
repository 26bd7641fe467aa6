#!/usr/bin/env bash
# Regenerates every figure in docs/ with `nncert plot` (from the repository root, after building):
#   bash docs/figures/make.sh [path/to/nncert]
# The figures are drawn from the proof scripts by the kernel's numbers and the shipped matplotlib renderer.
set -euo pipefail
cd "$(dirname "$0")/../.."
nncert=${1:-./build/nncert}
out=docs/figures
"$nncert" plot regions proofs/paper/theorem1.nnc --points bad,better -o "$out/theorem1.png" \
  --title "Theorem 1: the bad strict minimum (5/10) and a better point (10/10)"
"$nncert" plot fits proofs/paper/example1.nnc --points bad,good -o "$out/example1-fits.png" \
  --title "Example 1: the bad local minimum (loss 18) and a better point (loss 14)"
"$nncert" plot segment proofs/segments/example1-segment.nnc --from bad --to good -o "$out/example1-segment.png" \
  --title "Example 1: the loss from bad to good, a barrier of exactly 5"
"$nncert" plot segment proofs/segments/sigmoid-segment.nnc --from bad --to good -o "$out/sigmoid-segment.png" \
  --title "A sigmoid neuron: the loss between its two strict minima"
"$nncert" plot slice proofs/paper/example1.nnc --point bad --dir1 'W2[1,1]' --dir2 'b2[1]' --span 1 \
  -o "$out/example1-slice.png" --title "Example 1: the loss around bad along the output weight and bias"
