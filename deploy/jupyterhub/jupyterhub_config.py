"""Single-machine JupyterHub for a class taking the course (JupyterHub 6 + configurable-http-proxy).

Run from the repository root after ``./course install`` and ``npm ci --prefix deploy`` (as root in pam mode):

    .venv/bin/jupyterhub -f deploy/jupyterhub/jupyterhub_config.py

Every student gets a single-user JupyterLab from this repository's ``.venv`` (the course's pinned environment),
started by a local spawner; an instructor posts the link ``./course link HUB_URL`` prints, and nbgitpuller copies
the notebooks into each student's home. ``jupyterhub-idle-culler`` stops servers nobody uses.

Settings come from environment variables, so the same file serves a classroom machine and the load test
(``tools/load_class.py``):

COURSE_HUB_MODE       ``pam`` (default): students are the machine's Unix users (PAM login, LocalProcessSpawner);
                      ``shared-password``: a workshop with made-up user names and one class password
                      (COURSE_HUB_PASSWORD), every server runs as the hub's user in ``COURSE_HUB_HOMES/<name>``
                      (SimpleLocalProcessSpawner: no isolation between students; the load test uses it).
COURSE_HUB_IP / _PORT where the proxy listens (default 127.0.0.1:8000; put a TLS reverse proxy in front).
COURSE_HUB_HUB_PORT / COURSE_HUB_API_PORT   the hub's and the proxy API's ports (defaults 8081 / 8001).
COURSE_HUB_STATE      folder for the hub database, cookie secret, pid files and the course settings the servers
                      read (default deploy/jupyterhub/state; readable by the students in pam mode).
COURSE_HUB_ADMIN_TOKEN  if set, an API token of the ``course-admin`` service (the load test uses it).
COURSE_HUB_MAX_STUDENTS  servers running at once (default 50, measured on 2 cores and 24 GB; README).

Limits per student (sized from ``./course bench --class N``, README "Teach it to a class"): with 30 students on
the machine, one student's server + kernel measured 225 MB RSS, 172 MB PSS after running notebook 03 and 230 MB RSS,
176 MB PSS after notebook 04 (the heaviest, with 05b), 235-243 MB RSS after three minutes of slider moves. The
server is about 115 MB of it (RSS; about 45 MB is JupyterHub's own single-user extension, which imports the hub's
database layer), the kernel 108-115 MB. The server-config/ and server-data/ folders below cut 17 MB from each
server and 12 MB from each kernel. The memory limit is 512 MB: room for a second open notebook's kernel; the
guarantee is 256 MB. The CPU limit is one core: rendering a slider's frames ahead takes one core for a fraction of
a second. A local spawner cannot enforce either limit itself (it hands them to the server as MEM_LIMIT and
CPU_LIMIT, which resource monitors show); ``deploy/kubernetes/values.yaml`` enforces the same numbers through
Kubernetes, and on a systemd machine jupyterhub-systemdspawner enforces them with cgroups
(``c.JupyterHub.spawner_class = "systemd"``). Idle servers are culled after 30 minutes, so memory comes back when
students leave.
"""
import atexit
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

c = get_config()  # noqa: F821 (provided by JupyterHub when it loads this file)

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
BIN = Path(sys.executable).parent  # the venv JupyterHub runs from: the course's own environment

# Measured per-student figures (README "Teach it to a class") -> limits; Kubernetes uses the same numbers.
MEM_LIMIT = "512M"
MEM_GUARANTEE = "256M"
CPU_LIMIT = 1.0
CULL_IDLE_SECONDS = 30 * 60

MODE = os.environ.get("COURSE_HUB_MODE", "pam")
ENVIRONMENT = {}  # per mode, then the course's (c.Spawner.environment below)
STATE = Path(os.environ.get("COURSE_HUB_STATE", HERE / "state"))
STATE.mkdir(parents=True, exist_ok=True)

# --- the hub and its proxy ---------------------------------------------------------------------------------
c.JupyterHub.ip = os.environ.get("COURSE_HUB_IP", "127.0.0.1")
c.JupyterHub.port = int(os.environ.get("COURSE_HUB_PORT", "8000"))
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(os.environ.get("COURSE_HUB_HUB_PORT", "8081"))
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(STATE / "jupyterhub.pid")
c.ConfigurableHTTPProxy.command = [str(HERE.parent / "node_modules" / ".bin" / "configurable-http-proxy")]
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{int(os.environ.get('COURSE_HUB_API_PORT', '8001'))}"
c.ConfigurableHTTPProxy.pid_file = str(STATE / "proxy.pid")
c.ConfigurableHTTPProxy.auth_token = os.environ.get("CONFIGPROXY_AUTH_TOKEN") or secrets.token_hex(32)
# A whole class logs in within minutes: let all of them start at once, and give a busy machine time.
c.JupyterHub.concurrent_spawn_limit = 200
# Beyond what the machine holds, one more student slows everyone: the hub then tells the newcomer to come back
# later instead. Measured on 2 cores and 24 GB (README): slider round trip p95 104-180 ms with 50 students moving
# sliders, 308 ms with 60 (283 ms at 50 in a run that shared the cores with other work; 131 ms at 50 and 368 ms
# at 60 after the memory cuts below, load average 12-29). CPU, not memory, sets the limit: 80 students took 15 GB
# (PSS). Set COURSE_HUB_MAX_STUDENTS from ./course bench --class N --ramp 10 on your machine.
c.JupyterHub.active_server_limit = int(os.environ.get("COURSE_HUB_MAX_STUDENTS", "50"))
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 180

