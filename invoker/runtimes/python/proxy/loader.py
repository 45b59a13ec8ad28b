"""Turns the code of POST /init into a runnable action: a Python module, a zip with __main__.py, or a notebook."""

import base64
import binascii
import io
import linecache
import os
import sys
import tempfile
import types
import zipfile

from notebook import Notebook, looks_like_notebook


class ActionError(Exception):
    """An error the proxy answers with {"error": message} (the traceback, if any, was printed to stderr)."""


class ModuleAction:
    def __init__(self, function):
        self._function = function

    def run(self, params):
        return self._function(params)


class NotebookAction:
    def __init__(self, notebook, directory):
        self._notebook = notebook
        self._directory = directory

    def run(self, params):
        return self._notebook.run(params, ActionError)


def load_action(name, main, code, binary):
    if binary:
        return _load_zip(name, main, code)
    if name.endswith(".ipynb") or looks_like_notebook(code):
        return NotebookAction(_parse_notebook(code, "the notebook"), None)
    return ModuleAction(_load_module(code, "__main__.py", main, None))


def _parse_notebook(text, where):
    try:
        return Notebook.parse(text, where)
    except ValueError as error:
        raise ActionError(str(error)) from None
    except SyntaxError as error:
        raise ActionError(f"Invalid Python code in {where}: {error}") from None


def _load_module(source, filename, main, directory):
    # Tracebacks quote the action's lines although its code never was a file here.
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    try:
        compiled = compile(source, filename, "exec")
    except SyntaxError as error:
        # str(SyntaxError) is "invalid syntax (__main__.py, line 3)": the file and the line, as a developer needs them.
        raise ActionError(f"Invalid Python code: {error}") from None
    module = types.ModuleType("main__")
    module.__file__ = os.path.join(directory, filename) if directory else filename
    sys.modules["main__"] = module
    exec(compiled, module.__dict__)  # noqa: S102 - running the action's code is this proxy's purpose
    function = module.__dict__.get(main)
    if not callable(function):
        raise ActionError(f"The code defines no function '{main}'; define def {main}(args): ... returning a dict, or set main to the function's name.")
    return function


def _load_zip(name, main, code):
    try:
        data = base64.b64decode(code, validate=True)
    except (binascii.Error, ValueError) as error:
        raise ActionError(f"binary is true but code is not base64: {error}") from None
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise ActionError(f"binary is true but code is not a zip file ({error}); send a base64 zip with __main__.py at its root.") from None
    directory = tempfile.mkdtemp(prefix="action-")
    with archive:
        for member in archive.infolist():
            target = os.path.realpath(os.path.join(directory, member.filename))
            if not target.startswith(os.path.realpath(directory) + os.sep):
                raise ActionError(f"The zip entry '{member.filename}' points outside the action's directory; refusing it.")
        archive.extractall(directory)
    sys.path.insert(0, directory)
    os.chdir(directory)
    entry = os.path.join(directory, "__main__.py")
    if os.path.isfile(entry):
        with open(entry, encoding="utf-8") as file:
            return ModuleAction(_load_module(file.read(), "__main__.py", main, directory))
    notebooks = sorted(f for f in os.listdir(directory) if f.endswith(".ipynb"))
    if len(notebooks) == 1 or "__main__.ipynb" in notebooks:
        chosen = "__main__.ipynb" if "__main__.ipynb" in notebooks else notebooks[0]
        with open(os.path.join(directory, chosen), encoding="utf-8") as file:
            return NotebookAction(_parse_notebook(file.read(), chosen), directory)
    found = ", ".join(sorted(os.listdir(directory))) or "nothing"
    raise ActionError(f"The zip has no __main__.py (nor a single .ipynb) at its root (it has: {found}); add __main__.py defining {main}(args).")
