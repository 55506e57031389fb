"""Teaching a class (README "Teach it to a class"): the hub config loads, the link an instructor posts works
through nbgitpuller's own handlers, the Kubernetes values fit the Zero to JupyterHub chart, and Binder's files
alone build an environment that runs the course."""
from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import yaml

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "deploy" / "jupyterhub" / "jupyterhub_config.py"
VALUES = ROOT / "deploy" / "kubernetes" / "values.yaml"
sys.path.insert(0, str(ROOT / "tools"))
import launch  # noqa: E402  (the repository address, from CITATION.cff)

START = "notebooks/00_start_here.ipynb"


def load_hub_config(mode: str, tmp_path: Path):
    """The config file as JupyterHub reads it (its own loader), in the given mode."""
    from jupyterhub.app import JupyterHub

    env = {"COURSE_HUB_MODE": mode, "COURSE_HUB_PASSWORD": "class-password", "COURSE_HUB_STATE": str(tmp_path)}
    saved = {name: os.environ.get(name) for name in env}
    os.environ.update(env)
    try:
        app = JupyterHub()
        app.load_config_file(str(CONFIG))
        return app
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@pytest.mark.parametrize("mode", ["pam", "shared-password"])
def test_hub_config_loads_and_every_setting_is_a_real_trait(mode, tmp_path):
    from jupyterhub.auth import Authenticator, PAMAuthenticator
    from jupyterhub.authenticators.shared import SharedPasswordAuthenticator
    from jupyterhub.proxy import ConfigurableHTTPProxy
    from jupyterhub.spawner import LocalProcessSpawner, SimpleLocalProcessSpawner, Spawner

    app = load_hub_config(mode, tmp_path)
    classes = {cls.__name__: cls for cls in (type(app), ConfigurableHTTPProxy, Spawner, LocalProcessSpawner,
                                             SimpleLocalProcessSpawner, Authenticator, PAMAuthenticator,
                                             SharedPasswordAuthenticator)}
    for section, values in app.config.items():
        assert section in classes, f"{CONFIG.name}: unknown section {section}"
        traits = classes[section].class_trait_names(config=True)
        unknown = set(values) - set(traits)
        assert not unknown, f"{CONFIG.name}: {section} has no settings {sorted(unknown)}"
    # what the hub will run: the spawner and authenticator the mode names, resolved through their entry points
    expected = {"pam": (LocalProcessSpawner, PAMAuthenticator),
                "shared-password": (SimpleLocalProcessSpawner, SharedPasswordAuthenticator)}[mode]
    assert (app.spawner_class, app.authenticator_class) == expected
    spawner = app.config.Spawner
    assert Path(spawner.cmd[0]).name == "jupyterhub-singleuser" and Path(spawner.cmd[0]).exists()
    assert spawner.mem_limit == "512M" and spawner.cpu_limit == 1.0 and spawner.default_url == "/lab"
    assert app.config.JupyterHub.active_server_limit == 50  # the measured class size (README)
    assert Path(app.config.ConfigurableHTTPProxy.command[0]).parent.name == ".bin"
    culler = next(service for service in app.config.JupyterHub.services if service["name"] == "idle-culler")
    assert culler["command"][1:3] == ["-m", "jupyterhub_idle_culler"]
    subprocess.run([sys.executable, "-m", "jupyterhub_idle_culler", "--help"], check=True, capture_output=True,
                   timeout=60)


# A student's server as the hub starts it, in a fresh interpreter: the hub config's server arguments and settings
# folders, then what the server does for a student who opens a notebook (list the kernels, start python3).
STUDENT_SERVER = """
import asyncio, json, sys
from jupyter_server.serverapp import ServerApp

app = ServerApp()
app.initialize(json.loads(sys.argv[1]))
manager = app.kernel_spec_manager
specs = manager.get_all_specs()

async def start_and_stop():
    kernel = await app.kernel_manager.start_kernel(kernel_name="python3")
    client = app.kernel_manager.get_kernel(kernel).client()
    client.start_channels()
    info = await client.wait_for_ready(timeout=60) or {}
    said = []
    code = "import sys, numpy; print(sorted(n for n in ('debugpy', 'jedi') if sys.modules.get(n) is not None))"
    reply = await client.execute_interactive(code, timeout=60, output_hook=lambda message: said.append(
        message["content"].get("text", "")) if message["msg_type"] == "stream" else None)
    completed = await client.complete("import collec", reply=True, timeout=60)
    client.stop_channels()
    await app.kernel_manager.shutdown_kernel(kernel, now=True)
    return {"status": reply["content"]["status"], "said": "".join(said).strip(),
            "completions": completed["content"]["matches"]}

kernel = asyncio.run(start_and_stop())
print(json.dumps({"kernel_dirs": manager.kernel_dirs, "specs": sorted(specs),
                  "python3": manager.get_kernel_spec("python3").resource_dir, "kernel": kernel,
                  "ipython_imported": "IPython" in sys.modules,
                  "extensions": {name: ext.enabled for name, ext in app.extension_manager.extensions.items()}}))
"""


