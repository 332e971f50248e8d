"""benchmarks/train/torch_threads.py - a PyTorch peer's --threads N, applied
before torch loads: OpenMP, OpenBLAS and MKL read their thread counts then.
Import it, and call threads_from_argv(), before `import torch`."""
import argparse
import os


def threads_from_argv(default_one=False):
    """--threads N from sys.argv (the script's own parser accepts it too).
    With N: OMP/OPENBLAS/MKL_NUM_THREADS = N, and at N > 1
    OMP_WAIT_POLICY=PASSIVE unless set (libgomp's spinning threads take the
    cores from OpenBLAS's own pthreads: 3-15x slower steps on 2 cores without
    it). Without it: left alone, or with default_one OMP and OpenBLAS at 1
    unless set. Returns N or None."""
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--threads", type=int)
    threads = pre.parse_known_args()[0].threads
    if threads is None:
        if default_one:
            os.environ.setdefault("OMP_NUM_THREADS", "1")
            os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
        return None
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(threads)
    if threads > 1:
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    return threads
