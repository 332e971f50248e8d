//===- checkpoint.cpp - safetensors reading/writing, model checkpoints ----===//
#include "dlrt/checkpoint.h"
#include "dlrt/error.h"
#include "dlrt/json.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ostream>

namespace dlrt {

static constexpr uint64_t kMaxHeader = 100u << 20; // as the reference implementation
static const char *kFormat = "dlrt-checkpoint-1";

const SafeTensor *SafeTensorsFile::find(const std::string &name) const {
  for (auto &t : tensors)
    if (t.name == name)
      return &t;
  return nullptr;
}

SafeTensorsFile parseSafetensors(Bytes content, const std::string &name) {
  SafeTensorsFile f;
  f.content = std::move(content);
  const Bytes &b = f.content;
  if (b.size() < 8)
    fail(name, "truncated safetensors file: " + std::to_string(b.size()) +
                   " bytes, less than the 8-byte header length");
  uint64_t n = 0;
  for (int i = 7; i >= 0; --i)
    n = n << 8 | b[size_t(i)];
  if (n > kMaxHeader)
    fail(name, "not a safetensors file: header length " + std::to_string(n) +
                   " exceeds 100 MiB");
  if (n > b.size() - 8)
    fail(name, "truncated safetensors file: the header is " +
                   std::to_string(n) + " bytes, only " +
                   std::to_string(b.size() - 8) + " follow");
  if (n < 2 || b[8] != '{')
    fail(name, "not a safetensors file: the header is not a JSON object");
  std::string text(reinterpret_cast<const char *>(&b[8]), size_t(n));
  // Trailing spaces pad the header; JSON allows them.
  Json h = Json::parse(text, name + " (header)");
  if (!h.isObject())
    fail(name, "safetensors header is not a JSON object");
  const unsigned char *buf = b.data() + 8 + n;
  uint64_t bufSize = b.size() - 8 - n;

  struct Range {
    uint64_t begin, end;
    size_t index;
  };
  std::vector<Range> ranges;
  for (auto &[key, v] : h.members()) {
    if (key == "__metadata__") {
      if (!v.isObject())
        fail(name, "__metadata__ is not an object");
      for (auto &[mk, mv] : v.members()) {
        if (!mv.isString())
          fail(name, "__metadata__ value of '" + mk + "' is not a string");
        f.metadata[mk] = mv.asString();
      }
      continue;
    }
    std::string where = name + ": tensor '" + key + "'";
    if (!v.isObject())
      fail(where, "entry is not an object");
    const Json *dt = v.find("dtype"), *sh = v.find("shape"),
               *off = v.find("data_offsets");
    if (!dt || !sh || !off)
      fail(where, "needs dtype, shape and data_offsets");
    if (v.members().size() != 3)
      fail(where, "has unexpected fields besides dtype, shape, data_offsets");
    if (!dt->isString())
      fail(where, "dtype is not a string");
    auto t = dtypeFromSafetensors(dt->asString());
    if (!t)
      fail(where, "unsupported dtype '" + dt->asString() + "'");
    if (!sh->isArray())
      fail(where, "shape is not an array");
    Shape shape;
    for (auto &d : sh->items()) {
      if (!d.isInteger() || d.asInt() < 0)
        fail(where, "shape holds something other than a non-negative integer");
      shape.push_back(d.asInt());
    }
    if (shape.size() > DLC_MAX_RANK)
      fail(where, "rank " + std::to_string(shape.size()) + " is too large");
    if (!off->isArray() || off->items().size() != 2 ||
        !off->items()[0].isInteger() || !off->items()[1].isInteger() ||
        off->items()[0].asInt() < 0 || off->items()[1].asInt() < 0)
      fail(where, "data_offsets is not [BEGIN, END]");
    uint64_t begin = uint64_t(off->items()[0].asInt()),
             end = uint64_t(off->items()[1].asInt());
    if (begin > end)
      fail(where, "data_offsets [" + std::to_string(begin) + ", " +
                      std::to_string(end) + "] are reversed");
    if (end > bufSize)
      fail(where, "data_offsets [" + std::to_string(begin) + ", " +
                      std::to_string(end) + "] lie outside the " +
                      std::to_string(bufSize) +
                      "-byte data buffer (truncated file?)");
    uint64_t want;
    try {
      want = byteSize(shape, *t);
    } catch (const Error &) {
      fail(where, "shape " + shapeString(shape) + " of " + dt->asString() +
                      " is too large");
    }
    if (end - begin != want)
      fail(where, "data_offsets span " + std::to_string(end - begin) +
                      " bytes but " + dt->asString() + shapeString(shape) +
                      " needs " + std::to_string(want));
    SafeTensor st;
    st.name = key;
    st.dtype = *t;
    st.shape = shape;
    st.data = buf + begin;
    st.bytes = size_t(end - begin);
    ranges.push_back({begin, end, f.tensors.size()});
    f.tensors.push_back(std::move(st));
  }
  std::sort(ranges.begin(), ranges.end(), [](const Range &a, const Range &b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
  });
  uint64_t at = 0;
  for (auto &r : ranges) {
    if (r.begin < at)
      fail(name, "tensor '" + f.tensors[r.index].name +
                     "' overlaps the tensor before it");
    if (r.begin > at)
      fail(name, "a hole of " + std::to_string(r.begin - at) +
                     " bytes before tensor '" + f.tensors[r.index].name + "'");
    at = r.end;
  }
  if (at != bufSize)
    fail(name, std::to_string(bufSize - at) +
                   " bytes after the last tensor's data");
  std::vector<SafeTensor> ordered;
  for (auto &r : ranges)
    ordered.push_back(f.tensors[r.index]);
  f.tensors = std::move(ordered);
  return f;
}

Metadata readSafetensorsMetadata(const std::string &path) {
  Bytes len = readFileHead(path, 8);
  std::string text;
  bool ok = len.size() == 8;
  uint64_t n = 0;
  for (int i = 7; ok && i >= 0; --i)
    n = n << 8 | len[size_t(i)];
  ok = ok && n >= 2 && n <= kMaxHeader;
  if (ok) {
    Bytes head = readFileHead(path, 8 + n);
    ok = head.size() == 8 + n;
    if (ok)
      text.assign(head.begin() + 8, head.end());
  }
  if (!ok || text[0] != '{')
    fail(path, "not a safetensors file (or a truncated one)");
  Json h = Json::parse(text, path + " (header)");
  Metadata m;
  const Json *meta = h.isObject() ? h.find("__metadata__") : nullptr;
  if (meta && meta->isObject())
    for (auto &[k, v] : meta->members())
      if (v.isString())
        m[k] = v.asString();
  return m;
}

SafeTensorsFile readSafetensors(const std::string &path) {
  return parseSafetensors(readFile(path), path);
}

Bytes serializeSafetensors(const std::vector<NamedTensor> &tensors,
                           const Metadata &metadata) {
  Json h = Json::object();
  if (!metadata.empty()) {
    Json m = Json::object();
    for (auto &[k, v] : metadata)
      m.set(k, Json::string(v));
    h.set("__metadata__", std::move(m));
  }
  uint64_t at = 0;
  for (auto &t : tensors) {
    if (t.name == "__metadata__" || h.find(t.name))
      fail("safetensors: duplicate or reserved tensor name '" + t.name + "'");
    uint64_t bytes = byteSize(t.shape, t.dtype);
    Json e = Json::object();
    e.set("dtype", Json::string(safetensorsDTypeName(t.dtype)));
    Json shape = Json::array();
    for (int64_t d : t.shape)
      shape.push(Json::integer(d));
    e.set("shape", std::move(shape));
    Json off = Json::array();
    off.push(Json::integer(int64_t(at)));
    off.push(Json::integer(int64_t(at + bytes)));
    e.set("data_offsets", std::move(off));
    h.set(t.name, std::move(e));
    at += bytes;
  }
  std::string text = h.dump();
  while ((8 + text.size()) % 8)
    text += ' ';
  uint64_t n = text.size();
  Bytes out(size_t(8 + n + at));
  for (int i = 0; i < 8; ++i)
    out[size_t(i)] = static_cast<unsigned char>(n >> (8 * i));
  std::memcpy(out.data() + 8, text.data(), text.size());
  size_t pos = size_t(8 + n);
  for (auto &t : tensors) {
    size_t bytes = size_t(byteSize(t.shape, t.dtype));
    if (bytes)
      std::memcpy(out.data() + pos, t.data, bytes);
    pos += bytes;
  }
  return out;
}

void writeSafetensors(const std::string &path,
                      const std::vector<NamedTensor> &tensors,
                      const Metadata &metadata) {
  Bytes b = serializeSafetensors(tensors, metadata);
  writeFileAtomic(path, b.data(), b.size());
}

std::string hex64(uint64_t v) {
  char buf[20];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

uint64_t layoutHash(const dlc_tensor_info *tensors, int count,
                    uint64_t stateBytes) {
  std::string s = "state " + std::to_string(stateBytes) + "\n";
  for (int i = 0; i < count; ++i) {
    const dlc_tensor_info &t = tensors[i];
    s += std::string(t.name ? t.name : "") + " " + std::to_string(int(t.kind)) +
         " " + std::to_string(int(t.dtype)) + " " +
         shapeString(shapeOf(t)) + " " + std::to_string(t.offset) + " " +
         std::to_string(t.bytes) + "\n";
  }
  return fnv1a(s);
}

void saveCheckpoint(const std::string &path, const std::string &model,
                    const dlc_tensor_info *tensors, int count,
                    uint64_t stateBytes, const void *state, Metadata metadata) {
  std::vector<NamedTensor> out;
  for (int i = 0; i < count; ++i) {
    const dlc_tensor_info &t = tensors[i];
    out.push_back({t.name, fromDlc(t.dtype), shapeOf(t),
                   static_cast<const char *>(state) + t.offset});
  }
  metadata["format"] = kFormat;
  metadata["model"] = model;
  metadata["layout_hash"] = hex64(layoutHash(tensors, count, stateBytes));
  writeSafetensors(path, out, metadata);
}

std::string nonFiniteSummary(const std::string &name, DType t, const void *data,
                             int64_t count) {
  if (!isFloat(t))
    return "";
  int64_t bad = 0;
  std::string first;
  for (int64_t i = 0; i < count; ++i) {
    double v = loadElement(data, t, i);
    if (std::isfinite(v))
      continue;
    if (bad++ < 3) {
      std::string what = std::isnan(v) ? "NaN" : v > 0 ? "inf" : "-inf";
      first += (first.empty() ? "" : ", ") + std::string("element ") +
               std::to_string(i) + " is " + what;
    }
  }
  if (!bad)
    return "";
  return "tensor '" + name + "' holds " + std::to_string(bad) +
         " non-finite value" + (bad == 1 ? "" : "s") + " (" + first +
         (bad > 3 ? ", ..." : "") + ")";
}

static bool isTrained(dlc_kind k) { return k == DLC_PARAM || k == DLC_STATE; }

Metadata loadCheckpoint(const std::string &path, const std::string &model,
                        const dlc_tensor_info *tensors, int count,
                        uint64_t stateBytes, void *state,
                        const LoadOptions &opts) {
  SafeTensorsFile f = readSafetensors(path);
  auto meta = [&](const char *k) -> std::string {
    auto it = f.metadata.find(k);
    return it == f.metadata.end() ? "" : it->second;
  };
  std::string hash = hex64(layoutHash(tensors, count, stateBytes));
  // A dlrt checkpoint must come from this model and layout, whatever the
  // options; a plain safetensors file is accepted only when not exact.
  bool isDlrt = meta("format") == kFormat;
  if (opts.exact || isDlrt) {
    if (!isDlrt)
      fail(path, "not a dlrt checkpoint (no __metadata__ format \"" +
                     std::string(kFormat) + "\")");
    if (meta("model") != model)
      fail(path, "checkpoint of model '" + meta("model") +
                     "', not of this model '" + model + "'");
  }
  bool sameLayout = meta("layout_hash") == hash;
  if ((opts.exact || isDlrt) && !sameLayout) {
    // Say what differs when we can; the hash decides.
    for (int i = 0; i < count; ++i) {
      const SafeTensor *t = f.find(tensors[i].name);
      if (!t)
        fail(path, "checkpoint of a different layout of model '" + model +
                       "': it lacks tensor '" + tensors[i].name + "'");
      if (t->shape != shapeOf(tensors[i]) || t->dtype != fromDlc(tensors[i].dtype))
        fail(path, "checkpoint of a different layout of model '" + model +
                       "': tensor '" + tensors[i].name + "' is " +
                       dtypeName(t->dtype) + shapeString(t->shape) +
                       ", the model has " + dtypeName(fromDlc(tensors[i].dtype)) +
                       shapeString(shapeOf(tensors[i])));
    }
    fail(path, "checkpoint of a different layout of model '" + model +
                   "' (layout hash " + meta("layout_hash") + ", expected " +
                   hash + ")");
  }
  // Validate everything before writing anything into STATE.
  std::vector<const SafeTensor *> src(size_t(count), nullptr);
  for (int i = 0; i < count; ++i) {
    const dlc_tensor_info &info = tensors[i];
    const SafeTensor *t = f.find(info.name);
    if (!t) {
      if (opts.exact || isTrained(info.kind))
        fail(path, "missing tensor '" + std::string(info.name) + "'");
      continue;
    }
    DType want = fromDlc(info.dtype);
    if (t->dtype != want)
      fail(path, "tensor '" + t->name + "' is " + dtypeName(t->dtype) +
                     ", the model's is " + dtypeName(want));
    if (t->shape != shapeOf(info))
      fail(path, "tensor '" + t->name + "' has shape " +
                     shapeString(t->shape) + ", the model's is " +
                     shapeString(shapeOf(info)));
    if (t->bytes != info.bytes || info.offset + info.bytes > stateBytes)
      fail(path, "tensor '" + t->name + "' does not fit the model's state");
    src[size_t(i)] = t;
  }
  for (auto &t : f.tensors) {
    bool known = false;
    for (int i = 0; i < count && !known; ++i)
      known = t.name == tensors[i].name;
    if (!known)
      fail(path, "tensor '" + t.name + "' is not part of model '" + model + "'");
  }
  // NaN or Inf: a diverged run's checkpoint, refused unless asked for.
  for (int i = 0; i < count; ++i) {
    const SafeTensor *t = src[size_t(i)];
    if (!t)
      continue;
    std::string bad =
        nonFiniteSummary(t->name, t->dtype, t->data, numElements(t->shape));
    if (bad.empty())
      continue;
    if (!opts.allowNonFinite)
      fail(path, bad + "; refusing to load it (--allow-non-finite loads it "
                       "with a warning)");
    if (opts.warnings)
      *opts.warnings << "warning: " << path << ": " << bad << "\n";
  }
  for (int i = 0; i < count; ++i)
    if (src[size_t(i)])
      std::memcpy(static_cast<char *>(state) + tensors[i].offset,
                  src[size_t(i)]->data, src[size_t(i)]->bytes);
  return f.metadata;
}

} // namespace dlrt
