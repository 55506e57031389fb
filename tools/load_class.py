"""Classroom load test: a whole class on the single-machine JupyterHub (a script that prints figures).

    ./course bench --class 30                       # 30 students, 3 minutes of slider moves (the default)
    .venv/bin/python tools/load_class.py --class 5 --duration 30            # the short variant CI runs
    .venv/bin/python tools/load_class.py --class 60 --ramp 10 --duration 60 # 10, 20, ... 60 students, 60 s each

It starts ``deploy/jupyterhub/jupyterhub_config.py`` on free localhost ports (shared-password mode, made-up
students, their homes in a temporary folder), then each simulated student, all at once:

1. logs in through the hub's login form and gets an API token, as JupyterLab's hub extension would;
2. starts a server through the hub and a kernel on it (the server's REST API, through the proxy);
3. runs every code cell of notebook 03 (``--notebooks 03 05`` adds 05) in that kernel over the kernel
   websocket, failing on any error output;
4. until the time is up, moves the course sliders the way the browser does, over the widget comm protocol: the
   pointer reaching a slider sends the slider's ``{want: "frames"}`` custom message, and letting go of it (or a
   key step) sends the comm ``update`` of its ``value``, as ipywidgets' frontend does. The round trip is the time
   from that update to the kernel's new figure state (the Figure model's ``update`` whose ``key`` names the new
   control values), which is what the browser then draws; a move that changes no figure (Live then sends none)
   ends when the kernel reports idle for the update. Between moves a student thinks for 1-3 s.

It reports the time until every student had a running kernel, the round trip p50/p95, each student's memory
(RSS and PSS of server + kernel, after the notebooks ran and at the end), the total memory of the hub's process
tree, failures, lost messages (the kernel never finished with a move within ``--timeout`` seconds) and figures
drawn for other values than the sliders stand at, and, with ``--ramp``, the largest class size whose p95
stayed within 250 ms. It talks only to 127.0.0.1, every loop has a deadline, and it stops
the hub and every process the hub started (also on Ctrl-C or SIGTERM). Exit status 1 if any start failed, any
message was lost or any figure was drawn for other values.
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import psutil
from jupyter_server.services.kernels.connection.base import deserialize_binary_message
from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest
from tornado.websocket import websocket_connect

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from helpers.widgets.state import state_key  # noqa: E402  (the key the figures carry)

CONFIG = ROOT / "deploy" / "jupyterhub" / "jupyterhub_config.py"
PROXY = ROOT / "deploy" / "node_modules" / ".bin" / "configurable-http-proxy"
P95_TARGET_MS = 250.0
PER_STUDENT_ESTIMATE_MB = 260  # measured 235-243 MB RSS per student after 3 minutes of moves, notebooks 03 and 04
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def ensure_proxy() -> None:
    """configurable-http-proxy from deploy/package-lock.json (``npm ci``), installed on first use."""
    if not PROXY.exists():
        if shutil.which("npm") is None:
            raise RuntimeError("the hub's proxy (configurable-http-proxy) needs Node.js and npm: on Debian/Ubuntu "
                               "apt-get install nodejs npm")
        print("load_class: installing configurable-http-proxy (npm ci --prefix deploy)", flush=True)
        subprocess.run(["npm", "ci", "--prefix", str(ROOT / "deploy"), "--no-audit", "--no-fund"], check=True,
                       timeout=300)


# ------------------------------------------------------------------------------------------------ the hub
class Hub:
    """The single-machine hub on free localhost ports; ``stop`` ends it and every process it started."""

    def __init__(self, work: Path, password: str, students: int):
        self.work = work
        self.students = students  # the hub lets this many servers run at once
        self.password = password
        self.port = free_port()
        self.url = f"http://{HOST}:{self.port}"
        self.admin_token = secrets.token_hex(32)
        self.process: subprocess.Popen | None = None
        self.seen: dict[int, float] = {}  # pid -> create_time of every process seen in the hub's tree
        self.log = work / "jupyterhub.log"

    def start(self, deadline_s: float = 90.0) -> None:
        ensure_proxy()
        env = {**os.environ, "COURSE_HUB_MODE": "shared-password", "COURSE_HUB_PASSWORD": self.password,
               "COURSE_HUB_IP": HOST, "COURSE_HUB_PORT": str(self.port),
               "COURSE_HUB_HUB_PORT": str(free_port()), "COURSE_HUB_API_PORT": str(free_port()),
               "COURSE_HUB_STATE": str(self.work / "state"), "COURSE_HUB_HOMES": str(self.work / "homes"),
               "COURSE_HUB_ADMIN_TOKEN": self.admin_token, "COURSE_HUB_MAX_STUDENTS": str(self.students)}
        hub_bin = Path(sys.executable).parent / "jupyterhub"
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen([str(hub_bin), "-f", str(CONFIG)], cwd=self.work, env=env,
                                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        end = time.monotonic() + deadline_s
        import urllib.request
        while time.monotonic() < end:
            if self.process.poll() is not None:
                raise RuntimeError(f"the hub exited with {self.process.returncode}; see {self.log}")
            with contextlib.suppress(OSError):
                urllib.request.urlopen(f"{self.url}/hub/api/", timeout=2).read()
                self.remember()
                return
            time.sleep(0.3)
        raise RuntimeError(f"the hub did not answer within {deadline_s:.0f} s; see {self.log}")

    def tree(self) -> list[psutil.Process]:
        if self.process is None:
            return []
        try:
            hub = psutil.Process(self.process.pid)
            return [hub, *hub.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []

    def remember(self) -> None:
        for process in self.tree():
            with contextlib.suppress(psutil.Error):
                self.seen[process.pid] = process.create_time()

    def stop(self, grace_s: float = 60.0) -> None:
        """SIGTERM to the hub (it stops the students' servers and the proxy), then SIGKILL to anything it
        started that is still there, by pid (checked against the creation time, so no reused pid is hit)."""
        if self.process is None:
            return
        self.remember()
        # the idle culler ignores the hub's SIGINT and SIGTERM, so the hub would wait about 30 s before it kills it;
        # it keeps no state, so it goes first
        for process in self.tree()[1:]:
            with contextlib.suppress(psutil.Error):
                if any("jupyterhub_idle_culler" in part for part in process.cmdline()):
                    process.kill()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=grace_s)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        for pid, created in self.seen.items():
            with contextlib.suppress(psutil.Error):
                process = psutil.Process(pid)
                if process.create_time() == created:
                    process.kill()
        self.process = None


# ------------------------------------------------------------------------------------------------ a student
class Failure(Exception):
    pass


@dataclass
class Model:
    """A widget model the kernel opened: its state without buffers (figures keep only their key)."""
    comm_id: str
    cell: int
    state: dict = field(default_factory=dict)

    def merge(self, state: dict) -> None:
        for name, value in state.items():
            if name in ("figure", "frames"):
                value = {"key": value.get("key")} if name == "figure" and isinstance(value, dict) else None
            self.state[name] = value

    @property
    def is_slider(self) -> bool:
        return {"min", "max", "step", "value", "channel", "control_name"} <= set(self.state) and bool(
            self.state.get("control_name"))

    @property
    def is_figure(self) -> bool:
        return "figure" in self.state and "output_name" in self.state

    @property
    def is_output(self) -> bool:
        """A Figure or a Readout that a Live keeps equal to the model (both carry the key of their values)."""
        return self.is_figure or {"key", "output_name", "value"} <= set(self.state)

    @property
    def output_key(self) -> str | None:
        return (self.state["figure"] or {}).get("key") if self.is_figure else self.state.get("key")


@dataclass
class Explorable:
    sliders: list[Model]
    figures: list[Model]
    outputs: list[Model]
    key: str

    def values(self) -> dict:
        return {slider.state["control_name"]: slider.state["value"] for slider in self.sliders}

    def expected_key(self) -> str | None:
        """The key the next figure must carry; None when the explorable has controls that are not course
        sliders (toggles, dropdowns), whose values this client does not track: then any new key counts."""
        return state_key(self.values()) if len(self.key.split("|")) == len(self.sliders) else None


class Student:
    def __init__(self, index: int, hub: Hub, options, clock: "Clock"):
        self.index = index
        self.name = f"student{index:03d}"
        self.hub = hub
        self.options = options
        self.clock = clock
        self.rng = random.Random(options.seed * 1000 + index)
        self.http = AsyncHTTPClient()
        self.cookies: dict[str, str] = {}
        self.token = ""
        self.ws = None
        self.session = uuid.uuid4().hex
        self.models: dict[str, Model] = {}
        self.cell = -1
        self.pending: dict[str, asyncio.Future] = {}  # execute msg_id -> future (idle)
        self.errors: list[str] = []
        self.figure_waiter: tuple[set, str | None, str, asyncio.Future] | None = None
        self.kernel_ready_at: float | None = None
        self.landing = ""
        self.failure: str | None = None
        self.samples: list[tuple[float, float, int]] = []  # (sent at, round trip s, students moving then)
        self.lost = 0  # moves the kernel never finished with
        self.mismatched = 0  # moves after which an output carried a key for other control values
        self.unchanged = 0  # moves that changed no figure (Live sends no new state then)
        self.mismatches: list[str] = []
        self.moves = 0
        self.reader: asyncio.Task | None = None

    # -- HTTP through the proxy --------------------------------------------------------------------------
    async def request(self, method: str, path: str, body=None, headers=None, form=False, timeout=120.0):
        headers = dict(headers or {})
        if self.token:
            headers["Authorization"] = f"token {self.token}"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None and not form:
            body, headers["Content-Type"] = json.dumps(body), "application/json"
        elif form:
            body, headers["Content-Type"] = urlencode(body), "application/x-www-form-urlencoded"
        elif method == "POST":
            body = ""
        response = await self.http.fetch(HTTPRequest(f"{self.hub.url}{path}", method=method, body=body,
                                                     headers=headers, follow_redirects=False,
                                                     request_timeout=timeout), raise_error=False)
        for header in response.headers.get_list("Set-Cookie"):
            cookie = SimpleCookie()
            cookie.load(header)
            for key, morsel in cookie.items():
                self.cookies[key] = morsel.value
        return response

    async def log_in(self) -> None:
        page = await self.request("GET", "/hub/login")
        match = re.search(rb'name="_xsrf" value="([^"]+)"', page.body or b"")
        if page.code != 200 or not match:
            raise Failure(f"login page: HTTP {page.code}")
        xsrf = match.group(1).decode()
        done = await self.request("POST", "/hub/login?next=", form=True,
                                  body={"username": self.name, "password": self.hub.password, "_xsrf": xsrf})
        if done.code != 302:
            raise Failure(f"login: HTTP {done.code}")
        made = await self.request("POST", f"/hub/api/users/{self.name}/tokens",
                                  body={"note": "load test", "expires_in": 3600},
                                  headers={"X-XSRFToken": self.cookies.get("_xsrf", xsrf)})
        if made.code != 201:
            raise Failure(f"token: HTTP {made.code} {made.body[:200]!r}")
        self.token, self.cookies = json.loads(made.body)["token"], {}

    async def start_server(self) -> None:
        started = await self.request("POST", f"/hub/api/users/{self.name}/server")
        if started.code not in (201, 202):
            raise Failure(f"spawn: HTTP {started.code} {started.body[:200]!r}")
        end = time.monotonic() + self.options.start_timeout
        while time.monotonic() < end:
            user = json.loads((await self.request("GET", f"/hub/api/users/{self.name}")).body)
            server = user.get("servers", {}).get("")
            if server and server.get("ready"):
                landing = await self.request("GET", f"/user/{self.name}/")  # where the hub's link sends a student
                self.landing = landing.headers.get("Location", "").split("?")[0]
                return
            if not server or server.get("stopped"):
                raise Failure("spawn: the server stopped while starting")
            await asyncio.sleep(0.5)
        raise Failure(f"spawn: not ready within {self.options.start_timeout} s")

    async def start_kernel(self) -> None:
        made = await self.request("POST", f"/user/{self.name}/api/kernels", body={"name": "python3"})
        if made.code != 201:
            raise Failure(f"kernel: HTTP {made.code} {made.body[:200]!r}")
        kernel = json.loads(made.body)["id"]
        url = f"ws://{HOST}:{self.hub.port}/user/{self.name}/api/kernels/{kernel}/channels?session_id={self.session}"
        self.ws = await websocket_connect(HTTPRequest(url, headers={"Authorization": f"token {self.token}"},
                                                      request_timeout=60), max_message_size=256 * 2**20)
        self.reader = asyncio.create_task(self.read())
        reply = self.send("shell", "kernel_info_request", {})
        await self.wait(reply, self.options.start_timeout, "kernel_info")
        self.kernel_ready_at = self.clock.now()

    # -- the kernel websocket ----------------------------------------------------------------------------
    def send(self, channel: str, msg_type: str, content: dict, answer: bool = True) -> str:
        """Send a message; with ``answer``, :meth:`wait` can wait for the kernel to finish with it."""
        msg_id = uuid.uuid4().hex
        if answer:
            self.pending[msg_id] = asyncio.get_running_loop().create_future()
        message = {"header": {"msg_id": msg_id, "username": self.name, "session": self.session,
                              "date": datetime.now(timezone.utc).isoformat(), "msg_type": msg_type, "version": "5.3"},
                   "parent_header": {}, "metadata": {}, "content": content, "channel": channel, "buffers": []}
        self.ws.write_message(json.dumps(message))
        return msg_id

    async def wait(self, msg_id: str, timeout: float, what: str):
        try:
            return await asyncio.wait_for(self.pending[msg_id], timeout)
        except asyncio.TimeoutError:
            raise Failure(f"{what}: no answer within {timeout:.0f} s") from None
        finally:
            self.pending.pop(msg_id, None)

    async def read(self) -> None:
        while True:
            raw = await self.ws.read_message()
            if raw is None:
                self.errors.append("the kernel websocket closed")
                for future in self.pending.values():
                    if not future.done():
                        future.set_exception(Failure("the kernel websocket closed"))
                return
            message = deserialize_binary_message(raw) if isinstance(raw, bytes) else json.loads(raw)
            self.handle(message)

    def handle(self, message: dict) -> None:
        kind, content = message["header"]["msg_type"], message["content"]
        parent = message.get("parent_header", {}).get("msg_id")
        if kind == "comm_open" and content.get("target_name") == "jupyter.widget":
            model = self.models[content["comm_id"]] = Model(content["comm_id"], self.cell)
            model.merge(content["data"].get("state", {}))
        elif kind == "comm_msg" and content["comm_id"] in self.models:
            data = content["data"]
            if data.get("method") in ("update", "echo_update"):
                model = self.models[content["comm_id"]]
                model.merge(data.get("state", {}))
                figure = data.get("state", {}).get("figure")
                if data["method"] == "update" and isinstance(figure, dict):
                    self.figure_arrived(content["comm_id"], figure.get("key"))
        elif kind in ("error",) or (kind == "stream" and content.get("name") == "stderr"
                                    and "Traceback" in content.get("text", "")):
            said = content.get("evalue", content.get("text", ""))
            self.errors.append(f"{kind}: {content.get('ename', '')} {said}"[:300])
        elif kind == "execute_reply" and content.get("status") != "ok":
            self.errors.append(f"execute_reply {content.get('status')}: {content.get('evalue', '')}"[:300])
        if kind in ("kernel_info_reply",) or (kind == "status" and content.get("execution_state") == "idle"):
            future = self.pending.get(parent)
            if future and not future.done():
                future.set_result(message)

    def figure_arrived(self, comm_id: str, key: str | None) -> None:
        if self.figure_waiter is None:
            return
        figures, expected, previous, future = self.figure_waiter
        if comm_id in figures and not future.done() and key != previous and (expected is None or key == expected):
            future.set_result(self.clock.now())

    # -- the notebook and the sliders --------------------------------------------------------------------
    async def run_notebook(self, cells: list[str]) -> None:
        for index, source in enumerate(cells):
            self.cell = index
            msg_id = self.send("shell", "execute_request", {"code": source, "silent": False, "store_history": True,
                                                            "user_expressions": {}, "allow_stdin": False,
                                                            "stop_on_error": True})
            await self.wait(msg_id, self.options.cell_timeout, f"cell {index}")
            if self.errors:
                raise Failure(f"cell {index}: {self.errors[0]}")

    def explorables(self) -> list[Explorable]:
        found = []
        for cell in sorted({model.cell for model in self.models.values()}):
            models = [model for model in self.models.values() if model.cell == cell]
            sliders = [model for model in models if model.is_slider]
            figures = [model for model in models if model.is_figure]
            if sliders and figures:
                outputs = [model for model in models if model.is_output]
                found.append(Explorable(sliders, figures, outputs, figures[0].output_key))
        return found

    def comm(self, model: Model, data: dict, answer: bool = True) -> str:
        return self.send("shell", "comm_msg", {"comm_id": model.comm_id, "data": data}, answer)

    def new_value(self, slider: Model, by_key: bool):
        low, high, step, now = (slider.state[name] for name in ("min", "max", "step", "value"))
        count = int(round((high - low) / step))
        at = int(round((now - low) / step))
        if by_key:  # one arrow-key step, back from the ends
            target = at + (1 if at < count and (at == 0 or self.rng.random() < 0.5) else -1)
        else:
            target = self.rng.choice([i for i in range(count + 1) if i != at])
        value = low + step * target
        whole = all(float(v).is_integer() for v in (low, high, step))
        return int(round(value)) if whole else round(value, 10)

    async def move_sliders(self, stop: asyncio.Event, moving: list) -> None:
        explorables = self.explorables()
        if not explorables:
            raise Failure("no explorable with course sliders and figures found in the notebook's widgets")
        moving.append(self)
        try:
            while not stop.is_set():
                await self.move(self.rng.choice(explorables), len(moving))
                await asyncio.sleep(self.rng.uniform(*self.options.think))
        finally:
            moving.remove(self)

    async def move(self, explorable: "Explorable", class_size: int) -> None:
        """One move of one slider, as the browser makes it; the round trip ends when the first figure with the
        new key arrives, or, if the move changed no figure (Live then sends none), when the kernel has finished
        with the update (its ``idle`` for that message: every state it sent in answer came before)."""
        slider = self.rng.choice(explorable.sliders)
        by_key = self.rng.random() < 0.3
        if not by_key:  # the pointer reaches the slider: the browser asks for frames, then the student drags
            self.comm(slider, {"method": "custom", "content": {"want": "frames"}}, answer=False)
            await asyncio.sleep(self.rng.uniform(0.3, 1.2))
        value = self.new_value(slider, by_key)
        before = {output.comm_id: output.output_key for output in explorable.outputs}
        previous = explorable.key
        slider.state["value"] = value
        expected = explorable.expected_key()
        figure = asyncio.get_running_loop().create_future()
        self.figure_waiter = ({f.comm_id for f in explorable.figures}, expected, previous, figure)
        sent = self.clock.now()
        msg_id = self.comm(slider, {"method": "update", "state": {"value": value}, "buffer_paths": []})
        self.moves += 1
        try:
            await self.wait(msg_id, self.options.timeout, "slider update")
        except Failure:
            self.lost += 1  # the kernel never finished with the update
            return
        finally:
            self.figure_waiter = None
        idle = self.clock.now()
        if figure.done():
            self.samples.append((sent, figure.result() - sent, class_size))
        else:
            self.unchanged += 1
            self.samples.append((sent, idle - sent, class_size))
        after = {output.comm_id: output.output_key for output in explorable.outputs}
        wrong = [key for comm_id, key in after.items() if key not in (before[comm_id], expected)]
        if expected is not None and wrong:  # an output drawn for other values than the controls stand at
            self.mismatched += 1
            self.mismatches.append(f"after {slider.state['control_name']} = {value}: expected {expected}, got {wrong}")
        explorable.key = expected or next((key for key in after.values() if key != previous), previous)

    async def attend(self, cells: list[str], stop: asyncio.Event, moving: list) -> None:
        try:
            await self.log_in()
            await self.start_server()
            await self.start_kernel()
            await self.run_notebook(cells)
            await self.move_sliders(stop, moving)
        except Failure as failure:
            self.failure = str(failure)
        except (HTTPClientError, OSError) as error:
            self.failure = f"{type(error).__name__}: {error}"
        if self.errors and not self.failure:
            self.failure = self.errors[0]

    def close(self) -> None:
        if self.reader:
            self.reader.cancel()
        if self.ws is not None:
            self.ws.close()


class Clock:
    def __init__(self):
        self.start = time.monotonic()

    def now(self) -> float:
        return time.monotonic() - self.start


# ------------------------------------------------------------------------------------------------ memory
def memory(hub: Hub) -> dict:
    """Memory per student (server + its kernels, and each part) and of the hub's whole process tree, in MB: RSS
    (what each process maps, shared libraries counted in full for each), PSS (shared pages split among their
    users: the student's share of the machine) and USS (pages only this student's processes use: what one more
    student adds). A student's server is a process the hub started to serve a ``/user/`` prefix."""
    hub.remember()
    per_student, total_rss, total_pss = {}, 0.0, 0.0
    tree = hub.tree()
    for process in tree:
        with contextlib.suppress(psutil.Error):
            info = process.memory_full_info()
            total_rss += info.rss / 2**20
            total_pss += info.pss / 2**20
    for process in tree[1:]:
        with contextlib.suppress(psutil.Error):
            environ = process.environ()  # services (the idle culler) have a JUPYTERHUB_USER too, but no /user/ prefix
            if process.ppid() != tree[0].pid or not environ.get("JUPYTERHUB_SERVICE_PREFIX", "").startswith("/user/"):
                continue
            user = environ["JUPYTERHUB_USER"]
            kernels = process.children(recursive=True)
            server, *kernel_infos = [part.memory_full_info() for part in (process, *kernels)]
            entry = {"kernels": len(kernels)}
            for kind in ("rss", "pss", "uss"):
                entry[f"server_{kind}"] = getattr(server, kind) / 2**20
                entry[f"kernel_{kind}"] = sum(getattr(info, kind) for info in kernel_infos) / 2**20
                entry[kind] = entry[f"server_{kind}"] + entry[f"kernel_{kind}"]
            per_student[user] = entry
    return {"students": per_student, "tree_rss": total_rss, "tree_pss": total_pss,
            "machine_used": psutil.virtual_memory().used / 2**20}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(share * (len(ordered) - 1)))))] if ordered else float("nan")


