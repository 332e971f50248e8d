// dlc-set-target records the target's facts once in the module (dlc.target);
// options left at 0 keep what is recorded, else the default (AVX-512).
// RUN: dlc-opt %s --dlc-set-target | FileCheck %s --check-prefix=DEFAULT
// RUN: dlc-opt %s --dlc-set-target="vector-bits=256 num-registers=16" | FileCheck %s --check-prefix=AVX2
// RUN: dlc-opt %s --dlc-set-target="vector-bits=128 num-registers=32" \
// RUN:   | dlc-opt --dlc-set-target="num-registers=16" | FileCheck %s --check-prefix=KEEP
// RUN: dlc-opt %s --dlc-codegen-cpu="vector-bits=256 num-registers=16" | FileCheck %s --check-prefix=AVX2

// DEFAULT: module attributes {dlc.target = {num_registers = 32 : i64, vector_bits = 512 : i64}}
// AVX2: dlc.target = {num_registers = 16 : i64, vector_bits = 256 : i64}
// KEEP: module attributes {dlc.target = {num_registers = 16 : i64, vector_bits = 128 : i64}}
func.func @f(%a: tensor<4xf32>) -> tensor<4xf32> {
  return %a : tensor<4xf32>
}
