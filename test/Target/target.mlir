// Native code for the targets dlc supports, from the same IR: AVX-512 uses
// zmm registers and fused multiply-adds, AVX2 (x86-64-v3) ymm and never zmm,
// AArch64 an ELF object with NEON fmla on .4s vectors. Explicit CPUs keep the
// test independent of the machine it runs on (asm-host.mlir covers the host
// default).
//
// RUN: dlc compile %s --emit=asm --target=x86_64-linux-gnu --mcpu=x86-64-v4 --parallel=off -o - \
// RUN:   | FileCheck %s --check-prefix=AVX512
// RUN: dlc compile %s --emit=asm --target=x86_64-linux-gnu --mcpu=x86-64-v3 --parallel=off -o - \
// RUN:   | FileCheck %s --check-prefix=AVX2 --implicit-check-not=zmm
// RUN: dlc compile %s --target=aarch64-linux-gnu -o %t.o
// RUN: llvm-readobj --file-headers %t.o | FileCheck %s --check-prefix=ELF
// RUN: llvm-objdump -d %t.o | FileCheck %s --check-prefix=A64
// The header does not depend on the target.
// RUN: FileCheck %s --check-prefix=HDR < %t.h

// AVX512-LABEL: matmul_48x64x64:
// AVX512: vbroadcastss {{.*}}, %zmm{{[0-9]+}}
// AVX512: vfmadd231ps %zmm{{[0-9]+}}, %zmm{{[0-9]+}}, %zmm{{[0-9]+}}
// AVX512-LABEL: dense_relu_13x97x10:
// AVX512-DAG: vfmadd{{(132|213|231)}}ps {{.*}}%zmm{{[0-9]+}}
// AVX512-DAG: vmaxps {{.*}}%zmm{{[0-9]+}}

// AVX2-LABEL: matmul_48x64x64:
// AVX2: vbroadcastss {{.*}}, %ymm{{[0-9]+}}
// AVX2: vfmadd231ps %ymm{{[0-9]+}}, %ymm{{[0-9]+}}, %ymm{{[0-9]+}}
// AVX2-LABEL: dense_relu_13x97x10:

// ELF: Format: elf64-littleaarch64
// ELF: Arch: aarch64
// ELF: Type: Relocatable
// ELF: Machine: EM_AARCH64

// A64: file format elf64-littleaarch64
// A64-LABEL: <matmul_48x64x64>:
// A64: fmla v{{[0-9]+}}.4s, v{{[0-9]+}}.4s, v{{[0-9]+}}.{{4s|s\[[0-3]\]}}
// A64-LABEL: <dense_relu_13x97x10>:
// A64: fmla v{{[0-9]+}}.4s, v{{[0-9]+}}.4s, v{{[0-9]+}}.{{4s|s\[[0-3]\]}}

// HDR: void matmul_48x64x64(const float *arg0, const float *arg1, float *result2, void *workspace);
// HDR: void dense_relu_13x97x10(const float *arg0, const float *arg1, const float *arg2, float *result3, void *workspace);

func.func @matmul_48x64x64(%a: tensor<48x64xf32>, %b: tensor<64x64xf32>)
    -> tensor<48x64xf32> {
  %0 = dl.matmul %a, %b : tensor<48x64xf32>, tensor<64x64xf32>
  return %0 : tensor<48x64xf32>
}

// Ragged sizes and a fused bias + ReLU epilogue.
func.func @dense_relu_13x97x10(%x: tensor<13x97xf32>, %w: tensor<97x10xf32>,
                               %b: tensor<10xf32>) -> tensor<13x10xf32> {
  %0 = dl.matmul %x, %w : tensor<13x97xf32>, tensor<97x10xf32>
  %1 = dl.add %0, %b : tensor<13x10xf32>, tensor<10xf32>
  %2 = dl.relu %1 : tensor<13x10xf32>
  return %2 : tensor<13x10xf32>
}
