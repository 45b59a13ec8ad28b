"""A Jupyter notebook (.ipynb, nbformat 4) as an action: its code cells run in order, no Jupyter involved.

Cells are numbered like this everywhere (logs and errors): the 1-based count of *code* cells, markdown and raw cells
not counted — "cell 3" is the third code cell. IPython lines (`%magic`, `!shell`) are skipped with a log line (a cell
that starts with `%%` is skipped whole). Parameters: a code cell tagged `parameters` is followed, as in papermill, by
an injected cell assigning each parameter as a variable; without such a cell they are the dict `params`. The answer
is the variable `result` (a dict) after the last cell.
"""

import json
import linecache
import re
import sys

from streams import print_traceback

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def looks_like_notebook(text):
    stripped = text.lstrip()
    if not stripped.startswith("{"):
        return False
    try:
        document = json.loads(stripped)
    except ValueError:
        return False
    return isinstance(document, dict) and "cells" in document and "nbformat" in document


class Cell:
    def __init__(self, number, source, tags):
        self.number = number
        self.source = source
        self.tags = tags
        lines = [line for line in source.splitlines() if line.strip()]
        self.first_line = lines[0].strip() if lines else ""
        self.code = None
        self.skipped = []

    @property
    def label(self):
        return f"cell {self.number} ({self.first_line!r})"


class Notebook:
    def __init__(self, cells, where):
        self.cells = cells
        self.where = where
        self.has_parameters_cell = any("parameters" in c.tags for c in cells)

    @staticmethod
    def parse(text, where):
        try:
            document = json.loads(text)
        except ValueError as error:
            raise ValueError(f"{where} is not notebook JSON: {error}") from None
        if not isinstance(document, dict) or not isinstance(document.get("cells"), list):
            raise ValueError(f"{where} has no 'cells' list; only nbformat 4 notebooks (.ipynb) are supported.")
        if document.get("nbformat", 4) < 4:
            raise ValueError(f"{where} is nbformat {document.get('nbformat')}; save it as nbformat 4 (Jupyter does so since 2015).")
        cells = []
        for raw in document["cells"]:
            if not isinstance(raw, dict) or raw.get("cell_type") != "code":
                continue
            source = raw.get("source", "")
            if isinstance(source, list):
                source = "".join(source)
            tags = (raw.get("metadata") or {}).get("tags") or []
            cell = Cell(len(cells) + 1, source, tags)
            cell.code = _compile_cell(cell)
            cells.append(cell)
        return Notebook(cells, where)

    def run(self, params, error_type):
        namespace = {"__name__": "__main__", "__builtins__": __builtins__}
        if not self.has_parameters_cell:
            namespace["params"] = dict(params)
        for cell in self.cells:
            for note in cell.skipped:
                print(f"notebook: {note}", file=sys.stderr)
            if cell.code is None:
                continue
            try:
                exec(cell.code, namespace)  # noqa: S102 - running the notebook is this proxy's purpose
            except BaseException as error:  # noqa: BLE001 - a cell's SystemExit is the cell's error too
                print_traceback(error)
                raise error_type(f"{cell.label} raised {type(error).__name__}: {error}") from None
            if "parameters" in cell.tags:
                _inject(cell, params, namespace)
        if "result" not in namespace:
            raise error_type("The notebook did not set a variable named result; end it with result = {...} (a dict).")
        result = namespace["result"]
        if not isinstance(result, dict):
            raise error_type(f"The notebook's result is a {type(result).__name__}, not a dict; set result = {{...}}.")
        return result


def _compile_cell(cell):
    if cell.source.lstrip().startswith("%%"):
        cell.skipped.append(f"{cell.label} is an IPython cell magic; skipped whole")
        return None
    lines = cell.source.splitlines()
    for index, line in enumerate(lines):
        stripped = line.lstrip()
        if stripped.startswith(("%", "!")):
            cell.skipped.append(f"cell {cell.number} line {index + 1}: IPython line skipped: {stripped}")
            # `pass` at the same indentation keeps the line numbers and any block around it valid.
            lines[index] = line[: len(line) - len(stripped)] + "pass"
    source = "\n".join(lines) + "\n"
    linecache.cache[f"<cell {cell.number}>"] = (len(source), None, source.splitlines(True), f"<cell {cell.number}>")
    try:
        return compile(source, f"<cell {cell.number}>", "exec")
    except SyntaxError as error:
        raise SyntaxError(f"{cell.label}, line {error.lineno}: {error.msg}") from None


def _inject(cell, params, namespace):
    """papermill's injected-parameters cell, done directly: each parameter becomes a variable after the tagged cell."""
    for key, value in params.items():
        if _IDENTIFIER.match(key):
            namespace[key] = value
        else:
            print(f"notebook: parameter {key!r} is not a Python identifier; not injected after cell {cell.number}", file=sys.stderr)
