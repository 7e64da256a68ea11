#!/usr/bin/env bash
# Installs what `npm start` / `npm test` need on a fresh Debian 12 + Node 20 machine:
# Debian packages (apt-get when root, otherwise the exact command is printed and we stop),
# the npm dependencies (npm install from the lock file when it changed) and the TypeScript build.
#   scripts/setup.sh runtime   packages the node itself needs
#   scripts/setup.sh test      plus the real peers and validators the test suite drives
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-runtime}"

runtime_pkgs=(redis-server dcmtk)
# libopenjp2-tools: opj_decompress, the native JPEG 2000 decoder the workers use when it is there
# (without it they use the bundled WASM build, about 1 s slower per image): installed when root,
# otherwise named without stopping.
recommended_pkgs=(libopenjp2-tools)
# docker-compose only checks docker-compose.yml (`config` needs no Docker engine). orthanc-dicomweb:
# the PACS of the STOW-RS export tests. rsyslog (with rsyslog-gnutls for TLS) is the audit record
# repository of the audit trail tests; libxml2-utils' xmllint checks audit messages against the schema.
# prometheus brings promtool, which checks and tests config/prometheus/mammocad-alerts.yml.
# mesa-vulkan-drivers and libvulkan1 bring the libraries of the software Vulkan driver that
# scripts/softwareVulkan.sh fetches for the webgpu provider's test.
test_pkgs=(dicom3tools pixelmed-apps orthanc orthanc-dicomweb rsyslog rsyslog-gnutls libxml2-utils prometheus libgdcm-tools python3-torch python3-numpy chromium docker-compose mesa-vulkan-drivers libvulkan1)
pkgs=("${runtime_pkgs[@]}" "${recommended_pkgs[@]}")
if [ "$mode" = test ]; then pkgs+=("${test_pkgs[@]}"); fi

missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then missing+=("$p"); fi
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "setup: installing Debian packages: ${missing[*]}"
    # apt-get update only when the package lists are missing or older than a day.
    if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*_Packages' -mtime -1 2>/dev/null | head -1)" ]; then
      apt-get update -qq
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    required=()
    for p in "${missing[@]}"; do
      if [[ ! " ${recommended_pkgs[*]} " == *" $p "* ]]; then required+=("$p"); fi
    done
    if [ ${#required[@]} -gt 0 ]; then
      echo "setup: missing Debian packages. Run as root:" >&2
      echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
      exit 1
    fi
    echo "setup: recommended Debian packages not installed (JPEG 2000 decodes more slowly without them): sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  fi
fi

# npm dependencies: reinstall when the lock file differs from the one last installed.
# `npm install` rather than `npm ci`: npm 11 writes lock files without other platforms' optional
# packages (@swc/core-*, msgpackr-extract-*), which `npm ci` then refuses as "out of sync".
stamp=node_modules/.mammocad-lock
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  echo "setup: npm install (from package-lock.json)"
  ONNXRUNTIME_NODE_INSTALL=skip npm install --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp"
fi

if [ "$mode" = test ]; then bash scripts/softwareVulkan.sh; fi

echo "setup: building"
npx tsc -p tsconfig.json
