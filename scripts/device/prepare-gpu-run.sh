#!/usr/bin/env bash
# Builds .gpu-run/, what a rented or lent GPU machine needs beside the repository to run
# scripts/device/gpu-run.sh: that machine has Python with a CUDA PyTorch but no Node, no npm
# registry and no shared/ data, and only a small upload (64 MiB here) reaches it.
#
#   bash scripts/device/prepare-gpu-run.sh      (after scripts/setup.sh; about a minute, ~53 MB)
#
# It holds: Node (this host's binary, xz), the three entry points the run needs bundled by esbuild
# (bench:infer, its inference worker, synth:patches), onnxruntime-node with only its Linux x64
# library (xz), half of the mini-MIAS training normals as tissue for the patch generator (the
# generator's hold-out fifth is never copied), and the Vulkan loader packages for the webgpu
# execution provider. .gpu-run/ is git-ignored; nothing in it is committed.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=.gpu-run
data=${MAMMOCAD_DATA_DIR:-../shared/data}
esbuild=node_modules/.bin/esbuild
ort=node_modules/onnxruntime-node
[ -x "$esbuild" ] || { echo "prepare-gpu-run: $esbuild missing: run scripts/setup.sh first" >&2; exit 1; }
[ -f "$data/mini-mias-dev/annotations.csv" ] || { echo "prepare-gpu-run: no mini-MIAS under $data (set MAMMOCAD_DATA_DIR)" >&2; exit 1; }
rm -rf "$out"
mkdir -p "$out/js/node_modules/onnxruntime-node/bin/napi-v6/linux/x64" "$out/data/mini-mias-dev/images" "$out/gl"

"$esbuild" scripts/bench/infer.ts src/detect/inferenceWorker.ts scripts/synth/writePatches.ts --bundle --platform=node \
  --target=node20 --outdir="$out/js" --entry-names='[name]' --external:onnxruntime-node --log-level=error
# The worker is started from the bundle's folder as inferenceWorker.js (src/runtime/workerThread.ts).
cp -r "$ort/dist" "$ort/lib" "$ort/package.json" "$out/js/node_modules/onnxruntime-node/"
cp "$ort/bin/napi-v6/linux/x64/onnxruntime_binding.node" "$out/js/node_modules/onnxruntime-node/bin/napi-v6/linux/x64/"
cp -r node_modules/onnxruntime-common "$out/js/node_modules/"
xz -T2 -6 -c "$ort/bin/napi-v6/linux/x64/libonnxruntime.so.1" >"$out/libonnxruntime.so.1.xz"
xz -T2 -6 -c "$(readlink -f "$(command -v node)")" >"$out/node.xz"

# Tissue: every other training normal, as the generator's own split (miasNormalImages) lists them.
cp "$data/mini-mias-dev/annotations.csv" "$out/data/mini-mias-dev/"
npx tsx -e "import { miasNormalImages } from './src/synth/tissue/referenceImages';
  miasNormalImages(false, process.argv[1]).forEach((m, i) => { if (i % 2 === 0) console.log(m.path); });" "$data" |
  xargs cp -t "$out/data/mini-mias-dev/images/"

# Vulkan loader (and GL dispatch) for Dawn, fetched for amd64 with a private package list.
lists=$(mktemp -d)
trap 'rm -rf "$lists"' EXIT
mkdir -p "$lists/partial"
apt_opts=(-qq -o APT::Architecture=amd64 -o APT::Architectures=amd64 -o "Dir::State::Lists=$lists")
if [ "$(id -u)" = 0 ]; then apt_opts+=(-o APT::Sandbox::User=root); fi
apt-get "${apt_opts[@]}" update
(cd "$out/gl" && apt-get "${apt_opts[@]}" download libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2)
du -sh "$out"
