"""stdout and stderr of the action are the container's; each activation ends with OpenWhisk's sentinel line on both."""

import sys
import threading

SENTINEL = "XXX_THE_END_OF_A_WHISK_ACTIVATION_XXX"


class TrackingStream:
    """A text stream that remembers whether the last thing written ended a line, so the sentinel is always on its own."""

    def __init__(self, inner):
        self._inner = inner
        self._lock = threading.Lock()
        self.at_line_start = True

    def write(self, text):
        with self._lock:
            written = self._inner.write(text)
            if text:
                self.at_line_start = text.endswith("\n")
            return written

    def flush(self):
        self._inner.flush()

    def __getattr__(self, name):
        return getattr(self._inner, name)


def install_tracking_streams():
    if not isinstance(sys.stdout, TrackingStream):
        sys.stdout = TrackingStream(sys.stdout)
    if not isinstance(sys.stderr, TrackingStream):
        sys.stderr = TrackingStream(sys.stderr)


def end_activation():
    """Prints the sentinel on stdout and stderr (on a line of its own) and flushes both."""
    for stream in (sys.stdout, sys.stderr):
        prefix = "" if getattr(stream, "at_line_start", True) else "\n"
        stream.write(prefix + SENTINEL + "\n")
        stream.flush()


def print_traceback(error):
    """The traceback of the action's own frames on stderr: the proxy's frames above them say nothing to its developer."""
    import os
    import traceback

    proxy_dir = os.path.dirname(os.path.abspath(__file__))
    tb = error.__traceback__
    while tb is not None and tb.tb_next is not None and os.path.dirname(os.path.abspath(tb.tb_frame.f_code.co_filename)) == proxy_dir:
        tb = tb.tb_next
    traceback.print_exception(type(error), error, tb, file=sys.stderr)
