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
    An op that knows its vector-Jacobian product (VJP): given the cotangent
    of its result (the gradient of a scalar loss with respect to it), it
    builds, with dl ops, the cotangent of each operand. Reverse-mode autodiff
    (the dl-autodiff pass) calls it on each op in reverse order and knows no
    op by name. Gradients of broadcast operands are reduced back to the
    operand's shape by the op. Operands that are not differentiable (integer
    labels, indices) or whose gradient is zero almost everywhere get a null
    value, which the pass treats as zero.
  }];
  let methods = [
    InterfaceMethod<[{
        Builds the cotangents of the operands marked in `needed` from
        `resultGrad`, the cotangent of the (single) result, and appends one
        value per operand to `operandGrads` (null where not needed or zero).
        Forward values (operands, the result) may be used freely: they stay
        live for the backward pass.
      }],
      "::llvm::LogicalResult", "buildVJP",
      (ins "::mlir::OpBuilder &":$builder, "::mlir::Value":$resultGrad,
           "::llvm::ArrayRef<bool>":$needed,
           "::llvm::SmallVectorImpl<::mlir::Value> &":$operandGrads)>,
  ];
}

#endif // DL_INTERFACES_TD
