"""Writes python_repr.txt: '<hex bits of a double> <repr(double)>' per line, the known answers of
igbench::io::python_float_repr (Python's float repr: shortest round-trip digits, exponent form
when the decimal exponent is < -4 or >= 16). Run: python3 make_python_repr.py > python_repr.txt"""
import random
import struct

values = [0.0, -0.0, 1.0, -1.0, 0.1, 0.2, 0.3, 1e-05, 1e-4, 0.0001, 0.00012345, 1e-5 * 3.3, 10.0, 100.0,
          12.926845013839342, 0.2905333109357936, 1e15, 1e16, 9999999999999998.0, 1234567890123456.0,
          12345678901234567.0, 1e22, 1e23, 1.7976931348623157e308, 5e-324, 2.2250738585072014e-308,
          0.05, 0.8, 2.0, 5.0, 1000000.0, 123456.789, 1 / 3, 2 / 3, float("inf"), float("-inf"), float("nan")]
rng = random.Random(20261129)
for _ in range(1500):
    values.append(struct.unpack("<d", struct.pack("<Q", rng.getrandbits(64)))[0])
for _ in range(1500):
    values.append(rng.uniform(0, 1) * 10.0 ** rng.randint(-12, 20) * rng.choice([1, -1]))
for _ in range(300):
    values.append(float(rng.randint(0, 10**6)) / 10 ** rng.randint(0, 8))
for v in values:
    if v != v:
        v = float("nan")  # one NaN bit pattern; any NaN prints as nan
    print(struct.pack("<d", v)[::-1].hex(), repr(v))
