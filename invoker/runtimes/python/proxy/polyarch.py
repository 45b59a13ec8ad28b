"""Files for Polyarch actions: read the input files an activation was given, save output files it answers with.

    import polyarch

    def main(args):
        rows = polyarch.read_input("batch-1.csv")          # bytes
        path = polyarch.input_path("batch-1.csv")          # or a path, for libraries that open files themselves
        polyarch.save_output("model.pkl", pickle.dumps(model))                 # bytes, or a path to copy
        joblib.dump(model, os.path.join(polyarch.output_dir(), "other.pkl"))  # or write into output_dir() directly
        return {"ok": True}

The files travel in OpenWhisk's /run payload under the reserved parameter "polyarch:files" ({name: base64}); the
proxy takes that key out of the parameters before main sees them, writes the files into a fresh directory of the
activation (0700, files 0600), and answers every file in output_dir() under the same key of the result. Both
directories are removed after the activation. File names: ^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$ (no paths). The total
decoded size per direction is capped by POLYARCH_FILES_MAX_BYTES (default 64 MiB). See ../README.md "Files".
"""

import base64
import binascii
import os
import re
import shutil
import tempfile

FILES_KEY = "polyarch:files"
DEFAULT_MAX_BYTES = 64 * 1024 * 1024
NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
NAME_RULE = "1 to 128 characters of A-Z a-z 0-9 . _ -, starting with a letter or digit, no paths"

__all__ = ["input_path", "read_input", "inputs", "save_output", "output_dir", "FilesError"]


class FilesError(ValueError):
    """A file the activation cannot take or give: a bad name, bad base64, a size past the cap. The message says which and what to do."""


class _Activation:
    """The directories of the activation that runs now (one at a time: the proxy's lock)."""

    def __init__(self, root, max_bytes):
        self.root = root
        self.max_bytes = max_bytes
        self.input_dir = os.path.join(root, "in")
        self.output_dir = os.path.join(root, "out")
        for directory in (self.input_dir, self.output_dir):
            os.mkdir(directory, 0o700)
            os.chmod(directory, 0o700)  # mkdir's mode is masked by the umask; 0700 whatever it is
        self.input_names = []


_current = None


def max_bytes():
    """The cap on the decoded bytes of all files per direction: POLYARCH_FILES_MAX_BYTES, default 64 MiB."""
    raw = os.environ.get("POLYARCH_FILES_MAX_BYTES", "")
    try:
        value = int(raw) if raw.strip() else DEFAULT_MAX_BYTES
    except ValueError:
        raise FilesError(
            f"POLYARCH_FILES_MAX_BYTES is '{raw}', not a number of bytes; set it to a positive integer (default {DEFAULT_MAX_BYTES})."
        ) from None
    if value <= 0:
        raise FilesError(f"POLYARCH_FILES_MAX_BYTES is {value}; set it to a positive number of bytes (default {DEFAULT_MAX_BYTES}).")
    return value


def _size(size):
    return f"{size} bytes" if size < 1024 * 1024 else f"{size} bytes ({size / (1024 * 1024):.1f} MiB)"


def _check_name(name, direction):
    if not isinstance(name, str) or not NAME_PATTERN.fullmatch(name):
        raise FilesError(f"The {direction} file name {name!r} is not allowed: file names are {NAME_RULE}. Rename the file.")


def _past_cap(direction, name, size, total, cap):
    return FilesError(
        f"The {direction} file '{name}' ({_size(size)}) brings the activation's {direction} files to {_size(total)}, "
        f"past the cap of {_size(cap)}. Send fewer or smaller files, or raise the cap "
        "(POLYARCH_FILES_MAX_BYTES in the runtime's environment, which the invoker sets)."
    )


def _write_private(path, data):
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(data)
    os.chmod(path, 0o600)


def _require():
    if _current is None:
        raise FilesError("polyarch's files exist only while an activation runs; call these functions from main (or a notebook cell).")
    return _current


# The proxy's side -------------------------------------------------------------------------------------------------


