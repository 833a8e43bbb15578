// Pare.Cell console: progressive enhancement only. Every page works without this file.
(function () {
  'use strict';

  // A form is sent once: later taps wait for the answer (the server deduplicates as well).
  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (form.hasAttribute('data-sent')) { event.preventDefault(); return; }
    form.setAttribute('data-sent', '');
    form.querySelectorAll('button').forEach(function (b) { b.setAttribute('aria-disabled', 'true'); });
  });

  // After a refused form, focus goes to the list of errors (each links to its field).
  var summary = document.querySelector('[data-error-summary]');
  if (summary) summary.focus();

  // Durations that grow by themselves, worded as the server words them: "45 min", "3 h", "3 h 05", "2 j 4 h".
  function duration(minutes) {
    if (minutes < 60) return Math.max(0, minutes) + ' min';
    var days = Math.floor(minutes / 1440), hours = Math.floor(minutes / 60) % 24, rest = minutes % 60;
    if (days > 0) return days + ' j ' + hours + ' h';
    return rest === 0 ? hours + ' h' : hours + ' h ' + (rest < 10 ? '0' : '') + rest;
  }
  function tick() {
    document.querySelectorAll('[data-since]').forEach(function (el) {
      var since = Date.parse(el.getAttribute('data-since'));
      if (!isNaN(since)) el.textContent = duration(Math.floor((Date.now() - since) / 60000));
    });
  }
  if (document.querySelector('[data-since]')) setInterval(tick, 30000);

  // The risk score as boxes are ticked: the form goes to the server's preview (the API's scoring), whose
  // answer replaces the preview. Nothing is recorded; the "Calculer" button does the same without script.
  var risk = document.querySelector('form[data-preview]');
  if (risk && window.fetch) {
    var target = document.getElementById('risk-preview'), timer = 0, button = risk.querySelector('[data-preview-button]');
    if (button) button.hidden = true;
    var preview = function () {
      var data = new FormData(risk);
      data.delete('idempotencyKey');
      fetch(risk.getAttribute('data-preview'), { method: 'POST', body: data, headers: { 'X-Requested-With': 'fetch' }, credentials: 'same-origin' })
        .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
        .then(function (html) { target.innerHTML = html; })
        .catch(function () { if (button) button.hidden = false; });
    };
    risk.addEventListener('change', function (event) {
      if (event.target.name !== 'observed' && event.target.name.indexOf('observedOn.') !== 0) return;
      clearTimeout(timer);
      timer = setTimeout(preview, 250);
    });
  }

  // The "right now" board: the server says when the cell recorded something (server-sent events, no data in
  // them); the board is then fetched again and replaced, and the change is announced politely.
  var board = document.querySelector('[data-live]');
  if (board && window.EventSource && window.fetch) {
    var status = document.getElementById('live-status'), loading = false, again = false;
    var say = function (text) { if (status) status.textContent = text; };
    var refresh = function () {
      if (loading) { again = true; return; }
      loading = true;
      fetch(board.getAttribute('data-board'), { credentials: 'same-origin', headers: { 'X-Pare-Auto': '1' } })
        .then(function (r) { return r.ok && !r.redirected ? r.text() : Promise.reject(r.status); })
        .then(function (html) {
          board.innerHTML = html;
          tick();
          var count = board.querySelector('[data-board-sequence] strong');
          var now = new Date();
          say('Tableau mis à jour à ' + now.getHours() + ' h ' + (now.getMinutes() < 10 ? '0' : '') + now.getMinutes() +
            (count ? ' : ' + count.textContent + ' disparu·e·s.' : '.'));
        })
        .catch(function () { say('Mise à jour impossible : rechargez la page.'); })
        .then(function () { loading = false; if (again) { again = false; refresh(); } });
    };
    var source = new EventSource(board.getAttribute('data-live') + '?depuis=' + encodeURIComponent(board.getAttribute('data-sequence') || ''));
    source.addEventListener('change', refresh);
    source.addEventListener('open', function () { board.setAttribute('data-connected', ''); });
    source.onerror = function () {
      if (source.readyState === EventSource.CLOSED) say('Mises à jour interrompues (session expirée ?) : rechargez la page.');
    };
  }
})();
