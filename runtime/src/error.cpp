//===- error.cpp ----------------------------------------------------------===//
#include "dlrt/error.h"

namespace dlrt {

void fail(const std::string &where, const std::string &reason) {
  throw Error(where.empty() ? reason : where + ": " + reason);
}

void fail(const std::string &reason) { throw Error(reason); }

} // namespace dlrt
