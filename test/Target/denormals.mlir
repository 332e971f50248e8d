// Entry points run with subnormals flushed to zero (x86-64: MXCSR FTZ | DAZ,
// 0x8040; AArch64: FPCR.FZ), the caller's mode saved at entry and restored
// at every return (the exception flags the call raised kept); kernels
// (internal) are left alone. --denormals=keep
// leaves the mode to the caller.
// RUN: dlc compile %s --target=x86_64-linux-gnu --emit=llvm -o - | FileCheck %s --check-prefix=X86
// RUN: dlc compile %s --target=aarch64-linux-gnu --emit=llvm -o - | FileCheck %s --check-prefix=ARM
// RUN: dlc compile %s --target=x86_64-linux-gnu --denormals=keep --emit=llvm -o - | FileCheck %s --check-prefix=KEEP
// RUN: not dlc compile %s --denormals=maybe -o /dev/null 2>&1 | FileCheck %s --check-prefix=BAD
//
// On an x86-64 host, the products below FLT_MIN come out as zero, or as
// subnormals with keep, and the caller's MXCSR is unchanged.
// REQUIRES: x86_64-host
// RUN: mkdir -p %t.dir
// RUN: dlc compile %s -o %t.dir/denormals.o
// RUN: cc -std=c11 -I %t.dir %S/Inputs/denormals_main.c %t.dir/denormals.o -o %t.exe
// RUN: %t.exe | FileCheck %s --check-prefix=RUN-FLUSH
// RUN: dlc compile %s --denormals=keep -o %t.dir/denormals.o
// RUN: cc -std=c11 -I %t.dir %S/Inputs/denormals_main.c %t.dir/denormals.o -o %t.keep.exe
// RUN: %t.keep.exe keep | FileCheck %s --check-prefix=RUN-KEEP

// X86-LABEL: define void @scale(
// X86: call void @llvm.x86.sse.stmxcsr(ptr
// X86: or i32 %{{.*}}, 32832
// X86: call void @llvm.x86.sse.ldmxcsr(ptr
// X86: call void @llvm.x86.sse.stmxcsr(ptr
// X86: and i32 %{{.*}}, 63
// X86: and i32 %{{.*}}, -64
// X86: call void @llvm.x86.sse.ldmxcsr(ptr
// X86-NEXT: ret void

// ARM-LABEL: define void @scale(
// ARM: call i64 @llvm.aarch64.get.fpcr()
// ARM: or i64 %{{.*}}, 16777216
// ARM: call void @llvm.aarch64.set.fpcr(
// ARM: call void @llvm.aarch64.set.fpcr(
// ARM-NEXT: ret void

// KEEP-NOT: mxcsr

// BAD: error: '--denormals' needs 'flush' or 'keep'

// RUN-FLUSH: ok: subnormals flushed
// RUN-KEEP: ok: subnormals kept

func.func @scale(%x: tensor<16xf32>, %y: tensor<16xf32>) -> tensor<16xf32> {
  %0 = dl.mul %x, %y : tensor<16xf32>, tensor<16xf32>
  return %0 : tensor<16xf32>
}
