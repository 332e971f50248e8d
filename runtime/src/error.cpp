//===- error.cpp ----------------------------------------------------------===//
#include "dlrt/error.h"

#include <cstdarg>
#include <cstdio>

namespace dlrt {

void fail(const std::string &where, const std::string &reason) {
  throw Error(where.empty() ? reason : where + ": " + reason);
}

void fail(const std::string &reason) { throw Error(reason); }

std::string strFormat(const char *format, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, format);
  std::vsnprintf(buf, sizeof buf, format, ap);
  va_end(ap);
  return buf;
}

} // namespace dlrt
