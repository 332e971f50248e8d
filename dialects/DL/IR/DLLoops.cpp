//===- DLLoops.cpp - dl.scan and dl.yield ---------------------------------===//
//
// Part of dlc. Builders and verifiers of the dl loop ops; the VJP is in
// Gradients/Scan.cpp.
//
//===----------------------------------------------------------------------===//

#include "DL/IR/DLOps.h"
#include "DL/IR/DLShapes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"

using namespace mlir;
using namespace dlc::dl;

/// `(t1, t2, ...)`, possibly `()`: the scan's lists of types.
ParseResult dlc::dl::parseTypeTuple(OpAsmParser &parser,
                                    SmallVectorImpl<Type> &types) {
  return parser.parseCommaSeparatedList(
      OpAsmParser::Delimiter::Paren,
      [&] { return parser.parseType(types.emplace_back()); });
}

void dlc::dl::printTypeTuple(OpAsmPrinter &printer, Operation *,
                             TypeRange types) {
  printer << '(';
  llvm::interleaveComma(types, printer);
  printer << ')';
}

void ScanOp::build(OpBuilder &builder, OperationState &state,
                   TypeRange resultTypes, ValueRange sequences,
                   ValueRange inits, int64_t axis, int64_t length,
                   bool reverse) {
  state.addOperands(sequences);
  state.addOperands(inits);
  state.getOrAddProperties<Properties>().operandSegmentSizes = {
      int32_t(sequences.size()), int32_t(inits.size())};
  state.getOrAddProperties<Properties>().axis = builder.getI64IntegerAttr(axis);
  state.getOrAddProperties<Properties>().length =
      builder.getI64IntegerAttr(length);
  if (reverse)
    state.getOrAddProperties<Properties>().reverse = builder.getUnitAttr();
  state.addTypes(resultTypes);
  Region *body = state.addRegion();
  Block *block = new Block();
  body->push_back(block);
  for (Value seq : sequences) {
    auto type = cast<RankedTensorType>(seq.getType());
    shapes::ShapeResult step = shapes::scanStep(type.getShape(), axis);
    block->addArgument(
        step ? RankedTensorType::get(*step, type.getElementType()) : type,
        seq.getLoc());
  }
  for (Value init : inits)
    block->addArgument(init.getType(), init.getLoc());
}

YieldOp ScanOp::getYield() {
  return cast<YieldOp>(getBodyBlock().getTerminator());
}

LogicalResult ScanOp::verify() {
  int64_t axis = getAxis(), length = getLength();
  if (length < 1)
    return emitOpError("needs a length of at least 1, got ") << length;
  Block &body = getBodyBlock();
  unsigned numSeqs = getSequences().size(), numCarries = getNumCarries();
  if (body.getNumArguments() != numSeqs + numCarries)
    return emitOpError("body needs one argument per sequence and per carry (")
           << numSeqs + numCarries << "), got " << body.getNumArguments();
  for (auto [i, seq] : llvm::enumerate(getSequences())) {
    auto type = cast<RankedTensorType>(seq.getType());
    shapes::ShapeResult step = shapes::scanStep(type.getShape(), axis);
    if (!step)
      return emitOpError("sequence #") << i << ": " << step.error();
    if (type.getDimSize(axis) != length)
      return emitOpError("sequence #")
             << i << " " << type << " does not have length " << length
             << " along axis " << axis;
    Type expected = RankedTensorType::get(*step, type.getElementType());
    if (body.getArgument(i).getType() != expected)
      return emitOpError("body argument #")
             << i << " must be the step's slice " << expected << ", got "
             << body.getArgument(i).getType();
  }
  for (auto [i, init] : llvm::enumerate(getInits()))
    if (body.getArgument(numSeqs + i).getType() != init.getType())
      return emitOpError("body argument #")
             << numSeqs + i << " must have the carry's type "
             << init.getType() << ", got "
             << body.getArgument(numSeqs + i).getType();
  auto yield = dyn_cast<YieldOp>(body.getTerminator());
  if (!yield)
    return emitOpError("body must end with dl.yield");
  if (yield.getValues().size() != getNumResults())
    return emitOpError("body yields ")
           << yield.getValues().size() << " values for " << getNumResults()
           << " results";
  for (auto [i, init] : llvm::enumerate(getInits())) {
    if (yield.getValues()[i].getType() != init.getType())
      return emitOpError("carry #")
             << i << " starts as " << init.getType()
             << " but the body yields " << yield.getValues()[i].getType();
    if (getResult(i).getType() != init.getType())
      return emitOpError("final carry #")
             << i << " must have type " << init.getType() << ", got "
             << getResult(i).getType();
  }
  for (unsigned i = numCarries; i < getNumResults(); ++i) {
    auto type = cast<RankedTensorType>(yield.getValues()[i].getType());
    shapes::ShapeResult stacked = shapes::stack(type.getShape(), axis, length);
    if (!stacked)
      return emitOpError("output #") << i - numCarries << ": "
                                     << stacked.error();
    Type expected = RankedTensorType::get(*stacked, type.getElementType());
    if (getResult(i).getType() != expected)
      return emitOpError("output #")
             << i - numCarries << " stacks to " << expected << ", got "
             << getResult(i).getType();
  }
  return success();
}
