#!/usr/bin/env python3
# Who calls a function in a wasm that still has its name section (the cargo output before
# wasm-bindgen, e.g. $CARGO_TARGET_DIR/wasm32-unknown-unknown/release/engine_worker.wasm):
# direct calls, with wasm-ld's padded and minimal index encodings. twiggy's `paths` finds
# nothing on these modules. Found that arrow's cast was still linked through Parquet's decoded
# copy (autoloader::parquet_file).
# usage: scripts/wasm-callers.py <file.wasm> <regex over mangled names>
import sys,re
import os
sys.path.insert(0, os.path.dirname(__file__))
from wasm_module import read
def enc(n):
    out=bytearray()
    while True:
        x=n&0x7f;n>>=7
        if n: out.append(x|0x80)
        else: out.append(x);return bytes(out)
b, nimports, names, bodies = read(sys.argv[1])
pat=re.compile(sys.argv[2])
targets=[i for i,nm in names.items() if pat.search(nm)]
for t in targets:
    print("TARGET",t,names[t][:120])
    pad=bytes([(t>>(7*k))&0x7f|0x80 for k in range(4)])+bytes([(t>>28)&0x7f])
    needles=[b'\x10'+enc(t), b'\x10'+pad]
    for fi,(s,e) in enumerate(bodies):
        body=b[s:e]
        if any(nd in body for nd in needles):
            print("   caller", names.get(fi+nimports,'?')[:150])

