"""Measuring one endpoint over HTTP: a single checked request, then wrk.

wrk counts a redirect as a success, so the checked request comes first: anything but a 200
(a login redirect, a 403, a 500) marks the endpoint as failing, whatever wrk says after.
"""

import json
import subprocess
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

SCRIPT = Path(__file__).with_name("wrk_report.lua")
THREADS = 2
CONNECTIONS = 8


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


@dataclass(frozen=True)
class Probe:
    status: int
    size: int  # bytes of the body
    error: str = ""


def probe(url: str, headers: dict[str, str]) -> Probe:
    request = urllib.request.Request(url, headers=headers)
    try:
        with _OPENER.open(request, timeout=60) as response:
            return Probe(response.status, len(response.read()))
    except urllib.error.HTTPError as error:
        location = error.headers.get("Location", "")
        detail = f" → {location}" if location else ""
        return Probe(error.code, len(error.read() or b""), f"HTTP {error.code}{detail}")
    except (urllib.error.URLError, OSError) as error:
        return Probe(0, 0, str(error))


def run(
    url: str,
    headers: dict[str, str],
    duration: int,
    threads: int = THREADS,
    connections: int = CONNECTIONS,
) -> dict:
    """``wrk -t2 -c8 -d<duration>s`` with the report script; its JSON summary."""
    command = [
        "wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "10s",
        "-s", str(SCRIPT),
    ]  # fmt: skip
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    command.append(url)
    result = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60)
    for line in result.stdout.splitlines():
        if line.startswith("WRK_JSON "):
            return json.loads(line.removeprefix("WRK_JSON "))
    raise RuntimeError(f"wrk gave no summary:\n{result.stdout}\n{result.stderr}")
