//===- DLDialect.td - the dl dialect definition ------------*- tablegen -*-===//
//
// Part of dlc. The `dl` dialect: deep-learning ops on statically shaped,
// ranked tensors with value semantics.
//
//===----------------------------------------------------------------------===//

#ifndef DL_DIALECT_TD
#define DL_DIALECT_TD

include "mlir/IR/OpBase.td"

def DL_Dialect : Dialect {
  let name = "dl";
  let cppNamespace = "::dlc::dl";
  let summary = "Deep-learning ops at the level users think in.";
  let description = [{
    The `dl` dialect holds a model's computation as ops on ranked, statically
    shaped tensors with value semantics: matmul, broadcasting elementwise
    arithmetic, activations, reductions, shape ops, softmax and losses. Later
    stages differentiate it (reverse mode), fuse it and lower it to linalg.
    Every op verifies its operand shapes and element types at construction, and
    ops whose result type follows from their operands infer it.
  }];
  let hasConstantMaterializer = 1;
  let useDefaultAttributePrinterParser = 0;
  let useDefaultTypePrinterParser = 0;
}

//===----------------------------------------------------------------------===//
// Type constraints
//===----------------------------------------------------------------------===//

/// Element types a dl tensor may hold: floats for data, signless integers for
/// labels and indices.
def DL_ElementType : AnyTypeOf<[AnyFloat, AnySignlessInteger]>;

/// Any statically shaped ranked tensor of a dl element type.
def DL_Tensor : StaticShapeTensorOf<[DL_ElementType]>;

/// A statically shaped ranked tensor of floating-point values.
def DL_FloatTensor : StaticShapeTensorOf<[AnyFloat]>;

/// A statically shaped ranked tensor of signless integers.
def DL_IntTensor : StaticShapeTensorOf<[AnySignlessInteger]>;

//===----------------------------------------------------------------------===//
// Base op class
//===----------------------------------------------------------------------===//

/// Every dl op derives from DL_Op; tools list the dialect's ops by this class.
class DL_Op<string mnemonic, list<Trait> traits = []>
    : Op<DL_Dialect, mnemonic, traits>;

#endif // DL_DIALECT_TD