def notebook_cells(names: list[str]) -> list[str]:
    cells = []
    for name in names:
        # "05" is 05_risk_tradeoffs, not 05b_deciding_with_the_patient ("05b" names that one)
        path = next(path for path in sorted((ROOT / "notebooks").glob("*.ipynb")) if path.stem.split("_")[0] == name)
        cells += ["".join(cell["source"]) for cell in json.loads(path.read_text())["cells"]
                  if cell["cell_type"] == "code"]
    return cells


# ------------------------------------------------------------------------------------------------ the run
async def run_class(hub: Hub, options) -> dict:
    AsyncHTTPClient.configure(None, max_clients=max(10, 2 * options.students))
    clock, cells = Clock(), notebook_cells(options.notebooks)
    levels = list(range(options.ramp, options.students, options.ramp)) + [options.students] if options.ramp \
        else [options.students]
    students = [Student(i + 1, hub, options, clock) for i in range(options.students)]
    moving: list[Student] = []
    stop = asyncio.Event()
    tasks, stages, memory_after_notebooks, memory_stop = [], [], None, None
    for level in levels:
        group = students[len(tasks):level]
        # never push a shared machine into swapping or the OOM killer: a group joins only if it fits with room left
        need_mb = len(group) * PER_STUDENT_ESTIMATE_MB + options.reserve_mb
        if tasks and psutil.virtual_memory().available / 2**20 < need_mb:
            print(f"load_class: stopping the ramp at {len(tasks)} students: {len(group)} more need about "
                  f"{need_mb:.0f} MB with the reserve, {psutil.virtual_memory().available / 2**20:.0f} MB available",
                  flush=True)
            memory_stop = len(tasks)
            break
        joined = clock.now()
        tasks += [asyncio.create_task(student.attend(cells, stop, moving)) for student in group]
        # the group is in when each of its students moves sliders or has failed (bounded by the start timeouts)
        limit = joined + options.start_timeout + len(cells) * options.cell_timeout
        while clock.now() < limit and not all(s in moving or s.failure or s.samples for s in group):
            await asyncio.sleep(0.2)
        ready = [s.kernel_ready_at for s in group if s.kernel_ready_at is not None]
        kernels_s = (max(ready) - joined) if len(ready) == len(group) else None
        memory_after_notebooks = memory(hub)
        begin = clock.now()
        await asyncio.sleep(options.duration)  # everyone who joined so far moves sliders
        stages.append({"students": level, "from": begin, "to": clock.now(), "kernels_s": kernels_s})
    stop.set()
    await asyncio.wait(tasks, timeout=options.timeout + 10)
    final_memory = memory(hub)
    for student in students:
        student.close()
    result = summarise(students[:len(tasks)], stages, memory_after_notebooks, final_memory, options)
    result["stopped_for_memory_at"] = memory_stop
    return result


