#!/usr/bin/env bash
# scripts/bootstrap.sh - install every Debian package dlc needs to build and test.
#
# Idempotent: when everything is present it only refreshes the package index.
# Run as root (or with sudo available) on Debian 12.
set -euo pipefail

packages=(
  # Build
  cmake ninja-build g++ git pkg-config zlib1g-dev libzstd-dev libgtest-dev libgmock-dev
  libbenchmark-dev
  # Benchmark peers (benchmarks/: cblas_sgemm; oneDNN's convolutions for dlc-bench-conv)
  libopenblas-dev libdnnl-dev
  # LLVM/MLIR 19 (shared libLLVM/libMLIR, tblgen, lit's FileCheck/not/count)
  llvm-19-dev libmlir-19-dev mlir-19-tools llvm-19-tools clang-19 lld-19
  # ASan, UBSan and libFuzzer for clang-19 (test/fuzz: the sanitized unit tests, the fuzzers)
  libclang-rt-19-dev
  # Python for lit
  python3
  # PyTorch (CPU, 1.13): the independent reference of test/e2e/torch_parity.dl and the peer of
  # benchmarks/train (run with /usr/bin/python3)
  python3-torch python3-numpy
  # Data: Fashion-MNIST for the trainer and its e2e tests (/usr/share/datasets/fashion-mnist)
  dataset-fashion-mnist
  # MPI (Open MPI): dlrt_mpi, `dlc build --mpi` and the data-parallel tests (test/e2e/mpi*.dl)
  openmpi-bin libopenmpi-dev
  # Text: Debian's fortunes (/usr/share/games/fortunes) for the character-level language models
  fortunes
)

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  sudo_cmd=(sudo)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "bootstrap: all ${#packages[@]} packages present"
  exit 0
fi

echo "bootstrap: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -q
"${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
