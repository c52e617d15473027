#!/usr/bin/env bash
# examples/slurm-array.sh's shard step passes --data only when DATA is set;
# otherwise llmcal finds the data folder itself (README, "Data"), so the
# example carries no default path of its own. srun is a stand-in that prints
# the command it was given, one argument per line.
# Usage: slurm_example_test.sh SOURCE_DIR
set -euo pipefail
source_dir=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/bin"
printf '#!/usr/bin/env bash\nprintf "%%s\\n" "$@"\n' >"$work/bin/srun"
chmod +x "$work/bin/srun"

# shard [VAR=VALUE ...]: the arguments shard 2 of 4 hands to srun.
shard() {
  env -u DATA PATH="$work/bin:$PATH" SLURM_ARRAY_TASK_ID=2 SHARDS=4 OUT="$work/out" \
    LLMCAL=/opt/llmcal "$@" bash "$source_dir/examples/slurm-array.sh" shard
}

fail() {
  echo "slurm_example_test: $1" >&2
  printf '%s\n' "$2" >&2
  exit 1
}

without=$(shard)
grep -qx -- '2/4' <<<"$without" || fail "no --shard 2/4 in the shard's command:" "$without"
if grep -qx -- '--data' <<<"$without"; then
  fail "--data passed although DATA is unset:" "$without"
fi

with=$(shard DATA="/my data")
after=$(awk 'previous == "--data" { print } { previous = $0 }' <<<"$with")
[[ $after == "/my data" ]] || fail "DATA=/my data did not become --data '/my data':" "$with"
echo "the shard step passes --data exactly when DATA is set"
