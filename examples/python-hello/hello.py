"""A code action for polyarch/python:3.11: answers the machine it ran on, the Python version and its parameters."""

import platform
import sys


def main(args):
    print(f"hello from {platform.machine()}", flush=True)
    return {
        "machine": platform.machine(),
        "python": platform.python_version(),
        "params": args,
    }


if __name__ == "__main__":
    import json

    print(json.dumps(main(json.loads(sys.argv[1]) if len(sys.argv) > 1 else {})))
