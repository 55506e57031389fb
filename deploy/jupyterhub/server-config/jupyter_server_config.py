"""Settings of each student's single-user server on a course hub (a Jupyter config file the server reads).

deploy/jupyterhub/jupyterhub_config.py puts this folder on the servers' JUPYTER_CONFIG_PATH; deploy/kubernetes/
values.yaml mounts the same text as /etc/jupyter/jupyter_server_config.py in each student's pod (tests/test_deploy.py
checks both, and that such a server lists and starts the python3 kernel without importing IPython).

Every module a server imports costs memory once per student. jupyter_client's default list of kernel folders ends
with ~/.ipython/kernels (IPython 2's place for kernels), and it finds that folder by importing IPython: the whole
package (terminal, prompt_toolkit, jedi), about 400 modules and 17 MB in every student's server, which runs no
Python code of the student's itself. The subclass below lists the same folders without that one (JUPYTER_PATH, the
student's Jupyter data folder, the environment's and the system's), computed in the student's server, so the
course's python3 kernel and any kernel a student installed with ``--user`` are found as before.
``KernelSpecManager.kernel_dirs`` is not a configurable setting, hence the subclass.
"""
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_core.paths import jupyter_path
from traitlets import default

c = get_config()  # noqa: F821 (provided by traitlets when the server loads this file)


class CourseKernelSpecManager(KernelSpecManager):
    """Kernel specs from the Jupyter data path only (jupyter_client's list without ~/.ipython/kernels)."""

    @default("kernel_dirs")
    def _kernel_dirs_default(self) -> list[str]:
        return jupyter_path("kernels")


c.ServerApp.kernel_spec_manager_class = CourseKernelSpecManager
