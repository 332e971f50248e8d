#!/usr/bin/env python3
"""Lists the entry points of a dlc-generated header for harness.cpp.

Usage: entries.py MODEL.h > MODEL.entries

Writes one `E2E_ENTRY(fn, FN)` line per function the header declares, FN
being the prefix of its `FN_WORKSPACE_BYTES` macro; harness.cpp includes the
file (-DE2E_ENTRIES='"MODEL.entries"') to build its table of entry points.
"""
import re
import sys

text = open(sys.argv[1]).read()
workspace = set(re.findall(r"^#define (\w+)_WORKSPACE_BYTES ", text, re.M))
for fn in re.findall(r"^void (\w+)\(", text, re.M):
    FN = fn.upper()
    if FN not in workspace:
        sys.exit(f"entries.py: {fn} has no {FN}_WORKSPACE_BYTES in {sys.argv[1]}")
    print(f"E2E_ENTRY({fn}, {FN})")
