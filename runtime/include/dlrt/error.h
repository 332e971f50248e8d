//===- dlrt/error.h - the one exception type dlrt throws --------*- C++ -*-===//
//
// Every failure dlrt detects (a missing or malformed file, a shape that does
// not match the model, a checkpoint from another model) throws dlrt::Error
// whose message names the file and the reason: "FILE: REASON". The trainer
// CLI prints it and exits nonzero.
//
//===----------------------------------------------------------------------===//
#ifndef DLRT_ERROR_H
#define DLRT_ERROR_H

#include <stdexcept>
#include <string>

namespace dlrt {

class Error : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// Throws Error("WHERE: REASON"); WHERE is usually a file name.
[[noreturn]] void fail(const std::string &where, const std::string &reason);
/// Throws Error(REASON).
[[noreturn]] void fail(const std::string &reason);

/// printf into a string (for messages; at most 511 characters).
std::string strFormat(const char *format, ...)
    __attribute__((format(printf, 1, 2)));

} // namespace dlrt

#endif // DLRT_ERROR_H
