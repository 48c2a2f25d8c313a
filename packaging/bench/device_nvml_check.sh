#!/usr/bin/env bash
# Check slm's NVML energy reading against NVML / nvidia-smi on a bare GPU machine (no pip, no
# network). Run from the repo root:  bash packaging/bench/device_nvml_check.sh
# Needs the wheels in bench-out/devpkgs/ (git-ignored: nvidia-ml-py, psutil abi3), fetched with
#   pip download --no-deps --only-binary=:all: --platform manylinux2014_x86_64 \
#     --python-version 3.8 --implementation cp --abi abi3 --abi none -d bench-out/devpkgs nvidia-ml-py psutil
# The energy modules need no numpy. Writes $OUT/nvml_check.json and $OUT/nvml_check.log if OUT is set.
set -u
cd "$(dirname "$0")/../.." || exit 1
if [ -n "${OUT:-}" ]; then exec > >(tee "$OUT/nvml_check.log") 2>&1; fi
tmo() { if command -v timeout >/dev/null; then timeout -k 5 "$@"; else shift; "$@"; fi; }

echo "== nvidia-smi"
tmo 20 nvidia-smi 2>&1 || echo "nvidia-smi: failed or missing (rc=$?)"
echo "== python"
if ! command -v python3 >/dev/null; then echo "python3: not found, nothing more to do"; exit 1; fi
command -v python3; python3 --version 2>&1
PY=python3  # slm needs >= 3.10: prefer another interpreter if the default is older
for c in python3 python3.13 python3.12 python3.11 python3.10; do
  if command -v "$c" >/dev/null && "$c" -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null; then
    PY=$c; break
  fi
done
[ "$PY" = python3 ] || echo "using $PY ($($PY --version 2>&1)): python3 is older than 3.10"
for mod in numpy psutil pynvml; do
  $PY -c "import $mod; print('$mod', getattr($mod, '__version__', '?'), 'installed on the system')" 2>/dev/null \
    || echo "$mod: not installed on the system"
done

echo "== building the slm tree and the vendored site dir (no pip)"
mkdir -p bench-out
TREE=$(mktemp -d "$PWD/bench-out/devtree.XXXXXX") || exit 1
trap 'rm -rf "$TREE"' EXIT
# setuptools package-dir: slm=runtime, slm.cli=cli, slm.plugins=plugins, slm.models=models
cp -r runtime "$TREE/slm" && cp -r cli "$TREE/slm/cli" && cp -r plugins "$TREE/slm/plugins" \
  && cp -r models "$TREE/slm/models" || { echo "cannot copy the slm tree"; exit 1; }
mkdir -p "$TREE/site"
shopt -s nullglob
wheels=(bench-out/devpkgs/*.whl)
if [ ${#wheels[@]} -eq 0 ]; then echo "no wheels in bench-out/devpkgs (carry it): slm will report pynvml missing"; fi
# Wheels are zips; unzip with Python's zipfile (unzip(1) may be absent). psutil has a C extension.
$PY - "$TREE/site" "${wheels[@]}" <<'EOF' || echo "unpacking wheels failed"
import sys, zipfile
for w in sys.argv[2:]:
    zipfile.ZipFile(w).extractall(sys.argv[1])
    print("unpacked", w.rsplit("/", 1)[-1])
EOF
export PYTHONPATH="$TREE:$TREE/site${PYTHONPATH:+:$PYTHONPATH}"
export PYTHONDONTWRITEBYTECODE=1
$PY -c "import psutil, pynvml, slm.energy.nvml as n
print('imports ok: psutil', psutil.__version__, '| slm from', n.__file__)" 2>&1 | tail -1

echo "== slm vs NVML"
tmo 75 $PY packaging/bench/device_nvml_check.py
rc=$?
[ -n "${OUT:-}" ] && sleep 1  # let tee flush the log
echo "== done (rc=$rc)"
exit $rc
