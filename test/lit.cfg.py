# test/lit.cfg.py - lit configuration of the dlc test suite.
import os
import platform

import lit.formats

config.name = "dlc"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".mlir", ".dl"]
# fuzz: seed corpora (.dl files without RUN lines), not lit tests.
config.excludes = ["CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py", "unit", "Inputs", "fuzz"]

config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.dlc_obj_root, "test")

# Our tools first, then FileCheck, not and count from LLVM 19.
config.environment["PATH"] = os.pathsep.join(
    [config.dlc_tools_dir, config.llvm_tools_dir, config.environment.get("PATH", os.environ["PATH"])]
)
config.substitutions.append(("%dlc_src", config.dlc_src_root))

# The runner libraries of LLVM 19, for the mlir-cpu-runner tests.
config.mlir_lib_dir = os.path.join(os.path.dirname(config.llvm_tools_dir), "lib")
config.substitutions.append(("%mlir_lib_dir", config.mlir_lib_dir))
config.substitutions.append(
    ("%mlir_c_runner_utils", os.path.join(config.mlir_lib_dir, "libmlir_c_runner_utils.so"))
)
config.substitutions.append(
    ("%mlir_runner_utils", os.path.join(config.mlir_lib_dir, "libmlir_runner_utils.so"))
)

# End-to-end tests (test/e2e): compile with dlc, link the object into a C++
# harness, compare with a C++ reference. %e2e_entries lists a header's entry
# points for the harness (see test/e2e/harness.cpp).
import shutil
import sys

config.e2e_dir = os.path.join(config.dlc_src_root, "test", "e2e")
# %cxxflags before %cxx: substitutions apply in order and %cxx is its prefix.
config.substitutions.append(("%cxxflags", "-std=c++17 -O1 -I" + config.e2e_dir))
config.substitutions.append(("%cxx", shutil.which("c++") or "c++"))
config.substitutions.append(("%e2e_harness", os.path.join(config.e2e_dir, "harness.cpp")))
config.substitutions.append(
    ("%e2e_entries", sys.executable + " " + os.path.join(config.e2e_dir, "entries.py"))
)

# The host's architecture, for tests that run what `dlc compile` made for it.
if platform.machine() in ("x86_64", "AMD64"):
    config.available_features.add("x86_64-host")

# Host CPU features, for tests of `dlc compile` without --target/--mcpu.
try:
    with open("/proc/cpuinfo") as cpuinfo:
        flags = cpuinfo.read()
        if " avx512f" in flags:
            config.available_features.add("avx512f")
        if " avx2" in flags and " fma" in flags:
            config.available_features.add("avx2")
except OSError:
    pass

# Gradient checks (test/GradCheck): %gradcheck is the harness, built like the
# e2e one (%cxx %cxxflags -include MODEL.h %gradcheck MODEL.o).
config.substitutions.append(
    ("%gradcheck", os.path.join(config.dlc_src_root, "test", "GradCheck", "gradcheck.cpp"))
)

# PyTorch as an independent reference (test/e2e/torch_parity.dl): Debian's
# python3-torch, run with the system interpreter; feature `torch`.
import subprocess

config.torch_python = "/usr/bin/python3"
try:
    if subprocess.run([config.torch_python, "-c", "import torch, numpy"],
                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                      timeout=120).returncode == 0:
        config.available_features.add("torch")
except (OSError, subprocess.TimeoutExpired):
    pass
config.substitutions.append(("%torch_python", config.torch_python))

# MPI: `dlc build --mpi` trainers run under %mpirun N (Open MPI: several
# processes on this one machine, also as root, also on fewer cores).
if getattr(config, "dlc_have_mpi", False) and os.path.exists(config.mpirun):
    config.available_features.add("mpi")
    config.substitutions.append(
        ("%mpirun", config.mpirun + " --oversubscribe --allow-run-as-root"
         " --mca btl self,vader -np"))

# Debian's fortunes (scripts/bootstrap.sh installs it): the text of the
# language-model tests; feature `fortunes`.
if os.path.isfile("/usr/share/games/fortunes/science"):
    config.available_features.add("fortunes")