def begin(params):
    """Takes "polyarch:files" out of params (a dict, changed in place), writes the files, returns the activation's state.

    Raises FilesError (a bad name, bad base64, past the cap) after removing whatever it wrote.
    """
    global _current  # noqa: PLW0603 - one activation at a time, the proxy holds the lock
    files = params.pop(FILES_KEY, None)
    if files is not None and not isinstance(files, dict):
        raise FilesError(f'The parameter "{FILES_KEY}" must be a JSON object of file name to base64 content, not {type(files).__name__}.')
    cap = max_bytes()
    activation = _Activation(tempfile.mkdtemp(prefix="polyarch-files-"), cap)
    try:
        total = 0
        for name, encoded in (files or {}).items():
            _check_name(name, "input")
            if not isinstance(encoded, str):
                raise FilesError(f"The input file '{name}' must be a base64 string, not {type(encoded).__name__}.")
            # Refused before decoding what cannot fit: base64 holds 3 bytes per 4 characters, less its padding.
            size = len(encoded) // 4 * 3 - len(encoded[-2:]) + len(encoded[-2:].rstrip("="))
            if total + size > cap:
                raise _past_cap("input", name, size, total + size, cap)
            try:
                data = base64.b64decode(encoded, validate=True)
            except (binascii.Error, ValueError) as error:
                raise FilesError(f"The input file '{name}' is not valid base64 ({error}); send its content base64-encoded.") from None
            total += len(data)
            if total > cap:
                raise _past_cap("input", name, len(data), total, cap)
            _write_private(os.path.join(activation.input_dir, name), data)
            activation.input_names.append(name)
    except BaseException:
        shutil.rmtree(activation.root, ignore_errors=True)
        raise
    _current = activation
    return activation


def collect():
    """The files in output_dir() as {name: base64} (empty when there are none); FilesError past the cap or for a bad entry."""
    activation = _require()
    answer = {}
    total = 0
    try:
        names = sorted(os.listdir(activation.output_dir))
    except OSError as error:
        raise FilesError(f"output_dir() cannot be read ({error.strerror}); leave the directory in place and save files with polyarch.save_output(name, data).") from None
    for name in names:
        path = os.path.join(activation.output_dir, name)
        _check_name(name, "output")
        if os.path.islink(path) or not os.path.isfile(path):
            raise FilesError(f"The output '{name}' in output_dir() is not a regular file; save files only (no links, no directories).")
        size = os.path.getsize(path)
        total += size
        if total > activation.max_bytes:
            raise _past_cap("output", name, size, total, activation.max_bytes)
        try:
            with open(path, "rb") as file:
                answer[name] = base64.b64encode(file.read()).decode("ascii")
        except OSError as error:
            raise FilesError(f"The output file '{name}' cannot be read ({error.strerror}); keep saved files readable until main returns.") from None
    return answer


def end():
    """Removes the activation's directories; the helpers fail until the next activation begins."""
    global _current  # noqa: PLW0603
    activation, _current = _current, None
    if activation is not None:
        shutil.rmtree(activation.root, ignore_errors=True)


# The action's side ------------------------------------------------------------------------------------------------


def inputs():
    """The names of the activation's input files, in the order they were sent."""
    return list(_require().input_names)


def input_path(name):
    """The path of input file `name` (read-only for the action by convention; 0600, owned by the action's user)."""
    activation = _require()
    if name not in activation.input_names:
        given = ", ".join(activation.input_names) or "none"
        raise FilesError(f"There is no input file '{name}' (the activation has: {given}); list it in the step's files.")
    return os.path.join(activation.input_dir, name)


def read_input(name):
    """The bytes of input file `name`."""
    with open(input_path(name), "rb") as file:
        return file.read()


def output_dir():
    """The directory whose files are answered as the activation's output files (0700; names as save_output takes them)."""
    return _require().output_dir


def save_output(name, data):
    """Saves output file `name`: `data` is its content (bytes) or the path of a file to copy (str or os.PathLike)."""
    activation = _require()
    _check_name(name, "output")
    target = os.path.join(activation.output_dir, name)
    if isinstance(data, (bytes, bytearray, memoryview)):
        content = bytes(data)
    elif isinstance(data, (str, os.PathLike)):
        source = os.fspath(data)
        if not os.path.isfile(source):
            raise FilesError(f"save_output('{name}', path): {source!r} is not a file; pass bytes or the path of an existing file.")
        if os.path.abspath(source) == os.path.abspath(target):
            os.chmod(target, 0o600)
            content = None
        else:
            with open(source, "rb") as file:
                content = file.read()
    else:
        raise FilesError(f"save_output('{name}', …) takes bytes or a file path, not {type(data).__name__}; encode text first (text.encode()).")
    if content is not None:
        others = sum(os.path.getsize(os.path.join(activation.output_dir, f)) for f in os.listdir(activation.output_dir) if f != name)
        if others + len(content) > activation.max_bytes:
            raise _past_cap("output", name, len(content), others + len(content), activation.max_bytes)
        _write_private(target, content)