def summarise(students, stages, after_notebooks, final, options) -> dict:
    failures = {s.name: s.failure for s in students if s.failure}
    lost = sum(s.lost for s in students)
    mismatched = sum(s.mismatched for s in students)
    for stage in stages:
        trips = [rtt * 1000 for s in students for sent, rtt, _ in s.samples if stage["from"] <= sent < stage["to"]]
        stage.update(moves=len(trips), p50_ms=percentile(trips, 0.5), p95_ms=percentile(trips, 0.95),
                     max_ms=max(trips) if trips else float("nan"))
    trips = [rtt * 1000 for s in students for _, rtt, _ in s.samples]
    held = [stage["students"] for stage in stages if stage["moves"] and stage["p95_ms"] <= P95_TARGET_MS
            and not failures and not lost and not mismatched]
    per_after = after_notebooks["students"] if after_notebooks else {}
    per_end = final["students"]
    return {
        "students": len(students), "notebooks": options.notebooks, "duration_s": options.duration,
        "stages": stages, "moves": len(trips), "p50_ms": percentile(trips, 0.5), "p95_ms": percentile(trips, 0.95),
        "failed": failures, "lost": lost, "mismatched": mismatched,
        "landing": sorted({s.landing.replace(s.name, "NAME") for s in students if s.landing}),
        "mismatches": [m for s in students for m in s.mismatches][:10],
        "unchanged": sum(s.unchanged for s in students),
        "memory_after_notebooks": after_notebooks, "memory_end": final,
        **{f"{part}{kind}_per_student_mb": {
            "mean": statistics.fmean([m[part + kind] for m in per_after.values()]) if per_after else None,
            "max": max([m[part + kind] for m in per_after.values()], default=None)}
           for part in ("", "server_", "kernel_") for kind in ("rss", "pss", "uss")},
        # the same at the end, after the slider moves (kernels keep frames and figure states, servers buffers)
        **{f"{kind}_per_student_mb_end": statistics.fmean([m[kind] for m in per_end.values()]) if per_end else None
           for kind in ("rss", "pss", "uss")},
        "largest_n_p95_within_target": max(held, default=None),
    }