# --- who logs in ---------------------------------------------------------------------------------------------
if MODE == "pam":
    c.JupyterHub.authenticator_class = "pam"
    c.JupyterHub.spawner_class = "localprocess"
    c.Authenticator.allow_all = True  # every Unix user of this machine; narrow with c.Authenticator.allowed_users
elif MODE == "shared-password":
    c.JupyterHub.authenticator_class = "shared-password"
    c.SharedPasswordAuthenticator.user_password = os.environ["COURSE_HUB_PASSWORD"]
    c.Authenticator.allow_all = True
    c.JupyterHub.spawner_class = "simple"
    c.SimpleLocalProcessSpawner.home_dir_template = str(
        Path(os.environ.get("COURSE_HUB_HOMES", STATE / "homes")) / "{username}")
else:
    raise ValueError(f"COURSE_HUB_MODE must be 'pam' or 'shared-password', not {MODE!r}")

# --- each student's server: the course's environment, JupyterLab, the course's settings ---------------------
c.Spawner.cmd = [str(BIN / "jupyterhub-singleuser")]
# Server extensions a student does not use cost memory in each of 30+ servers: language servers (none installed),
# the classic-notebook shim (it imports IPython into the server), Voila's preview (the instructor projects with
# ./course present) and terminals (medical students need no shell; one less way around a shared-password hub).
# Measured (RSS of an initialised server): 137 MB with every extension, 129 MB without these four, 112 MB with the
# kernel folders of server-config/ as well (below).
# The landing page is JupyterLab: a start page in the environment's settings (Binder's postBuild installs one; an
# image built from it by repo2docker has it too) would beat c.Spawner.default_url, but not the command line.
c.Spawner.args = ["--ServerApp.jpserver_extensions=" + repr({name: False for name in (
    "jupyter_lsp", "notebook_shim", "voila.server_extension", "jupyter_server_terminals")}),
    "--ServerApp.default_url=/lab"]
# Kernels talk to their server over Unix sockets in the student's runtime folder, not TCP ports: when a class
# arrives at once, servers that each pick "free" TCP ports for their kernels pick the same ones, and a kernel that
# cannot bind dies after five restarts on the same ports (measured: 3 of 30 students at once; jupyter_client's
# port cache is per server). A socket's path must stay under 108 characters: the runtime folder
# /home/NAME/.local/share/jupyter/runtime plus a 50-character kernel name allows user names up to ~19 characters.
c.Spawner.args.append("--KernelManager.transport=ipc")
if MODE == "shared-password":
    # every server runs as the hub's user: short runtime folders of their own (socket paths), none in a deep home
    RUNTIME = Path(tempfile.mkdtemp(prefix="course-hub-"))
    atexit.register(shutil.rmtree, RUNTIME, ignore_errors=True)
    ENVIRONMENT["JUPYTER_RUNTIME_DIR"] = lambda spawner: str(RUNTIME / spawner.user.name)
    if os.geteuid() == 0:  # in a container the hub's user is often root
        c.Spawner.args.append("--allow-root")
c.Spawner.default_url = "/lab"
c.Spawner.mem_limit = MEM_LIMIT
c.Spawner.mem_guarantee = MEM_GUARANTEE
c.Spawner.cpu_limit = CPU_LIMIT
# The course's JupyterLab and server settings (jupyter-config/) without its start page: on a hub the course sits in
# a folder of each student's home (nbgitpuller's), so a student who opens the hub directly lands in JupyterLab.
SETTINGS = STATE / "jupyter-settings"
shutil.rmtree(SETTINGS, ignore_errors=True)
subprocess.run([sys.executable, str(ROOT / "jupyter-config" / "install.py"), "--no-start-page", "--prefix",
                str(SETTINGS)], check=True, capture_output=True, timeout=60)
c.Spawner.environment = {
    **ENVIRONMENT,
    # the course's helpers from this checkout (also when the editable install points elsewhere)
    "PYTHONPATH": str(ROOT),
    # the course's settings, then the servers' own, each worth memory in every student's server or kernel:
    # server-config/ finds the kernels without importing IPython into the server (17 MB per server, see the file);
    # server-data/ holds the course's python3 kernel spec, which starts ipykernel with debugpy and jedi blocked
    # (None in sys.modules): 12 MB less per kernel after notebook 05 (measured RSS, PSS and USS alike). What a
    # student loses: JupyterLab's debugger (the kernel then reports no "debugger" feature and JupyterLab hides it)
    # and jedi's type inference in Tab completion (IPython's own completer still completes names, attributes, keys
    # and paths).
    "JUPYTER_CONFIG_PATH": os.pathsep.join([str(SETTINGS / "etc" / "jupyter"), str(HERE / "server-config")]),
    "JUPYTER_PATH": os.pathsep.join([str(SETTINGS / "share" / "jupyter"), str(HERE / "server-data")]),
    # one BLAS thread per kernel: 30 kernels on a few cores must not each start a thread per core
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
}

# --- stop what nobody uses -----------------------------------------------------------------------------------
c.JupyterHub.load_roles = [
    {"name": "idle-culler",
     "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
     "services": ["idle-culler"]},
]
c.JupyterHub.services = [
    {"name": "idle-culler",
     "command": [sys.executable, "-m", "jupyterhub_idle_culler", f"--timeout={CULL_IDLE_SECONDS}",
                 "--cull-every=60", "--concurrency=10"]},
]
if os.environ.get("COURSE_HUB_ADMIN_TOKEN"):
    c.JupyterHub.services.append({"name": "course-admin", "api_token": os.environ["COURSE_HUB_ADMIN_TOKEN"]})
    c.JupyterHub.load_roles.append({"name": "course-admin", "scopes": ["admin:users", "admin:servers", "tokens"],
                                    "services": ["course-admin"]})