def test_a_students_server_starts_python3_without_importing_ipython_or_unused_extensions(tmp_path):
    """Memory per student (README "Teach it to a class"): the server extensions a student does not use are not
    loaded; the server finds and starts the python3 kernel without importing IPython into itself (jupyter_client's
    default kernel folders do, 17 MB in every student's server; deploy/jupyterhub/server-config/); the kernel is the
    course's spec, which leaves out debugpy and jedi (12 MB per kernel; deploy/jupyterhub/server-data/)."""
    spawner = load_hub_config("pam", tmp_path / "state").config.Spawner
    config_path = spawner.environment["JUPYTER_CONFIG_PATH"].split(os.pathsep)
    assert str(ROOT / "deploy" / "jupyterhub" / "server-config") in config_path
    runtime = Path(tempfile.mkdtemp(prefix="course-srv-"))  # Unix socket paths stay short (transport=ipc)
    env = {**os.environ, **{name: value for name, value in spawner.environment.items() if isinstance(value, str)},
           "JUPYTER_RUNTIME_DIR": str(runtime), "HOME": str(tmp_path)}
    args = [*spawner.args, "--port=0", "--ServerApp.open_browser=False", f"--ServerApp.root_dir={tmp_path}"]
    if os.geteuid() == 0:
        args.append("--allow-root")
    try:
        done = subprocess.run([sys.executable, "-c", STUDENT_SERVER, json.dumps(args)], env=env, cwd=tmp_path,
                              capture_output=True, text=True, timeout=180)
    finally:
        shutil.rmtree(runtime, ignore_errors=True)
    assert done.returncode == 0, done.stderr[-3000:]
    server = json.loads(done.stdout.strip().splitlines()[-1])
    assert "python3" in server["specs"]
    assert not any(folder.endswith(".ipython/kernels") for folder in server["kernel_dirs"])
    assert server["ipython_imported"] is False
    # the kernel is the course's spec (server-data/): it runs code and completes names, without debugpy and jedi
    assert Path(server["python3"]) == ROOT / "deploy" / "jupyterhub" / "server-data" / "kernels" / "python3"
    assert server["kernel"]["status"] == "ok" and server["kernel"]["said"] == "[]", server["kernel"]
    assert "collections" in server["kernel"]["completions"]
    enabled = {name for name, on in server["extensions"].items() if on}
    assert {"jupyterlab", "nbgitpuller"} <= enabled
    assert not enabled & {"jupyter_lsp", "notebook_shim", "voila.server_extension", "jupyter_server_terminals"}


def test_hub_config_rejects_an_unknown_mode(tmp_path):
    with pytest.raises(ValueError, match="COURSE_HUB_MODE"):
        load_hub_config("open-door", tmp_path)


def helm_merge(defaults, overrides):
    """Helm's merge of user values over a chart's defaults: maps merge key by key, anything else is replaced."""
    if isinstance(defaults, dict) and isinstance(overrides, dict):
        return {**defaults, **{key: helm_merge(defaults.get(key), value) for key, value in overrides.items()}}
    return overrides


