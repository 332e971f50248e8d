//===- JsonFuzzer.cpp - libFuzzer target: dlrt's JSON parser --------------===//
//
// Part of dlc. Parses the input with dlrt::Json::parse; an accepted document
// must serialize (dump) to JSON that parses again to the same serialization,
// and a rejected one must throw dlrt::Error (nothing else).
//
//===----------------------------------------------------------------------===//

#include "FuzzUtil.h"

#include "dlrt/error.h"
#include "dlrt/json.h"

#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string text(reinterpret_cast<const char *>(data), size);
  dlrt::Json value;
  try {
    value = dlrt::Json::parse(text, "fuzz.json");
  } catch (const dlrt::Error &) {
    return 0;
  }
  std::string once = value.dump();
  dlrt::Json again;
  try {
    again = dlrt::Json::parse(once, "fuzz.json (dumped)");
  } catch (const dlrt::Error &e) {
    std::fprintf(stderr, "dlc fuzz: the dump of an accepted document is "
                         "rejected: %s\n",
                 e.what());
    std::abort();
  }
  dlcfuzz::check(again.dump() == once, "dump(parse(dump(x))) == dump(x)");
  return 0;
}
