#!/usr/bin/env python3
# Code bytes per crate (and the largest functions) of a wasm that still has its name section:
# the cargo output before wasm-bindgen, e.g. $CARGO_TARGET_DIR/wasm32-unknown-unknown/release/engine_worker.wasm.
# usage: scripts/wasm-size.py <file.wasm> [crates=40] [functions=0]
import sys, re, collections
def leb(b,i):
    r=0;s=0
    while True:
        x=b[i];i+=1;r|=(x&0x7f)<<s;s+=7
        if x<0x80:return r,i
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
            elif k==1: j+=1; f,j=leb(b,j); _,j=leb(b,j); 
            elif k==2: f,j=leb(b,j); _,j=leb(b,j)
            elif k==3: j+=2
    if sid==10:
        c,j=leb(b,off)
        for _ in range(c):
            s,j2=leb(b,j);bodies.append(j2-j+s);j=j2+s
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
