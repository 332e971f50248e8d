#!/usr/bin/env python3
"""test/fuzz/make_seeds.py - (re)writes the seed corpora of test/fuzz/corpus.

Run from anywhere: python3 test/fuzz/make_seeds.py. Only the standard
library is used. The safetensors checkpoints (corpus/safetensors/checkpoint-*)
are not written here: they come from dlrt::saveCheckpoint (see README.md).
"""
import gzip
import json
import os
import re
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CORPUS = os.path.join(HERE, "corpus")


def put(target, name, data):
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def gz(data):
    # mtime=0: the same bytes on every run.
    return gzip.compress(data, compresslevel=9, mtime=0)


#--- .dl front end: examples, stdlib, lit inputs without RUN/CHECK lines -------#
def strip_lit(text):
    keep = [l for l in text.splitlines()
            if not re.match(r"\s*//\s*(RUN|CHECK|REQUIRES|XFAIL)", l)]
    return "\n".join(keep) + "\n"


for d in ("examples", "stdlib"):
    for f in sorted(os.listdir(os.path.join(ROOT, d))):
        if f.endswith(".dl"):
            with open(os.path.join(ROOT, d, f)) as src:
                put("frontend", d + "-" + f, src.read())
for f in sorted(os.listdir(os.path.join(ROOT, "test", "Frontend"))):
    if f.endswith(".dl") and (f.startswith("mlirgen_") or f.startswith("diag_")):
        with open(os.path.join(ROOT, "test", "Frontend", f)) as src:
            put("frontend", "lit-" + f, strip_lit(src.read()))

#--- IDX ------------------------------------------------------------------------#
IDX_TYPES = {"u8": (0x08, "B"), "i8": (0x09, "b"), "i16": (0x0B, "h"),
             "i32": (0x0C, "i"), "f32": (0x0D, "f"), "f64": (0x0E, "d")}


def idx(kind, shape, values):
    code, fmt = IDX_TYPES[kind]
    out = bytes([0, 0, code, len(shape)]) + b"".join(struct.pack(">I", d) for d in shape)
    return out + struct.pack(">%d%s" % (len(values), fmt), *values)


images = idx("u8", [2, 3, 3], list(range(0, 180, 10)))
put("idx", "images-u8-2x3x3", images)
put("idx", "labels-u8-2", idx("u8", [2], [3, 7]))
put("idx", "i8-4", idx("i8", [4], [-128, -1, 0, 127]))
put("idx", "i16-2x2", idx("i16", [2, 2], [-32768, -1, 1, 32767]))
put("idx", "i32-3", idx("i32", [3], [-2**31, 0, 2**31 - 1]))
put("idx", "f32-2x2", idx("f32", [2, 2], [0.5, -1.5, 3.25, 1e-3]))
put("idx", "f64-1x1x1x2", idx("f64", [1, 1, 1, 2], [1.0, -2.0]))
put("idx", "images-u8.gz", gz(images))
put("idx", "two-members.gz", gz(images[:10]) + gz(images[10:]))
put("idx", "truncated", images[:-3])

#--- .npy -------------------------------------------------------------------------#
def npy(descr, shape, data, version=1, fortran=False):
    shp = "(" + "".join("%d," % d for d in shape) + ")" if len(shape) == 1 else \
        "(" + ", ".join(str(d) for d in shape) + ")"
    header = "{'descr': '%s', 'fortran_order': %s, 'shape': %s, }" % (
        descr, "True" if fortran else "False", shp)
    lenbytes = 2 if version == 1 else 4
    pad = (64 - (10 + lenbytes - 2 + len(header) + 1) % 64) % 64
    header = header + " " * pad + "\n"
    pre = b"\x93NUMPY" + bytes([version, 0])
    pre += struct.pack("<H" if version == 1 else "<I", len(header))
    return pre + header.encode("latin1") + data


put("npy", "f4-2x3", npy("<f4", [2, 3], struct.pack("<6f", 1, 2, 3, 4, 5, 6)))
put("npy", "f8-3", npy("<f8", [3], struct.pack("<3d", 0.5, -1, 2)))
put("npy", "f2-2", npy("<f2", [2], struct.pack("<2e", 1.0, -2.0)))
put("npy", "i1-4-v2", npy("|i1", [4], bytes([0, 1, 255, 128]), version=2))
put("npy", "i2-2x1", npy("<i2", [2, 1], struct.pack("<2h", -5, 5)))
put("npy", "i4-2", npy("<i4", [2], struct.pack("<2i", 7, -7)))
put("npy", "i8-1-v3", npy("<i8", [1], struct.pack("<q", 2**40), version=3))
put("npy", "u1-2x2x2", npy("|u1", [2, 2, 2], bytes(range(8))))
put("npy", "b1-3", npy("|b1", [3], bytes([0, 1, 1])))
put("npy", "scalar-f4", npy("<f4", [], struct.pack("<f", 42)))
put("npy", "empty-0x3", npy("<f4", [0, 3], b""))
put("npy", "fortran-1", npy("<f4", [2], struct.pack("<2f", 1, 2), fortran=True))

