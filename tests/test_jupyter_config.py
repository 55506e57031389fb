"""jupyter-config/install.py: the course's Jupyter settings installed into an environment (Binder's postBuild, a hub
image) are the ones `./course lab` loads from jupyter-config/ (checked in the browser by
tests/browser/test_first_minute.py)."""
from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = importlib.util.spec_from_file_location("course_jupyter_install", ROOT / "jupyter-config" / "install.py")
install = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(install)
COURSE = json.loads((ROOT / "jupyter-config" / install.SERVER_CONFIG).read_text())

def test_install_merges_into_an_existing_server_config_and_copies_the_rest(tmp_path):
    config = tmp_path / install.SERVER_CONFIG
    config.parent.mkdir(parents=True)
    config.write_text(json.dumps({"ServerApp": {"ip": "0.0.0.0"}, "ContentsManager": {"hide_globs": ["private"]}}))
    for _ in range(2):  # a rebuild runs it again: nothing doubles
        install.main(["--prefix", str(tmp_path)])
    result = json.loads(config.read_text())
    assert result["ServerApp"] == {"ip": "0.0.0.0", "default_url": COURSE["ServerApp"]["default_url"]}
    assert result["LabApp"] == COURSE["LabApp"]
    assert result["ContentsManager"]["hide_globs"] == ["private"] + COURSE["ContentsManager"]["hide_globs"]
    for relative in install.COPIED:
        assert (tmp_path / relative).exists(), relative
    plugin = tmp_path / "share/jupyter/labextensions/bont-course-defaults/static/remoteEntry.js"
    assert plugin.read_text() == (ROOT / "jupyter-config" / plugin.relative_to(tmp_path)).read_text()

def test_no_start_page_leaves_the_hubs_default_page(tmp_path):
    config = tmp_path / install.SERVER_CONFIG
    config.parent.mkdir(parents=True)
    config.write_text(json.dumps({"ServerApp": {"default_url": "/lab"}}))
    install.main(["--prefix", str(tmp_path), "--no-start-page"])
    result = json.loads(config.read_text())
    assert result["ServerApp"] == {"default_url": "/lab"}
    assert "default_url" not in result["LabApp"] and result["LabApp"]["news_url"] is None
    assert result["ContentsManager"]["hide_globs"] == COURSE["ContentsManager"]["hide_globs"]

def test_jupyterlab_takes_the_installed_plugin_and_settings(tmp_path):
    """The installed prefix on Jupyter's search paths (as sys.prefix is): JupyterLab lists the plugin as enabled
    and valid, and reads the course's setting defaults."""
    install.install(tmp_path)
    environment = {**{k: v for k, v in os.environ.items() if not k.startswith("JUPYTER")},
                   "HOME": str(tmp_path / "home"), "JUPYTER_PATH": str(tmp_path / "share/jupyter"),
                   "JUPYTER_CONFIG_PATH": str(tmp_path / "etc/jupyter")}
    jupyter = Path(sys.executable).parent / "jupyter"
    listed = subprocess.run([str(jupyter), "labextension", "list"], env=environment, capture_output=True, text=True,
                            check=True)
    line = next(line for line in (listed.stdout + listed.stderr).splitlines() if "bont-course-defaults" in line)
    assert "enabled" in line and "OK" in line, line

    completed = subprocess.run(
        [sys.executable, "-c", "import json; from jupyterlab_server.settings_utils import _get_overrides;"
         " print(json.dumps(_get_overrides('/nonexistent')[0]))"],
        env=environment, capture_output=True, text=True, check=True)
    overrides = json.loads(completed.stdout)
    assert overrides["@jupyterlab/apputils-extension:notification"] == {"fetchNews": "false", "checkForUpdates": False}
    assert overrides["@jupyterlab/apputils-extension:kernels-settings"] == {"commsOverSubshells": "disabled"}
