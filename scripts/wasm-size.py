#!/usr/bin/env python3
# Code bytes per crate (and the largest functions) of a wasm that still has its name section:
# the cargo output before wasm-bindgen, e.g. $CARGO_TARGET_DIR/wasm32-unknown-unknown/release/engine_worker.wasm.
# usage: scripts/wasm-size.py <file.wasm> [crates=40] [functions=0]
import sys, re, collections
import os
sys.path.insert(0, os.path.dirname(__file__))
from wasm_module import read
b, nimports, names, spans = read(sys.argv[1])
bodies = [e - s for s, e in spans]
def crate(name):
    # legacy mangling _ZN...; v0? take first path segment
    m=re.match(r'_ZN(\d+)',name)
    segs=[]
    if m:
        k=3
        while k<len(name) and name[k].isdigit():
            m2=re.match(r'(\d+)',name[k:]);L=int(m2.group(1));k+=len(m2.group(1));segs.append(name[k:k+L]);k+=L
            if len(segs)>=1: break
        s=segs[0] if segs else name
        if s.startswith('_$LT$'):
            inner=re.findall(r'[a-z_][a-z0-9_]*\.\.',s)
            return '<'+(inner[0][:-2] if inner else '?')+'>'
        return s
    return name.split('::')[0][:30]
agg=collections.Counter();top=[]
for k,sz in enumerate(bodies):
    nm=names.get(nimports+k,'?')
    agg[crate(nm)]+=sz;top.append((sz,nm))
tot=sum(bodies);print('code',tot)
for c,s in agg.most_common(int(sys.argv[2]) if len(sys.argv)>2 else 40):print(f'{s:>10} {100*s/tot:5.1f}% {c}')
if len(sys.argv)>3:
    for sz,nm in sorted(top,reverse=True)[:int(sys.argv[3])]:print(sz,nm[:160])