def test_kubernetes_values_fit_the_chart_schema_and_use_the_same_limits(tmp_path):
    """deploy/kubernetes/values.yaml merged over the Zero to JupyterHub chart's defaults, then validated against the
    chart's values schema (both kept in z2jh-4.4.0/, from the chart's repository at that tag), as helm does; and
    the limits, culling and server arguments equal the single-machine config's."""
    import jsonschema

    chart = ROOT / "deploy" / "kubernetes" / "z2jh-4.4.0"
    values = yaml.safe_load(VALUES.read_text())
    schema = yaml.safe_load((chart / "values.schema.yaml").read_text())
    merged = helm_merge(yaml.safe_load((chart / "values.yaml").read_text()), values)
    jsonschema.validate(merged, schema)
    with pytest.raises(jsonschema.ValidationError):  # the check can fail: a misspelt key is refused
        jsonschema.validate(helm_merge(merged, {"singleuser": {"memroy": {"limit": "1G"}}}), schema)

    hub = load_hub_config("pam", tmp_path).config
    singleuser = values["singleuser"]
    assert singleuser["memory"] == {"limit": hub.Spawner.mem_limit, "guarantee": hub.Spawner.mem_guarantee}
    assert singleuser["cpu"]["limit"] == hub.Spawner.cpu_limit
    assert singleuser["defaultUrl"] == hub.Spawner.default_url
    # Kubernetes gives each student a pod of their own: kernel ports cannot collide there, so TCP stays
    assert values["hub"]["config"]["Spawner"]["args"] == [arg for arg in hub.Spawner.args
                                                          if arg != "--KernelManager.transport=ipc"]
    culler = next(service for service in hub.JupyterHub.services if service["name"] == "idle-culler")
    assert f"--timeout={values['cull']['timeout']}" in culler["command"]
    environment = dict(values["singleuser"]["extraEnv"])
    data_path = environment.pop("JUPYTER_PATH")  # a folder of the pod, where the course's kernel spec is mounted
    for name, value in environment.items():
        assert hub.Spawner.environment[name] == value
    # the servers' own settings and kernel spec: the same files as on the single machine, where the server and
    # jupyter_client read them
    files = values["singleuser"]["extraFiles"]
    deploy = ROOT / "deploy" / "jupyterhub"
    assert files["course-server-config"]["stringData"] == (deploy / "server-config" / "jupyter_server_config.py"
                                                           ).read_text()
    assert files["course-server-config"]["mountPath"] == "/etc/jupyter/jupyter_server_config.py"
    assert files["course-kernel"]["stringData"] == (deploy / "server-data" / "kernels" / "python3" / "kernel.json"
                                                    ).read_text()
    assert files["course-kernel"]["mountPath"] == f"{data_path}/kernels/python3/kernel.json"


def test_course_link_prints_the_link_made_from_the_one_repository_address():
    out = subprocess.run([str(ROOT / "course"), "link", "https://hub.example.edu/"], capture_output=True,
                         text=True, check=True, timeout=600).stdout.strip().splitlines()[-1]
    parts = urlsplit(out)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "hub.example.edu", "/hub/user-redirect/git-pull")
    query = parse_qs(parts.query)
    assert query["repo"] == [launch.repository()] and query["branch"] == ["main"]
    refused = subprocess.run([str(ROOT / "course"), "link"], capture_output=True, text=True, timeout=600)
    assert refused.returncode == 2 and "usage" in refused.stderr


@pytest.fixture
def jupyter_server(tmp_path):
    """JupyterLab from the course's environment (nbgitpuller is enabled there, as in each student's server; the
    browser suite's harness starts it on a free localhost port with a token), its root an empty folder like a new
    student's home."""
    sys.path.insert(0, str(ROOT / "tests" / "browser"))
    import harness

    home = tmp_path / "home"
    home.mkdir()
    with harness.server("lab", home, tmp_path / "server.log") as (base, token):
        yield base, token, home


