"""Step `train` of workflow retrain: a LogisticRegression on every dataset batch the step was given as input files.

Input files: batch-1.csv ... batch-k.csv (examples/retrain/make_batches.py: index, 64 pixels, label; a header line).
Output file: model.pkl (the fitted model, pickled). Answer: {samples, classes, batches, trainSeconds, platform}.
"""

import io
import pickle
import platform as machine
import re
import time

import numpy as np
import polyarch
from sklearn.linear_model import LogisticRegression

ARCHITECTURES = {"x86_64": "amd64", "aarch64": "arm64", "ppc64le": "ppc64le"}


def _batch_number(name):
    return int(re.fullmatch(r"batch-(\d+)\.csv", name).group(1))


def main(args):
    names = sorted((n for n in polyarch.inputs() if re.fullmatch(r"batch-\d+\.csv", n)), key=_batch_number)
    if not names:
        raise ValueError(f"No batch-N.csv among the input files ({', '.join(polyarch.inputs()) or 'none'}); give the step the dataset artifact (files: [trigger]).")
    rows = np.vstack([np.loadtxt(io.BytesIO(polyarch.read_input(n)), delimiter=",", skiprows=1, ndmin=2) for n in names])
    features, labels = rows[:, 1:-1] / 16.0, rows[:, -1].astype(int)
    started = time.perf_counter()
    model = LogisticRegression(max_iter=int(args.get("max_iter", 1000))).fit(features, labels)
    seconds = time.perf_counter() - started
    polyarch.save_output("model.pkl", pickle.dumps(model))
    return {
        "samples": int(len(labels)),
        "classes": int(len(model.classes_)),
        "batches": names,
        "trainSeconds": round(seconds, 3),
        "platform": "linux/" + ARCHITECTURES.get(machine.machine(), machine.machine()),
    }
