from pyspark import pipelines as dp
s = 'ab'
for i in range(100):
    s = s + s
for i in range(1000000):
    for j in range(1000000):
        pass
x = [1] * 10000000000000
y = 'a' * 4611686018427387904
