"""read_safetensors.py FILE TENSOR - prints 'max abs M' of an f32 tensor of a
safetensors checkpoint (numpy only)."""
import json
import struct
import sys

import numpy as np

data = open(sys.argv[1], "rb").read()
(n,) = struct.unpack_from("<Q", data, 0)
header = json.loads(data[8:8 + n])
info = header[sys.argv[2]]
if info["dtype"] != "F32":
    sys.exit(f"error: {sys.argv[2]} is {info['dtype']}, not F32")
begin, end = info["data_offsets"]
values = np.frombuffer(data[8 + n + begin:8 + n + end], dtype=np.float32)
print(f"max abs {np.abs(values).max():.4f}")
