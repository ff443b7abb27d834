"""`--requests 4` against `--requests 1`: the corpus read aloud through the real edge-tts client and a
local server speaking the service's protocol with 300 ms per request (run by hand:
`python benchmarks/audio_requests.py [--latency 0.3] [--articles N]`).

The server runs in its own process (tests/speech/edge_server.py: real MP3 frames, about
0.2 s of sound per character). Making that audio costs the server CPU that the real service
spends on its own machines, and on a 2-core machine it competes with the client: so a first,
untimed run warms the server's memory of every request (its figures are shown as "cold
server"), then each request count starts from an empty clip cache in a fresh process and reports
the synthesis phase (requests to the service) and the whole run (synthesis overlapped with
loudness, encoding, tags and subtitles in worker processes; then feeds), best of N rounds.
Target (issue 5): --requests 4 at least 3× faster than --requests 1.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

RUN = """
import json, sys, time
from pathlib import Path
import publish
from publish.speech.sound.editions import audio_editions
shared, count, requests, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4])
articles = publish.load(shared + "/corpus")[:count]
started = time.perf_counter()
run = audio_editions(articles, out / "audio", engine="edge", requests=requests, cache=out / "cache")
print(json.dumps({"total": time.perf_counter() - started, "synthesis": run.synthesis.seconds,
                  "requests": run.synthesis.requests, "retries": run.synthesis.retries,
                  "audio": sum(i.duration for i in run.issues), "articles": len(articles)}))
"""


def start_server(latency: float) -> tuple[subprocess.Popen, str]:
    server = subprocess.Popen(
        [sys.executable, "-m", "tests.speech.edge_server", "--port", "0", "--latency", str(latency)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    line = server.stdout.readline().strip()
    if not line.startswith("PUBLISH_EDGE_ENDPOINT="):
        server.kill()
        sys.exit(f"the local server did not start: {line!r}")
    return server, line.split("=", 1)[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path(os.environ.get("PUBLISH_SHARED", ROOT.parent / "shared")))
    parser.add_argument("--latency", type=float, default=0.3)
    parser.add_argument("--articles", type=int, default=1000, help="the first N corpus articles (default: all)")
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    server, endpoint = start_server(args.latency)
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    env.update(PUBLISH_EDGE_ENDPOINT=endpoint, NO_PROXY="127.0.0.1,localhost")
    results = {}
    try:
        for requests in ("cold", 1, 4):
            best = None
            for _ in range(1 if requests == "cold" else args.rounds):
                with tempfile.TemporaryDirectory() as tmp:
                    done = subprocess.run(
                        [
                            sys.executable,
                            "-c",
                            RUN,
                            str(args.shared),
                            str(args.articles),
                            str(4 if requests == "cold" else requests),
                            tmp,
                        ],
                        cwd=ROOT,
                        env=env,
                        capture_output=True,
                        text=True,
                    )
                if done.returncode:
                    sys.exit(f"--requests {requests} failed:\n{done.stderr}")
                result = json.loads(done.stdout.strip().splitlines()[-1])
                if best is None or result["total"] < best["total"]:
                    best = result
            results[requests] = best
            print(
                f"{'--requests 4, cold server' if requests == 'cold' else f'--requests {requests}'}: {best['articles']} articles, {best['requests']} requests, {best['audio'] / 3600:.1f} h of audio; "
                f"synthesis {best['synthesis']:.1f} s, whole run {best['total']:.1f} s"
            )
    finally:
        server.terminate()
        server.wait(timeout=10)
    one, four = results[1], results[4]
    print(
        f"speed-up --requests 4 / --requests 1 at {args.latency * 1000:.0f} ms per request: synthesis "
        f"{one['synthesis'] / four['synthesis']:.2f}×, whole run {one['total'] / four['total']:.2f}× (target ≥ 3×)"
    )


if __name__ == "__main__":
    time.sleep(0)
    main()
