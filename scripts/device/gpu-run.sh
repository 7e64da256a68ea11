#!/usr/bin/env bash
# One timed session on a GPU machine, for issue #4's two GPU questions, run from the repository root
# there with .gpu-run/ (scripts/device/prepare-gpu-run.sh) beside it:
#
#   END=520 bash scripts/device/gpu-run.sh OUTDIR
#
# 1. bench:infer with the webgpu execution provider, then with cpu, on that machine (OUTDIR/bench-*).
# 2. Fresh patch sets (procedural seeds 61-70, mini-MIAS tissue 71-74) written on all but two cores
#    meanwhile; seeds no committed model or evaluation set uses.
# 3. Three detectors trained at once on the GPU until END seconds after the start, each for as many
#    steps as a throughput probe says fit (OneCycle needs the step count up front):
#    A the committed detector fine-tuned longer (its widths); B the committed detector grown to wider
#    coarse levels (12,32,64,96: context where channels are cheap; it starts where A does, so a few
#    GPU minutes are enough to tell whether the width helps); C wider throughout (16,32,64,96), from
#    scratch.
#    OUTDIR/trained.tgz holds each one's ONNX, weights, training record and log. Their speck-centre
#    heads are trained afterwards on a CPU (`npm run train:centre-head`, models/README.md step 2).
# Every stage has its own time limit, so the archive is written even when one stage fails.
# Test it on a CPU with small numbers: DEV=cpu PS=150 N_P=20 N_M=20 BS=4 END=300 PY=/usr/bin/python3.
set -u
OUTDIR=${1:?usage: gpu-run.sh OUTDIR}
END=${END:-480} # seconds after the start by which the archive is written
DEV=${DEV:-cuda}
N_P=${N_P:-3000}  # patches per procedural set
N_M=${N_M:-2000}  # patches per mini-MIAS set
PS=${PS:-400}     # probe steps
PY=${PY:-python3} # the interpreter with PyTorch
G=.gpu-run
T0=$(date +%s)
elapsed() { echo $(($(date +%s) - T0)); }
log() { echo "[$(elapsed) s] $*"; }
[ -d $G/js ] || { echo "gpu-run: no $G/ here: run scripts/device/prepare-gpu-run.sh and carry $G" >&2; exit 1; }
mkdir -p "$OUTDIR"