def report(result: dict) -> str:
    def ms(value):
        return "n/a" if value != value else f"{value:.0f} ms"
    lines = [f"class of {result['students']} on notebook(s) {', '.join(result['notebooks'])}, "
             f"{result['duration_s']:.0f} s of slider moves per stage"]
    for stage in result["stages"]:
        kernels = "n/a" if stage["kernels_s"] is None else f"{stage['kernels_s']:.1f} s"
        lines.append(f"  {stage['students']:>4} students: all kernels running after {kernels} (from their login); "
                     f"{stage['moves']} slider moves, round trip p50 {ms(stage['p50_ms'])}, "
                     f"p95 {ms(stage['p95_ms'])}, max {ms(stage['max_ms'])}")
    after = result["memory_after_notebooks"] or {"students": {}, "tree_rss": 0, "tree_pss": 0}
    end = result["memory_end"]
    if result["rss_per_student_mb"]["mean"] is not None:
        for part, what in (("", "per student (server + kernel)"), ("server_", "  of which the server"),
                           ("kernel_", "  of which the kernel")):
            lines.append(f"  memory {what} after the notebooks ran: " + "; ".join(
                f"{kind.upper()} mean {result[f'{part}{kind}_per_student_mb']['mean']:.0f} MB, "
                f"max {result[f'{part}{kind}_per_student_mb']['max']:.0f} MB" for kind in ("rss", "pss", "uss")))
    if result["rss_per_student_mb_end"] is not None:
        lines.append("  memory per student (server + kernel) at the end, after the slider moves: " + "; ".join(
            f"{kind.upper()} mean {result[f'{kind}_per_student_mb_end']:.0f} MB" for kind in ("rss", "pss", "uss")))
    lines.append(f"  hub process tree (hub, proxy, culler, every server and kernel): RSS {after['tree_rss']:.0f} MB, "
                 f"PSS {after['tree_pss']:.0f} MB after the notebooks; RSS {end['tree_rss']:.0f} MB, "
                 f"PSS {end['tree_pss']:.0f} MB at the end")
    lines.append(f"  all moves: {result['moves']}, round trip p50 {ms(result['p50_ms'])}, p95 {ms(result['p95_ms'])}")
    lines.append(f"  moves that changed no figure (answered by the kernel's idle): {result['unchanged']}")
    lines.append(f"  failed starts: {len(result['failed'])}; lost messages: {result['lost']}; figures drawn for "
                 f"other values than the sliders': {result['mismatched']}")
    lines += [f"    {mismatch}" for mismatch in result["mismatches"]]
    for name, why in sorted(result["failed"].items()):
        lines.append(f"    {name}: {why}")
    if result.get("stopped_for_memory_at"):
        lines.append(f"  the ramp stopped at {result['stopped_for_memory_at']} students: the next group would not "
                     f"have fitted in the memory available (--reserve-mb)")
    largest = result["largest_n_p95_within_target"]
    lines.append(f"  largest class size measured with p95 <= {P95_TARGET_MS:.0f} ms and nothing failed or lost: "
                 f"{largest if largest is not None else 'none'}")
    return "\n".join(lines)


