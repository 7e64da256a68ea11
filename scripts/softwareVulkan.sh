#!/usr/bin/env bash
# Provides Mesa's software Vulkan driver (lavapipe) in .cache/software-vulkan/, for the test that runs
# the webgpu execution provider without a GPU (test/integration/detect/webgpuProvider.test.ts).
# Nothing is installed system-wide: the driver is unpacked there and named by its own driver file,
# which the test passes to the Vulkan loader as VK_DRIVER_FILES.
#
# Why not Debian 12's own mesa-vulkan-drivers (Mesa 22.3): Dawn, the WebGPU layer in onnxruntime,
# refuses its lavapipe ("Vulkan shaderUniform*ArrayDynamicIndexing required"). Mesa 25 from
# bookworm-backports is accepted. It is fetched with a private package list, so the host's apt
# sources stay as they are; its libraries (LLVM 15, libvulkan1, ...) are those of Debian 12's
# mesa-vulkan-drivers, which `scripts/setup.sh test` installs.
#
# When the driver cannot be provided (no network, or a later backport that needs libraries Debian 12
# lacks), this warns and exits 0: the comparison test is then skipped, and says so, rather than
# every test run failing for a change outside the project.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=.cache/software-vulkan
driver_file="$dir/lvp_icd.json"
if [ -f "$driver_file" ]; then exit 0; fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm-backports main" >"$work/backports.list"
apt_opts=(-qq -o "Dir::Etc::SourceList=$work/backports.list" -o Dir::Etc::SourceParts=/dev/null
  -o "Dir::State::Lists=$work/lists" -o "Dir::Cache=$work/cache" -o Debug::NoLocking=1)
# As root, apt would hand the download to its _apt user, who cannot write the private folder.
if [ "$(id -u)" = 0 ]; then apt_opts+=(-o APT::Sandbox::User=root); fi
mkdir -p "$work/lists/partial" "$work/cache/archives/partial"
give_up() {
  echo "setup: WARNING: no software Vulkan driver, so the webgpu comparison test will be skipped: $1" >&2
  rm -rf "$dir"
  exit 0
}
echo "setup: fetching Mesa's software Vulkan driver (bookworm-backports) into $dir"
apt-get "${apt_opts[@]}" update || give_up "apt-get update of bookworm-backports failed"
(cd "$work" && apt-get "${apt_opts[@]}" download mesa-vulkan-drivers) || give_up "apt-get download failed"
deb=$(ls "$work"/mesa-vulkan-drivers_*.deb)

rm -rf "$dir" && mkdir -p "$dir"
dpkg-deb -x "$deb" "$dir/root"
library=$(find "$(pwd)/$dir/root" -name libvulkan_lvp.so | head -1)
[ -n "$library" ] || give_up "$(basename "$deb") holds no libvulkan_lvp.so"
missing=$(ldd "$library" | grep 'not found' || true)
[ -z "$missing" ] || give_up "$(basename "$deb") needs libraries this host lacks: $(echo $missing)"
api=$(sed -n 's/.*"api_version": *"\([^"]*\)".*/\1/p' "$(find "$dir/root" -name 'lvp_icd*.json' | head -1)")
printf '{ "file_format_version": "1.0.0", "ICD": { "library_path": "%s", "api_version": "%s" } }\n' "$library" "$api" >"$driver_file"
echo "setup: software Vulkan driver $(basename "$deb" .deb) ready ($driver_file)"
