// A JupyterLab plugin that needs no build step. JupyterLab loads each prebuilt extension's remoteEntry script,
// which registers a module container as window._JUPYTERLAB[<package name>]; JupyterLab calls its init(shareScope)
// and get('./extension'), and activates the plugins in the module's default export. This container serves one
// plugin and uses no shared module (it reaches JupyterLab only through the application object and its commands).
(function () {
  'use strict';
  const plugin = {
    id: 'bont-course-defaults:table-of-contents',
    description: 'Opens the table of contents on the left when JupyterLab starts without a saved layout.',
    autoStart: true,
    activate: function (app) {
      const shell = app.shell;
      if (!shell || !shell.restored) {
        return;
      }
      shell.restored.then(function (layout) {
        if (!layout || !layout.fresh || shell.mode === 'single-document') {
          return; // a learner's own saved layout wins
        }
        // The file browser opens itself on a fresh layout from a handler on the same promise: run after it.
        setTimeout(function () {
          if (app.commands.hasCommand('toc:show-panel')) {
            void app.commands.execute('toc:show-panel');
          }
        }, 0);
      });
    }
  };
  const container = {
    init: function () {},
    get: function (module) {
      if (module !== './extension') {
        return Promise.reject(new Error('bont-course-defaults has no module ' + module));
      }
      return Promise.resolve(function () {
        return { __esModule: true, default: [plugin] };
      });
    }
  };
  window._JUPYTERLAB = window._JUPYTERLAB || {};
  window._JUPYTERLAB['bont-course-defaults'] = container;
})();