def parse(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--class", dest="students", type=int, default=30, help="students (default 30)")
    parser.add_argument("--duration", type=float, default=180.0, help="seconds of slider moves (per stage)")
    parser.add_argument("--ramp", type=int, default=0, help="add students in groups of this size, one stage each")
    parser.add_argument("--notebooks", nargs="+", default=["03"],
                        help="notebooks each student runs, by number (03, 05, 05b)")
    parser.add_argument("--think", type=float, nargs=2, default=(1.0, 3.0), help="seconds between moves")
    parser.add_argument("--timeout", type=float, default=15.0, help="a move with no figure by then is lost")
    parser.add_argument("--start-timeout", type=float, default=240.0)
    parser.add_argument("--cell-timeout", type=float, default=180.0)
    parser.add_argument("--reserve-mb", type=float, default=3000.0,
                        help="memory left free for everything else: a group joins only if it fits (default 3000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--work", type=Path, help="folder for the hub's state and logs (default: a temporary one)")
    options = parser.parse_args(argv)
    if options.students < 1 or options.duration <= 0 or options.ramp < 0:
        parser.error("--class must be >= 1, --duration > 0, --ramp >= 0")
    return options


def main(argv=None) -> int:
    options = parse(argv)
    work = options.work or Path(tempfile.mkdtemp(prefix="course-class-"))
    work.mkdir(parents=True, exist_ok=True)
    hub = Hub(work, password=secrets.token_urlsafe(12), students=options.students)

    def terminate(_signum, _frame):
        raise KeyboardInterrupt
    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        started = time.monotonic()
        hub.start()
        print(f"load_class: hub on {hub.url} after {time.monotonic() - started:.1f} s (log: {hub.log})", flush=True)
        result = asyncio.run(run_class(hub, options))
    finally:
        hub.stop()
        signal.signal(signal.SIGTERM, previous)
    print(report(result), flush=True)
    if options.json:
        options.json.write_text(json.dumps(result, indent=1, default=str))
    return 1 if result["failed"] or result["lost"] or result["mismatched"] else 0


if __name__ == "__main__":
    sys.exit(main())
