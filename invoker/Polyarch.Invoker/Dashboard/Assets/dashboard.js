// Polyarch dashboard: the only script. Server-sent events from /dashboard/events put new activations into the
// activations tables and replace the build matrix while builds run — no reload, no framework.
(() => {
  'use strict';
  if (!window.EventSource || document.body.dataset.live === 'off') { return; }
  const status = document.getElementById('live-status');
  const source = new EventSource('/dashboard/events');
  const say = (text) => { if (status) { status.textContent = text; } };
  const fragment = (html) => {
    const template = document.createElement('template');
    template.innerHTML = html.trim();
    return template.content.firstElementChild;
  };
  source.addEventListener('hello', () => say('Live: new activations and builds appear as they happen.'));
  source.addEventListener('error', () => say('Live updates paused; retrying.'));
  source.addEventListener('activation', (event) => {
    for (const table of document.querySelectorAll('table[data-live="activations"]')) {
      const row = fragment(event.data);
      if (!row || table.querySelector('#' + CSS.escape(row.id))) { continue; }
      const f = table.dataset;
      if ((f.action && row.dataset.action !== f.action) || (f.platform && row.dataset.platform !== f.platform) ||
          (f.status && row.dataset.status !== f.status)) { continue; }
      const body = table.tBodies[0];
      const empty = body.querySelector('tr.empty');
      if (empty) { empty.remove(); }
      body.prepend(row);
      row.classList.add('fresh');
      say('New activation ' + row.dataset.action + ' on ' + row.dataset.platform + ': ' + row.dataset.status);
    }
  });
  source.addEventListener('builds', (event) => {
    const matrix = document.getElementById('build-matrix');
    if (matrix) { matrix.innerHTML = event.data; }
  });
})();