#--- CSV: the first byte is the option byte (see CsvFuzzer.cpp) -------------------#
put("csv", "header-label", "\x00" + "a,b,label\n1,2,0\n3.5,-4,1\n")
put("csv", "no-header", "\x04" + "1,2,3\n4,5,6\n")
put("csv", "quoted-crlf", "\x00" + '"x","y",label\r\n"1", 2 ,1\r\n\r\n3,"4",0\r\n')
put("csv", "semicolons", "\x05" + "1;2\n3;4\n")
put("csv", "tabs-header", "\x0e" + "f1\tf2\tc\n0.1\t0.2\t1\n")
put("csv", "label-first", "\x20" + "label,p,q\n1,0,0\n0,1,1\n")
put("csv", "exponents", "\x00" + "1e3,-2.5E-2,+7\n.5,5.,0x10\n")
put("csv", "ragged", "\x00" + "1,2\n3\n")

#--- Text: byte 0 picks the sequence length, byte 1 the vocabulary ---------------#
text = b"the quick brown fox jumps over the lazy dog\nhello, world\n"
put("text", "bytes-seq4", b"\x03\x80" + text)
put("text", "chars-seq8", b"\x07\x40" + text)
put("text", "chars-small-vocab", b"\x01\x04" + b"abababab")
put("text", "gzip-seq2", b"\x01\x80" + gz(text))
put("text", "utf8", b"\x05\x80" + "naïve café ☕\n".encode())

#--- safetensors (the checkpoints come from dlrt, see README.md) -----------------#
def safetensors(tensors, metadata=None):
    header, data = {}, b""
    for name, dtype, shape, blob in tensors:
        header[name] = {"dtype": dtype, "shape": shape,
                        "data_offsets": [len(data), len(data) + len(blob)]}
        data += blob
    if metadata is not None:
        header["__metadata__"] = metadata
    h = json.dumps(header).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    return struct.pack("<Q", len(h)) + h + data


put("safetensors", "plain-params", safetensors([
    ("l1.W", "F32", [3, 4], struct.pack("<12f", *range(12))),
    ("l1.b", "F32", [4], struct.pack("<4f", 0, 0, 0, 0)),
    ("count", "I64", [2], struct.pack("<2q", -5, 2**50))]))
put("safetensors", "dtypes", safetensors([
    ("a", "F16", [2], struct.pack("<2e", 1, 2)),
    ("b", "BF16", [1], b"\x80\x3f"),
    ("c", "I32", [1, 1], struct.pack("<i", 3)),
    ("d", "BOOL", [2], b"\x00\x01"),
    ("e", "F64", [], struct.pack("<d", 1.5)),
    ("f", "I8", [0], b"")], {"format": "pt", "note": "x\u00e9"}))
put("safetensors", "metadata-only", safetensors([], {"k": "v"}))

#--- JSON ------------------------------------------------------------------------#
put("json", "object", '{"a": 1, "b": [true, false, null], "c": {"d": "e"}}')
put("json", "numbers", "[0, -0, 1.5, -2e-3, 1E+10, 9223372036854775807, "
    "-9223372036854775808, 9223372036854775808, 123456789.125]")
put("json", "strings", r'["", "\"\\\/\b\f\n\r\t", "\u0041\u00e9\u20ac", "\ud83d\ude00"]')
put("json", "nested", "[[[[{\"x\": [[]]}]]]]")
put("json", "safetensors-header", '{"l1.W":{"dtype":"F32","shape":[3,4],'
    '"data_offsets":[0,48]},"__metadata__":{"format":"dlrt-checkpoint-1",'
    '"epoch":"3"}}   ')
# fuzz-json's first finding (-0.0 written as the integer -0), and 1e999.
put("json", "regression-minus-zero", "[0, -0, 1.5, -2e-775808, 9223372036854775808]")
put("json", "regression-out-of-range", "[1e999, -1e400, 1e-400]")
put("json", "whitespace", " \t\n\r{ \"k\" : [ 1 , 2 ] } \n")
