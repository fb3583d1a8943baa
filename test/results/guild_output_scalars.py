"""Feeds output lines to Guild AI 0.9.1's own output-scalar capture, for comparison.

Usage: python3 guild_output_scalars.py REFERENCE_DIR < sequences.json

REFERENCE_DIR holds guildai/ (Guild's source) and guild-stubs/. Each sequence is
{"config": <output-scalars as a Guild file holds it, or null>, "flags": [names],
"lines": [base64 of each line's bytes, without its LF]}. Guild's own code does the work:
guildfile._coerce_output_capture reads the config, run_impl._init_output_scalars builds the
OutputScalars (with the flag names ignored when the defaults are in use), and each line goes
to its write() as op_util.RunOutput hands it over: bytes below 9 dropped, LF kept. Only the
event file writer is replaced, by a recorder of the (tag, value, step) that Guild would write
(after its own int(step)).

Prints one result per sequence: {"lines": [[[tag, repr(value), step], ...] per line],
"error": null or "line N: <exception>"}. Guild's RunOutput drops the capture at its first
exception; so does this.
"""

import base64
import json
import os
import sys

reference = sys.argv[1]
os.environ["SKIP_NOTF"] = "1"
sys.path.insert(0, os.path.join(reference, "guild-stubs"))
sys.path.insert(0, os.path.join(reference, "guildai"))

from guild import guildfile  # noqa: E402
from guild import summary  # noqa: E402
from guild.commands import run_impl  # noqa: E402

events = []


class Recorder:
    def add_event(self, event):
        events.append(event)

    def flush(self):
        pass

    def close(self):
        pass


summary.SummaryWriter._get_writer = lambda self: Recorder()
summary._ScalarSummary = lambda tag, val: (tag, val)
summary.tensorboard_util.Event = lambda summary=None, step=None, wall_time=None, **_: (summary, step)


class Op:
    def __init__(self, config, flags):
        self._output_scalars = guildfile._coerce_output_capture(config, None, "output-scalars")
        self._op_flag_vals = {name: None for name in flags}


class Run:
    def guild_path(self, *path):
        return "/nonexistent"


def run_sequence(seq):
    out = run_impl._init_output_scalars(Op(seq["config"], seq.get("flags", [])), Run())
    lines = []
    for i, encoded in enumerate(seq["lines"]):
        data = bytes(b for b in base64.b64decode(encoded) if b >= 9) + b"\n"
        del events[:]
        if out is not None:
            try:
                out.write(data)
            except Exception as e:
                return {"lines": lines, "error": f"line {i + 1}: {type(e).__name__}: {e}"}
        lines.append([[tag, repr(val), step] for (tag, val), step in events])
    return {"lines": lines, "error": None}


print(json.dumps([run_sequence(seq) for seq in json.load(sys.stdin)]))
