//===- CheckedModel.cpp - the checked model's types and node kinds -------===//
//
// Part of dlc.
//
//===----------------------------------------------------------------------===//

#include "Frontend/CheckedModel.h"

#include "llvm/ADT/StringSwitch.h"

using namespace dlc::frontend;
using llvm::StringRef;

//===----------------------------------------------------------------------===//
// Types
//===----------------------------------------------------------------------===//

bool dlc::frontend::isFloat(DType dtype) {
  return dtype == DType::F16 || dtype == DType::BF16 || dtype == DType::F32 ||
         dtype == DType::F64;
}

StringRef dlc::frontend::spell(DType dtype) {
  switch (dtype) {
  case DType::F16:
    return "f16";
  case DType::BF16:
    return "bf16";
  case DType::F32:
    return "f32";
  case DType::F64:
    return "f64";
  case DType::I8:
    return "i8";
  case DType::I16:
    return "i16";
  case DType::I32:
    return "i32";
  case DType::I64:
    return "i64";
  }
  return "?";
}

std::optional<DType> dlc::frontend::parseDType(StringRef name) {
  return llvm::StringSwitch<std::optional<DType>>(name)
      .Case("f16", DType::F16)
      .Case("bf16", DType::BF16)
      .Case("f32", DType::F32)
      .Case("f64", DType::F64)
      .Case("i8", DType::I8)
      .Case("i16", DType::I16)
      .Case("i32", DType::I32)
      .Case("i64", DType::I64)
      .Default(std::nullopt);
}

std::string TensorType::str() const {
  std::string s = spell(dtype).str() + "[";
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

StringRef dlc::frontend::spell(OpKind kind) {
  switch (kind) {
#define NODE(Kind, spelling)                                                   \
  case OpKind::Kind:                                                           \
    return spelling;
#include "Frontend/OpKinds.def"
  }
  return "?";
}
