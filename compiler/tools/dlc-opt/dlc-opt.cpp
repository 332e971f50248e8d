//===- dlc-opt.cpp - mlir-opt with the dl dialect -------------------------===//
//
// Part of dlc. Runs any pass or pipeline on .mlir text: the upstream dialects
// and passes plus dl and its passes, so that lit tests can pin down each step
// of what `dlc` runs.
//
//===----------------------------------------------------------------------===//

#include "Pipelines/Pipelines.h"
#include "DL/IR/DLDialect.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::registerAllPasses();
  dlc::registerDLCPipelines();

  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  registry.insert<dlc::dl::DLDialect>();

  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "dlc optimizer driver: the dl dialect and its passes\n",
      registry));
}
