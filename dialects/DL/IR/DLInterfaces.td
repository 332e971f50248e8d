//===- DLInterfaces.td - dl op interfaces ------------------*- tablegen -*-===//
//
// Part of dlc. Interfaces that give passes a generic view of dl ops; the
// gradient of an op lives with the op.
//
//===----------------------------------------------------------------------===//

#ifndef DL_INTERFACES_TD
#define DL_INTERFACES_TD

include "mlir/IR/OpBase.td"

def DL_DifferentiableOpInterface : OpInterface<"DifferentiableOpInterface"> {
  let cppNamespace = "::dlc::dl";
  let description = [{
    An op that knows its vector-Jacobian product (VJP): given the cotangents
    of its results (the gradient of a scalar loss with respect to each), it
    builds, with dl ops, the cotangent of each operand. Reverse-mode autodiff
    (the dl-autodiff pass) calls `buildMultiResultVJP` on each op in reverse
    order and knows no op by name. Gradients of broadcast operands are
    reduced back to the operand's shape by the op. Operands that are not
    differentiable (integer labels, indices) or whose gradient is zero almost
    everywhere get a null value, which the pass treats as zero.

    A single-result op implements `buildVJP` (the `DL_Differentiable` trait
    list in DLOps.td declares it); the default `buildMultiResultVJP` forwards
    to it. An op with several results implements `buildMultiResultVJP`
    instead (`DL_MultiResultDifferentiable`). An op with regions implements
    DifferentiableRegionOpInterface.
  }];
  let methods = [
    InterfaceMethod<[{
        The VJP of a single-result op. Builds the cotangents of the operands
        marked in `needed` from `resultGrad`, the cotangent of the result,
        and appends one value per operand to `operandGrads` (null where not
        needed or zero). Forward values (operands, the result) may be used
        freely: they stay live for the backward pass.
      }],
      "::llvm::LogicalResult", "buildVJP",
      (ins "::mlir::OpBuilder &":$builder, "::mlir::Value":$resultGrad,
           "::llvm::ArrayRef<bool>":$needed,
           "::llvm::SmallVectorImpl<::mlir::Value> &":$operandGrads),
      /*methodBody=*/"",
      /*defaultImplementation=*/[{
        return $_op->emitOpError(
            "implements neither buildVJP nor buildMultiResultVJP");
      }]>,
    InterfaceMethod<[{
        The VJP of an op with any number of results, which the pass calls:
        `resultGrads` holds one cotangent per result, null where the loss
        does not depend on that result (at least one is non-null). As
        `buildVJP`, appends one value per operand to `operandGrads`. The
        default forwards a single-result op's cotangent to `buildVJP`.
      }],
      "::llvm::LogicalResult", "buildMultiResultVJP",
      (ins "::mlir::OpBuilder &":$builder,
           "::llvm::ArrayRef<::mlir::Value>":$resultGrads,
           "::llvm::ArrayRef<bool>":$needed,
           "::llvm::SmallVectorImpl<::mlir::Value> &":$operandGrads),
      /*methodBody=*/"",
      /*defaultImplementation=*/[{
        if (resultGrads.size() != 1)
          return $_op->emitOpError("has ")
                 << resultGrads.size()
                 << " results but implements only the single-result buildVJP";
        return $_op.buildVJP(builder, resultGrads.front(), needed,
                             operandGrads);
      }]>,
  ];
}

def DL_DifferentiableRegionOpInterface
    : OpInterface<"DifferentiableRegionOpInterface"> {
  let cppNamespace = "::dlc::dl";
  let description = [{
    An op with regions that differentiates its own body (a loop over its
    carries, for instance): dl-autodiff cannot, as it only sees the op's
    results and the values it reads. The values an op reads are its operands
    and the values its regions capture from above (used inside, defined
    outside); the op returns the cotangent of each. An op with regions on a
    path from a parameter to the loss that lacks this interface stops the
    pass with an error.
  }];
  let methods = [
    InterfaceMethod<[{
        Builds, at the builder's insertion point (after every forward op),
        the cotangents of the values the op reads, from `resultGrads` (one
        per result, null where the loss does not depend on it; at least one
        is non-null). The values read are the operands followed by
        `captured`, the values the regions use that are defined outside the
        op, in the order the regions first read them (`dl::inputsOf`);
        `needed` has one flag per value
        read, in that order, and `inputGrads` receives one value per value
        read (null where not needed or zero). Forward values outside the op
        (operands, captured values, results) may be used freely; values
        defined inside the regions are not visible after the op, so the body
        is recomputed or its intermediates returned as extra results.
      }],
      "::llvm::LogicalResult", "buildRegionVJP",
      (ins "::mlir::OpBuilder &":$builder,
           "::llvm::ArrayRef<::mlir::Value>":$resultGrads,
           "::llvm::ArrayRef<::mlir::Value>":$captured,
           "::llvm::ArrayRef<bool>":$needed,
           "::llvm::SmallVectorImpl<::mlir::Value> &":$inputGrads)>,
  ];
}

#endif // DL_INTERFACES_TD
