#!/usr/bin/env python3
# Who calls a function in a wasm that still has its name section (the cargo output before
# wasm-bindgen, e.g. $CARGO_TARGET_DIR/wasm32-unknown-unknown/release/engine_worker.wasm):
# direct calls, with wasm-ld's padded and minimal index encodings. twiggy's `paths` finds
# nothing on these modules. Found that arrow's cast was still linked through Parquet's decoded
# copy (autoloader::parquet_file).
# usage: scripts/wasm-callers.py <file.wasm> <regex over mangled names>
import sys,re
def leb(b,i):
    r=0;s=0
    while True:
        x=b[i];i+=1;r|=(x&0x7f)<<s;s+=7
        if x<0x80:return r,i
def enc(n):
    out=bytearray()
    while True:
        x=n&0x7f;n>>=7
        if n: out.append(x|0x80)
        else: out.append(x);return bytes(out)
b=open(sys.argv[1],'rb').read();i=8
secs=[]
while i<len(b):
    sid=b[i];i+=1;n,i=leb(b,i);secs.append((sid,i,n));i+=n
nimports=0;names={};bodies=[]
for sid,off,n in secs:
    if sid==2:
        c,j=leb(b,off)
        for _ in range(c):
            l,j=leb(b,j);j+=l;l,j=leb(b,j);j+=l;k=b[j];j+=1
            if k==0: _,j=leb(b,j); nimports+=1
            elif k==1: j+=1; f,j=leb(b,j); _,j=leb(b,j)
            elif k==2: f,j=leb(b,j); _,j=leb(b,j)
            elif k==3: j+=2
    if sid==10:
        c,j=leb(b,off)
        for _ in range(c):
            s,j2=leb(b,j);bodies.append((j2,j2+s));j=j2+s
    if sid==0:
        l,j=leb(b,off);nm=b[j:j+l].decode();j+=l
        if nm=='name':
            end=off+n
            while j<end:
                t=b[j];j+=1;s,j=leb(b,j)
                if t==1:
                    c,k=leb(b,j)
                    for _ in range(c):
                        idx,k=leb(b,k);l,k=leb(b,k);names[idx]=b[k:k+l].decode('utf8','replace');k+=l
                j+=s
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