if [ -z "${SKIP_GL:-}" ]; then
  for f in $G/gl/*.deb; do dpkg -x "$f" /; done
  ldconfig
fi
# Python's lzma, not xz(1): the GPU machine's image need not have xz-utils.
unxz_to() { $PY -c 'import lzma, shutil, sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2], "wb"))' "$1" "$2"; }
mkdir -p /tmp/gpu-run-node
unxz_to $G/node.xz /tmp/gpu-run-node/node && chmod +x /tmp/gpu-run-node/node
export PATH=/tmp/gpu-run-node:$PATH
# Unpacked outside .gpu-run (a link where the binding looks for it), so .gpu-run stays small to carry.
unxz_to $G/libonnxruntime.so.1.xz /tmp/gpu-run-node/libonnxruntime.so.1
ln -sf /tmp/gpu-run-node/libonnxruntime.so.1 $G/js/node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime.so.1
export MAMMOCAD_DATA_DIR=$PWD/$G/data
for icd in /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json /usr/share/vulkan/icd.d/nvidia_icd.json /etc/vulkan/icd.d/nvidia_icd.json; do
  if [ -f $icd ]; then export VK_DRIVER_FILES=$icd; break; fi
done
log "node $(node --version), $(nproc) cores, VK_DRIVER_FILES=${VK_DRIVER_FILES:-unset}"
nvidia-smi -L 2>&1
$PY -c 'import torch, numpy; print("torch", torch.__version__, "cuda", torch.cuda.is_available(), "numpy", numpy.__version__)'

CORES=$(nproc)
pin() { if [ "$CORES" -ge 16 ] && command -v taskset >/dev/null; then echo "taskset -c $1"; fi; }

# 2. Patch sets in the background, one core each (2-15).
D=/tmp/gpu-run-patches
mkdir -p $D
WRITERS=""
for i in $(seq 0 9); do
  s=$((61 + i))
  $(pin $((2 + i))) timeout 270 node $G/js/writePatches.js --out $D/p$s --count "$N_P" --seed $s >$D/p$s.log 2>&1 &
  WRITERS="$WRITERS $!"
done
for i in 0 1 2 3; do
  s=$((71 + i))
  $(pin $((12 + i))) timeout 270 node $G/js/writePatches.js --out $D/m$s --count "$N_M" --seed $s --tissue mias >$D/m$s.log 2>&1 &
  WRITERS="$WRITERS $!"
done

# 1. bench:infer on cores 0-1, as on the 2-core target host.
echo '{"inference":{"executionProvider":"webgpu"}}' >/tmp/gpu-run-webgpu.json
$(pin 0,1) timeout 150 node $G/js/infer.js --config /tmp/gpu-run-webgpu.json --runs 5 --json "$OUTDIR/bench-webgpu.json" >"$OUTDIR/bench-webgpu.log" 2>&1
log "bench:infer webgpu exit $?"
tail -c 1500 "$OUTDIR/bench-webgpu.log"
$(pin 0,1) timeout 90 node $G/js/infer.js --runs 3 --json "$OUTDIR/bench-cpu.json" >"$OUTDIR/bench-cpu.log" 2>&1
log "bench:infer cpu exit $?"

# 3. Throughput probes on built-in patches, the three at once as they will train.
VARIANTS="A B C"
declare -A ARGS BATCH RATE
ARGS[A]="--init models/mammocad-calc-detector.pt --lr 1e-3"
ARGS[B]="--init models/mammocad-calc-detector.pt --widths 12,32,64,96 --lr 2e-3"
ARGS[C]="--widths 16,32,64,96 --lr 3e-3"
BATCH[A]=${BS:-64}
BATCH[B]=${BS:-128}
BATCH[C]=${BS:-128}
PROBES=""
for v in $VARIANTS; do
  $PY scripts/train/train_detector.py --fixture 512 --fixture-size 96 --steps "$PS" --batch ${BATCH[$v]} --device "$DEV" \
    ${ARGS[$v]} --ckpt-dir /tmp/gpu-run-probe$v --out /tmp/gpu-run-probe$v/probe.onnx >/tmp/gpu-run-probe$v.log 2>&1 &
  PROBES="$PROBES $!"
done
wait $PROBES
# The probe prints the seconds since its first step every 50 steps: rate over steps 100..PS.
for v in $VARIANTS; do
  a=$(grep -o "step 100/$PS loss [0-9.]* [0-9]*s" /tmp/gpu-run-probe$v.log | grep -o "[0-9]*s$" | tr -d s)
  b=$(grep -o "step $PS/$PS loss [0-9.]* [0-9]*s" /tmp/gpu-run-probe$v.log | grep -o "[0-9]*s$" | tr -d s)
  RATE[$v]=$($PY -c "print(($PS - 100) / max(1, ${b:-999} - ${a:-0}))")
  log "probe $v: ${RATE[$v]} steps/s"
  tail -2 /tmp/gpu-run-probe$v.log
done

wait $WRITERS
DATA=$(for m in $D/*/meta.json; do dirname "$m"; done | paste -sd,)
log "patch sets: $DATA"

# Train until END - 60 s; the final validation, export and archive take the rest.
left=$((END - 75 - $(elapsed)))
for v in $VARIANTS; do
  steps=$($PY -c "print(max(500, int(${RATE[$v]} * $left * 0.8 / 100) * 100))")
  limit=$((END - 15 - $(elapsed)))
  log "train $v: $steps steps of ${BATCH[$v]}"
  mkdir -p /tmp/gpu-run-out$v
  timeout $((limit > 60 ? limit : 60)) $PY scripts/train/train_detector.py --data "$DATA" --steps "$steps" --batch ${BATCH[$v]} \
    --device "$DEV" ${ARGS[$v]} --val-fraction 0.05 --ckpt-every 1000 --ckpt-dir /tmp/gpu-run-ck$v \
    --out /tmp/gpu-run-out$v/detector$v.onnx >/tmp/gpu-run-out$v/train$v.log 2>&1 &
done
wait
log "training ended"
for v in $VARIANTS; do
  tail -3 /tmp/gpu-run-out$v/train$v.log
  # A run stopped by its time limit still leaves its last checkpoint (every 1 000 steps).
  cp /tmp/gpu-run-ck$v/detector-last.pt /tmp/gpu-run-out$v/last$v.pt 2>/dev/null
  cp /tmp/gpu-run-probe$v.log /tmp/gpu-run-out$v/
done
cp $D/*.log /tmp/gpu-run-outA/
tar czf "$OUTDIR/trained.tgz" -C /tmp gpu-run-outA gpu-run-outB gpu-run-outC
log "wrote $OUTDIR/trained.tgz"
