//===- DLDialect.h - the dl dialect -----------------------------*- C++ -*-===//
//
// Part of dlc. Declares the `dl` dialect class.
//
//===----------------------------------------------------------------------===//

#ifndef DLC_DL_IR_DLDIALECT_H
#define DLC_DL_IR_DLDIALECT_H

#include "mlir/IR/Dialect.h"

#include "DL/IR/DLDialect.h.inc"

#endif // DLC_DL_IR_DLDIALECT_H
