"""The retrain demo's data: scikit-learn's digits set (1797 8x8 images, shipped with it) as CSV batches.

The held-out part, which the test step scores every model on, is every sample whose index is 3 modulo 4 (449
samples); the batches never contain it. The other 1348 samples, in index order, are cut into BATCHES (default 6)
consecutive batches, batch-1.csv ... batch-6.csv. Each row: the sample's index in load_digits(), its 64 pixels
(0-16) and its label. Deterministic: no random numbers, the same files on every machine.

As a program (what scripts/demo-retrain.sh runs in the runtime image, natively):
    python3 make_batches.py OUT_DIR [BATCHES]
As an action (main): answers the batch files as output files (polyarch.save_output) and their row counts.
"""

import os
import sys

HELD_OUT_MODULUS = 4
HELD_OUT_REMAINDER = 3
HEADER = "index," + ",".join(f"p{i}" for i in range(64)) + ",label\n"


def batches(count):
    """[(file name, CSV text)] for `count` batches."""
    from sklearn.datasets import load_digits

    digits = load_digits()
    kept = [i for i in range(len(digits.target)) if i % HELD_OUT_MODULUS != HELD_OUT_REMAINDER]
    size, extra = divmod(len(kept), count)
    result, start = [], 0
    for number in range(1, count + 1):
        end = start + size + (1 if number <= extra else 0)
        lines = [HEADER]
        for i in kept[start:end]:
            pixels = ",".join(str(int(v)) for v in digits.data[i])
            lines.append(f"{i},{pixels},{int(digits.target[i])}\n")
        result.append((f"batch-{number}.csv", "".join(lines)))
        start = end
    return result


def main(args):
    import polyarch

    rows = {}
    for name, text in batches(int(args.get("batches", 6))):
        polyarch.save_output(name, text.encode("ascii"))
        rows[name] = text.count("\n") - 1
    return {"batches": rows, "heldOut": f"index % {HELD_OUT_MODULUS} == {HELD_OUT_REMAINDER}"}


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        print("usage: python3 make_batches.py OUT_DIR [BATCHES]", file=sys.stderr)
        sys.exit(2)
    out = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) == 3 else 6
    os.makedirs(out, exist_ok=True)
    for name, text in batches(count):
        with open(os.path.join(out, name), "w", encoding="ascii") as file:
            file.write(text)
        print(f"{name}: {text.count(chr(10)) - 1} samples")