def test_link_round_trips_through_nbgitpuller(jupyter_server, tmp_path):
    """The link as nbgitpuller itself reads it: its page handler parses our query into the repository, branch,
    folder and the page it will open; its sync handler then clones (here: this repository's committed tree, as
    GitHub would serve it) into that folder, and the page it opens is the start notebook."""
    base, token, home = jupyter_server
    link = urlsplit(launch.nbgitpuller_url("https://hub.example.edu"))
    # on a hub, /hub/user-redirect/ sends the student to /user/<name>/; the rest of the path is the server's
    assert link.path.startswith("/hub/user-redirect/")
    server_path = link.path.removeprefix("/hub/user-redirect")
    page = requests.get(f"{base}{server_path}?{link.query}", params={"token": token}, timeout=30)
    assert page.status_code == 200, page.text[:500]
    parsed = {name: html.unescape(value) for name, value in re.findall(r'data-([a-z]+)="([^"]*)"', page.text)}
    from urllib.parse import unquote
    parsed = {name: unquote(value) for name, value in parsed.items()}
    folder = launch.repository().rsplit("/", 1)[1]
    assert parsed["repo"] == launch.repository()
    assert parsed["branch"] == "main"
    assert parsed["targetpath"] == folder
    assert parsed["path"] == f"lab/tree/{folder}/{START}"

    # what the page's script does next: the sync API with the same repo, branch and folder. GitHub is out of
    # reach, so a bare clone of this repository (main = the committed HEAD) stands in for it.
    origin = tmp_path / "origin.git"
    subprocess.run(["git", "clone", "--quiet", "--bare", "--no-local", str(ROOT), str(origin)], check=True, timeout=120)
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True,
                          check=True).stdout.strip()
    subprocess.run(["git", "-C", str(origin), "update-ref", "refs/heads/main", head], check=True)
    synced = requests.get(f"{base}/git-pull/api", timeout=180,
                          params={"token": token, "repo": str(origin), "branch": parsed["branch"],
                                  "targetpath": parsed["targetpath"]})
    events = [line.removeprefix("data: ") for line in synced.text.splitlines() if line.startswith("data: ")]
    assert events and '"phase": "finished"' in events[-1], synced.text[-2000:]
    opened = parsed["path"].removeprefix("lab/tree/")
    assert (home / opened).is_file()
    contents = requests.get(f"{base}/api/contents/{opened}", params={"token": token, "content": 0}, timeout=30)
    assert contents.ok and contents.json()["type"] == "notebook"
    assert requests.get(f"{base}/{parsed['path']}", params={"token": token}, timeout=30).status_code == 200
    # a second click on the same link (the class's next session) pulls again instead of failing
    again = requests.get(f"{base}/git-pull/api", timeout=180,
                         params={"token": token, "repo": str(origin), "branch": "main", "targetpath": folder})
    assert '"phase": "finished"' in again.text.splitlines()[-2], again.text[-2000:]


def binder_python() -> str:
    """environment.yml's Python (3.11) when this machine has one that runs, else the one running the tests."""
    wanted = next(item for item in yaml.safe_load((ROOT / "environment.yml").read_text())["dependencies"]
                  if isinstance(item, str) and item.startswith("python="))
    version = wanted.split("=")[1]
    candidates = [*map(str, sorted(Path.home().glob(f".pyenv/versions/{version}.*/bin/python{version}"))),
                  shutil.which(f"python{version}")]
    for candidate in filter(None, candidates):
        if subprocess.run([candidate, "-c", "import venv"], capture_output=True, timeout=60).returncode == 0:
            return candidate
    return sys.executable


def test_binder_files_alone_build_an_environment_that_runs_the_course(tmp_path):
    """What Binder does, without conda: a fresh venv, environment.yml's pip list alone (no constraints.txt, no
    requirements.txt), then postBuild as it stands, in a copy of the repository's tracked files; then the course
    imports and an explorable renders in that environment, and its Jupyter settings are installed.

    It proves the pip list resolves and installs on its own and that postBuild works on it; it does not prove
    conda's solve of python=3.11 or repo2docker's image (neither is reachable here). pip's cache is kept
    (the first run downloads about 300 MB; later runs reuse the wheels)."""
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_list = next(item["pip"] for item in environment["dependencies"] if isinstance(item, dict))
    copy = tmp_path / "repo"
    tracked = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-z"], capture_output=True, check=True).stdout
    for name in filter(None, tracked.decode().split("\0")):
        if (ROOT / name).is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, copy / name)
    venv = tmp_path / "venv"
    python = binder_python()
    subprocess.run([python, "-m", "venv", str(venv)], check=True, timeout=120)
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env.update(PATH=f"{venv / 'bin'}{os.pathsep}{env['PATH']}", PIP_DISABLE_PIP_VERSION_CHECK="1")

    def run(*command, timeout=900):
        done = subprocess.run(list(command), cwd=copy, env=env, capture_output=True, text=True, timeout=timeout)
        assert done.returncode == 0, f"{' '.join(command)}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        return done.stdout

    run(str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--no-compile", *pip_list)
    run("bash", str(copy / "postBuild"))
    run(str(venv / "bin" / "python"), "-m", "pip", "check")
    probe = ("import sys, helpers, jupyterlab, ipywidgets, anywidget, jupyterhub, nbgitpuller\n"
             "from pathlib import Path\n"
             "from helpers.explorables import onset_and_duration\n"
             "box = onset_and_duration()\n"
             "assert Path(helpers.__file__).resolve().is_relative_to(Path.cwd().resolve()), helpers.__file__\n"
             "print(sys.version_info[:2], box.readout.value)\n")
    out = run(str(venv / "bin" / "python"), "-c", probe, timeout=300)
    assert "relief" in out.lower(), out
    assert (venv / "etc" / "jupyter" / "jupyter_server_config.json").is_file(), "postBuild did not install the settings"
