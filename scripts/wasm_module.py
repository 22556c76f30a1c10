# Reads a wasm module's sections, its imported-function count, its function names (the name
# section cargo leaves before wasm-bindgen) and each function body's (start, end) offsets.
# Shared by scripts/wasm-size.py and scripts/wasm-callers.py.


def leb(b, i):
    r = 0; s = 0
    while True:
        x = b[i]; i += 1; r |= (x & 0x7f) << s; s += 7
        if x < 0x80:
            return r, i


def read(path):
    b = open(path, 'rb').read(); i = 8
    secs = []
    while i < len(b):
        sid = b[i]; i += 1; n, i = leb(b, i); secs.append((sid, i, n)); i += n
    nimports = 0; names = {}; bodies = []
    for sid, off, n in secs:
        if sid == 2:
            c, j = leb(b, off)
            for _ in range(c):
                l, j = leb(b, j); j += l; l, j = leb(b, j); j += l; k = b[j]; j += 1
                if k == 0: _, j = leb(b, j); nimports += 1
                elif k == 1: j += 1; f, j = leb(b, j); _, j = leb(b, j)
                elif k == 2: f, j = leb(b, j); _, j = leb(b, j)
                elif k == 3: j += 2
        if sid == 10:
            c, j = leb(b, off)
            for _ in range(c):
                s, j2 = leb(b, j); bodies.append((j2, j2 + s)); j = j2 + s
        if sid == 0:
            l, j = leb(b, off); nm = b[j:j + l].decode(); j += l
            if nm == 'name':
                end = off + n
                while j < end:
                    t = b[j]; j += 1; s, j = leb(b, j)
                    if t == 1:
                        c, k = leb(b, j)
                        for _ in range(c):
                            idx, k = leb(b, k); l, k = leb(b, k); names[idx] = b[k:k + l].decode('utf8', 'replace'); k += l
                    j += s
    return b, nimports, names, bodies
