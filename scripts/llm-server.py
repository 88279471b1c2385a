"""llama.cpp's OpenAI-compatible server (the xllamacpp wheel) on 127.0.0.1, until SIGTERM/SIGINT.

Started by scripts/llm-server.sh, which installs xllamacpp and the model; see it for the why.
"""
import argparse
import os
import signal
import threading

import xllamacpp as xlc

parser = argparse.ArgumentParser()
parser.add_argument("--model", required=True, help="path of a GGUF file")
parser.add_argument("--alias", required=True, help="the model name the server answers to (LLM_MODEL)")
parser.add_argument("--port", type=int, required=True)
parser.add_argument("--threads", type=int, default=1)
parser.add_argument("--ctx", type=int, default=4096)
parser.add_argument("--owner-pid", type=int, help="stop when this process is gone (a test run killed before its teardown)")
args = parser.parse_args()

params = xlc.CommonParams()
params.model.path = args.model
params.model_alias = {args.alias}
params.hostnames = ["127.0.0.1"]
params.port = args.port
params.n_ctx = args.ctx
# One request at a time: a second slot would halve each one's context and its CPU.
params.n_parallel = 1
# Generation and prompt processing alike: more threads than free cores spin-wait against
# the machine's other processes (25-60 s a brief on a busy 2-core machine, 3-6 s with one).
params.cpuparams.n_threads = args.threads
params.cpuparams_batch.n_threads = args.threads
# No downloads (-hf), no web UI, no slot dump; the prompt cache stays small.
params.offline = True
params.ui = False
params.endpoint_slots = False
params.cache_ram_mib = 0
# Only a page served from the server itself may read its answers from a browser.
params.cors_origins = f"http://127.0.0.1:{args.port}"

server = xlc.Server(params)
print(f"listening on {server.listening_address}", flush=True)

stop = threading.Event()
signal.signal(signal.SIGTERM, lambda *_: stop.set())
signal.signal(signal.SIGINT, lambda *_: stop.set())
if args.owner_pid:

    def watch_owner():
        while not stop.wait(2):
            try:
                os.kill(args.owner_pid, 0)
            except ProcessLookupError:
                stop.set()

    threading.Thread(target=watch_owner, daemon=True).start()
stop.wait()
# The server's native threads would keep the interpreter from exiting.
os._exit(0)
