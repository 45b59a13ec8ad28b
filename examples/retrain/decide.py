"""Step `decide` of workflow retrain: promote the model only if every architecture reaches the threshold and all agree.

Params: results — the test step's results after its fan-out, an object keyed by platform
({"linux/amd64": {"accuracy": 0.95, "checksum": "sha256:…", …}, …}; a value may also be a run entry holding the answer
under "result"); threshold — the accuracy every platform must reach (default 0.9).
Answer: {promote, reason, accuracy: {platform: accuracy}, agree, threshold}.
"""


def _answer(value):
    if isinstance(value, dict) and "accuracy" not in value and isinstance(value.get("result"), dict):
        return value["result"]
    return value


def _by_platform(results):
    if isinstance(results, list):
        return {item.get("platform", str(i)): _answer(item) for i, item in enumerate(results)}
    if isinstance(results, dict):
        return {platform: _answer(value) for platform, value in results.items()}
    raise ValueError(f"results must be the test step's results keyed by platform, not {type(results).__name__}; pass ${{steps.test.result}}.")


def main(args):
    threshold = float(args.get("threshold", 0.9))
    results = _by_platform(args.get("results") or {})
    accuracy = {p: float(r["accuracy"]) for p, r in sorted(results.items())}
    checksums = {p: r.get("checksum") for p, r in sorted(results.items())}
    agree = len(set(checksums.values())) == 1 and None not in checksums.values()
    below = [f"{p} {a:.4f}" for p, a in accuracy.items() if a < threshold]
    if not results:
        reason = "not promoted: no test results"
    elif below:
        reason = f"not promoted: below the threshold {threshold}: {', '.join(below)}"
    elif not agree:
        groups = {}
        for p, c in checksums.items():
            groups.setdefault(c, []).append(p)
        reason = "not promoted: the architectures predict different labels: " + " vs ".join(
            f"{'+'.join(ps)} {str(c)[:19]}" for c, ps in groups.items())
    else:
        reason = f"promoted: {len(results)} architectures reach {threshold} and predict the same labels"
    return {
        "promote": bool(results) and not below and agree,
        "reason": reason,
        "accuracy": accuracy,
        "agree": agree,
        "threshold": threshold,
    }
