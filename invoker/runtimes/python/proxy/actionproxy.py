"""Polyarch's Python action proxy: OpenWhisk's action protocol over HTTP, standard library only.

POST /init {"value": {"name", "main", "code", "binary", "env"}} once, then POST /run {"value": params, ...} per
activation. See ../README.md for the protocol, the notebook rules and the error shapes.
"""

import http.server
import json
import os
import sys
import threading

import polyarch
from loader import ActionError, load_action
from streams import end_activation, install_tracking_streams, print_traceback

PORT = int(os.environ.get("POLYARCH_ACTION_PORT", "8080"))


def _default_max_body():
    """48 MiB of code or params, plus the input files' cap as base64 (4 characters per 3 bytes)."""
    try:
        files = polyarch.max_bytes()
    except polyarch.FilesError:
        files = polyarch.DEFAULT_MAX_BYTES
    return 48 * 1024 * 1024 + (files + 2) // 3 * 4


MAX_BODY = int(os.environ.get("POLYARCH_ACTION_MAX_BODY") or _default_max_body())


class Proxy:
    """The one action this container runs; one activation at a time."""

    def __init__(self):
        self.lock = threading.Lock()
        self.action = None

    def init(self, body):
        with self.lock:
            if self.action is not None:
                return 403, {"error": "Cannot initialize the action more than once."}
            value = body.get("value") if isinstance(body, dict) else None
            if not isinstance(value, dict):
                return 400, {"error": "The /init body must be a JSON object {\"value\": {\"code\": ..., \"main\": ...}}."}
            code = value.get("code")
            if not code:
                return 403, {"error": "Missing main/no code to execute."}
            env = value.get("env") or {}
            if not isinstance(env, dict):
                return 400, {"error": "value.env must be a JSON object of variable names to values."}
            for key, val in env.items():
                os.environ[str(key)] = val if isinstance(val, str) else json.dumps(val)
            try:
                self.action = load_action(
                    name=str(value.get("name") or ""),
                    main=str(value.get("main") or "main"),
                    code=code,
                    binary=bool(value.get("binary")),
                )
            except ActionError as error:
                print(f"init failed: {error}", file=sys.stderr)
                return 502, {"error": str(error)}
            except BaseException as error:  # noqa: BLE001 - the user's module ran at import; report, keep serving
                print_traceback(error)
                return 502, {"error": f"Initializing the action failed: {type(error).__name__}: {error}"}
            return 200, {"ok": True}

    def run(self, body):
        with self.lock:
            if self.action is None:
                return 500, {"error": "no action defined yet"}
            try:
                if not isinstance(body, dict):
                    return 400, {"error": "The /run body must be a JSON object {\"value\": {...}}."}
                params = body.get("value", {})
                if params is None:
                    params = {}
                if not isinstance(params, dict):
                    return 400, {"error": f"value must be a JSON object of parameters, not {type(params).__name__}."}
                # As OpenWhisk's runtimes do: every other field of the request becomes __OW_<FIELD> for the code to read.
                for key, val in body.items():
                    if key != "value":
                        os.environ["__OW_" + str(key).upper()] = val if isinstance(val, str) else json.dumps(val)
                try:
                    # "polyarch:files" leaves the params here: main sees only its own parameters.
                    polyarch.begin(params)
                except polyarch.FilesError as error:
                    print(f"activation failed: {error}", file=sys.stderr)
                    return 502, {"error": str(error)}
                try:
                    return self._run(params)
                finally:
                    polyarch.end()
            finally:
                end_activation()

    def _run(self, params):
        try:
            result = self.action.run(params)
        except ActionError as error:
            print(f"activation failed: {error}", file=sys.stderr)
            return 502, {"error": str(error)}
        except BaseException as error:  # noqa: BLE001 - SystemExit from user code must not end the server
            print_traceback(error)
            return 502, {"error": f"{type(error).__name__}: {error}"}
        if not isinstance(result, dict):
            print(f"activation failed: the action returned {type(result).__name__}, not a dict", file=sys.stderr)
            return 502, {"error": f"The action did not return a dictionary (it returned {type(result).__name__})."}
        if polyarch.FILES_KEY in result:
            print(f"activation failed: the result holds the reserved key {polyarch.FILES_KEY}", file=sys.stderr)
            return 502, {"error": f'The result holds the reserved key "{polyarch.FILES_KEY}"; save files with polyarch.save_output(name, data) instead.'}
        try:
            answer = json.loads(json.dumps(result, default=_to_json))
        except (TypeError, ValueError) as error:
            print(f"activation failed: the result is not JSON: {error}", file=sys.stderr)
            return 502, {"error": f"The action's result cannot be written as JSON: {error}"}
        try:
            files = polyarch.collect()
        except polyarch.FilesError as error:
            print(f"activation failed: {error}", file=sys.stderr)
            return 502, {"error": str(error)}
        if files:
            answer[polyarch.FILES_KEY] = files
        return 200, answer


def _to_json(value):
    """numpy scalars and arrays (what data-science code returns) as plain JSON values."""
    if hasattr(value, "tolist"):
        return value.tolist()
    if hasattr(value, "item"):
        return value.item()
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


PROXY = Proxy()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "polyarch-python"
    sys_version = ""
    # The headers and the body leave in two writes; with Nagle on, the body waits for the client's delayed ACK
    # (~40 ms per warm /run on Linux). Off, a warm /run answers in about a millisecond (bench P15).
    disable_nagle_algorithm = True

    def do_POST(self):  # noqa: N802 - http.server's naming
        routes = {"/init": PROXY.init, "/run": PROXY.run}
        route = routes.get(self.path.split("?", 1)[0])
        if route is None:
            self._send(404, {"error": f"No route POST {self.path}; this action proxy serves POST /init and POST /run."})
            return
        length = self.headers.get("Content-Length")
        if length is None or not length.isdigit():
            self._send(411, {"error": "The request needs a Content-Length."})
            return
        if int(length) > MAX_BODY:
            self._send(413, {"error": f"The body has {length} bytes; this proxy takes at most {MAX_BODY} (POLYARCH_ACTION_MAX_BODY)."})
            return
        raw = self.rfile.read(int(length))
        try:
            body = json.loads(raw or b"{}")
        except ValueError as error:
            self._send(400, {"error": f"The body is not JSON: {error}"})
            return
        status, answer = route(body)
        self._send(status, answer)

    def do_GET(self):  # noqa: N802
        self._send(404, {"error": "This action proxy serves POST /init and POST /run."})

    def _send(self, status, answer):
        data = json.dumps(answer, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format, *args):  # noqa: A002 - access lines would land in the activation's logs
        pass


def main():
    install_tracking_streams()
    server = http.server.ThreadingHTTPServer(("0.0.0.0", PORT), Handler)  # noqa: S104 - the container's port
    server.daemon_threads = True
    print(f"polyarch python action proxy listening on :{PORT}", file=sys.stderr, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
