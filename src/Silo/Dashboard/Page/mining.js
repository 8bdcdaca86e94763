// The Mining page: polls the gateway's API (same origin) and draws jobs, shards, the images/s chart, failures and
// codebook versions. Sign-in sends the key once (X-Api-Key) and gets a session cookie; the key is not kept.
// Data goes into the page through textContent only, never as markup.
'use strict';

(() => {
  const pollMilliseconds = 1000;
  const chartSamples = 120;
  const rateWindowMilliseconds = 3000;

  const $ = id => document.getElementById(id);
  const url = path => new URL('..' + path, window.location.href);
  const samples = new Map(); // job id -> [{ t, done }]
  let selectedJob = null;
  let timer = null;

  class SignedOut extends Error {}

  async function getJson(path) {
    const response = await fetch(url(path), { headers: { Accept: 'application/json' }, credentials: 'same-origin', cache: 'no-store' });
    if (response.status === 401) {
      throw new SignedOut();
    }
    if (!response.ok) {
      throw new Error(`${path}: HTTP ${response.status}`);
    }
    return response.json();
  }

  function element(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) {
      node.textContent = String(text);
    }
    if (className) {
      node.className = className;
    }
    return node;
  }

  function cell(row, text, className) {
    const td = element('td', text, className);
    row.appendChild(td);
    return td;
  }

  function progress(done, total) {
    const bar = element('progress');
    bar.max = Math.max(total, 1);
    bar.value = done;
    return bar;
  }

  function duration(seconds) {
    if (seconds === null || seconds === undefined || !isFinite(seconds)) {
      return '–';
    }
    const s = Math.round(seconds);
    if (s < 60) {
      return `${s}s`;
    }
    const m = Math.floor(s / 60);
    return m < 60 ? `${m}m ${s % 60}s` : `${Math.floor(m / 60)}h ${m % 60}m`;
  }

  const rate = value => (value ? value.toFixed(2) : '0.00');
  const time = value => (value ? new Date(value).toLocaleTimeString() : '–');
  const active = state => state === 'Running' || state === 'Assembling';

  function showSignIn(message) {
    window.clearTimeout(timer);
    $('content').hidden = true;
    $('sign-out').hidden = true;
    $('connection').hidden = true;
    $('sign-in').hidden = false;
    $('sign-in-error').textContent = message || '';
    $('api-key').focus();
  }

  function showContent() {
    $('sign-in').hidden = true;
    $('content').hidden = false;
    $('sign-out').hidden = false;
  }

  // Only a path on this site: a return address from the query must not send the browser elsewhere. It is resolved
  // as the browser will resolve it (which drops tabs and newlines, so "/\t/evil.example/" is "//evil.example/") and
  // kept only when it lands on this page's origin.
  function returnPath() {
    const back = new URLSearchParams(window.location.search).get('return');
    if (!back || !back.startsWith('/')) {
      return null;
    }
    let target;
    try {
      target = new URL(back, window.location.origin);
    } catch {
      return null;
    }
    return target.origin === window.location.origin ? target.pathname + target.search + target.hash : null;
  }

  async function signIn(event) {
    event.preventDefault();
    const key = $('api-key').value;
    $('sign-in-button').disabled = true;
    try {
      const response = await fetch(url('/mining/session'), { method: 'POST', headers: { 'X-Api-Key': key }, credentials: 'same-origin' });
      if (response.status === 401) {
        showSignIn('That key is not valid.');
        return;
      }
      if (!response.ok) {
        showSignIn(`Sign-in failed: HTTP ${response.status}`);
        return;
      }
      $('api-key').value = '';
      const back = returnPath();
      if (back) {
        window.location.assign(back);
        return;
      }
      showContent();
      await refresh();
    } finally {
      $('sign-in-button').disabled = false;
    }
  }

  async function signOut() {
    await fetch(url('/mining/session'), { method: 'DELETE', credentials: 'same-origin' });
    showSignIn('');
  }

  function renderJobs(jobs) {
    const body = $('jobs-table').tBodies[0];
    body.replaceChildren();
    $('jobs-empty').hidden = jobs.length > 0;
    for (const job of [...jobs].reverse()) {
      const row = element('tr', null, 'job-row');
      row.dataset.job = job.id;
      row.dataset.state = job.state;
      row.dataset.done = job.done;
      row.dataset.images = job.images;
      if (job.id === selectedJob) {
        row.classList.add('selected');
      }
      cell(row, job.id);
      cell(row).appendChild(element('span', job.state, `state state-${job.state}`));
      cell(row, job.codebook + (job.codebookVersion ? ` v${job.codebookVersion}` : ''));
      const bar = cell(row);
      bar.appendChild(progress(job.done, job.images));
      bar.appendChild(document.createTextNode(` ${job.done} / ${job.images}`));
      cell(row, job.done - job.failed, 'number');
      cell(row, job.failed, 'number');
      cell(row, rate(job.imagesPerSecond), 'number');
      cell(row, active(job.state) ? duration(job.etaSeconds) : '–', 'number');
      cell(row, time(job.startedUtc));
      row.addEventListener('click', () => select(job.id));
      body.appendChild(row);
    }
  }

  function select(id) {
    selectedJob = id;
    history.replaceState(null, '', `#job=${encodeURIComponent(id)}`);
    refresh();
  }

  function chooseJob(jobs) {
    if (selectedJob && jobs.some(j => j.id === selectedJob)) {
      return selectedJob;
    }
    const fromHash = /^#job=(.+)$/.exec(window.location.hash);
    if (fromHash && jobs.some(j => j.id === decodeURIComponent(fromHash[1]))) {
      return decodeURIComponent(fromHash[1]);
    }
    const running = [...jobs].reverse().find(j => active(j.state));
    return running ? running.id : jobs.length > 0 ? jobs[jobs.length - 1].id : null;
  }

  function record(job) {
    const list = samples.get(job.id) || [];
    list.push({ t: Date.now(), done: job.done });
    while (list.length > chartSamples) {
      list.shift();
    }
    samples.set(job.id, list);
  }

  // Images/s at each sample: the done count's change over the last few seconds.
  function rates(list) {
    const points = [];
    for (let i = 1; i < list.length; i++) {
      let j = i - 1;
      while (j > 0 && list[i].t - list[j].t < rateWindowMilliseconds) {
        j--;
      }
      const seconds = (list[i].t - list[j].t) / 1000;
      points.push({ t: list[i].t, rate: seconds > 0 ? (list[i].done - list[j].done) / seconds : 0 });
    }
    return points;
  }

  function drawChart(list) {
    const canvas = $('rate-chart');
    const g = canvas.getContext('2d');
    const width = canvas.width;
    const height = canvas.height;
    const left = 48;
    const bottom = 22;
    g.clearRect(0, 0, width, height);
    g.font = '11px system-ui, sans-serif';
    g.fillStyle = '#5d6b7e';
    g.strokeStyle = '#d8dee8';
    g.beginPath();
    g.moveTo(left, 8);
    g.lineTo(left, height - bottom);
    g.lineTo(width - 8, height - bottom);
    g.stroke();
    const points = rates(list);
    const top = Math.max(1, ...points.map(p => p.rate)) * 1.15;
    g.fillText(top.toFixed(1), 6, 14);
    g.fillText('0', 30, height - bottom);
    g.fillText('images/s', left + 6, 18);
    if (points.length === 0) {
      g.fillText('waiting for samples…', left + 80, height / 2);
      $('rate-now').textContent = '';
      return;
    }
    const first = list[0].t;
    const span = Math.max(list[list.length - 1].t - first, pollMilliseconds * 10);
    const x = t => left + ((t - first) / span) * (width - left - 12);
    const y = r => height - bottom - (r / top) * (height - bottom - 12);
    g.strokeStyle = '#2f6fdb';
    g.lineWidth = 2;
    g.beginPath();
    points.forEach((p, i) => (i === 0 ? g.moveTo(x(p.t), y(p.rate)) : g.lineTo(x(p.t), y(p.rate))));
    g.stroke();
    g.lineWidth = 1;
    g.fillText(`last ${Math.round(span / 1000)} s`, width - 70, height - 6);
    $('rate-now').textContent = `now ${rate(points[points.length - 1].rate)} images/s`;
  }

  function renderJob(job) {
    const section = $('job');
    section.hidden = false;
    section.dataset.job = job.id;
    section.dataset.state = job.state;
    section.dataset.done = job.done;
    section.dataset.images = job.images;
    $('job-id').textContent = job.id;
    const state = $('job-state');
    state.textContent = job.state;
    state.className = `state state-${job.state}`;
    const eta = active(job.state) ? `, ETA ${duration(job.etaSeconds)}` : '';
    $('job-summary').textContent =
      `${job.done} of ${job.images} images done (${job.ok} ok, ${job.failed} failed), ${rate(job.imagesPerSecond)} images/s${eta}` +
      (job.codebookVersion ? ` — codebook ${job.codebook} v${job.codebookVersion}` : ` — codebook ${job.codebook}`);
    $('job-silos').textContent =
      `job on silo ${job.jobSilo || '–'}, codebook on silo ${job.codebookSilo || '– (not active)'}`;
    $('job-error').textContent = job.error || '';

    const shards = $('shards-table').tBodies[0];
    shards.replaceChildren();
    for (const shard of job.shards) {
      const row = element('tr');
      row.dataset.shard = shard.index;
      row.dataset.state = shard.state;
      row.dataset.done = shard.done;
      cell(row, shard.index, 'number');
      cell(row).appendChild(element('span', shard.state, `state state-${shard.state}`));
      cell(row).appendChild(progress(shard.done, shard.images));
      cell(row, `${shard.done} / ${shard.images}`, 'number');
      cell(row, shard.failed, 'number');
      cell(row, shard.silo || '–');
      cell(row, shard.error || '', 'error');
      shards.appendChild(row);
    }

    const failures = $('failures-table').tBodies[0];
    failures.replaceChildren();
    $('failures-empty').hidden = job.failures.length > 0;
    for (const failure of job.failures) {
      const row = element('tr');
      row.dataset.image = failure.imageId;
      cell(row, failure.shard, 'number');
      cell(row, failure.imageId);
      cell(row, failure.reason);
      failures.appendChild(row);
    }

    drawChart(samples.get(job.id) || []);
  }

  async function renderCodebooks(codebooks) {
    const details = await Promise.all(codebooks.filter(c => c.versions > 0).map(c => getJson(`/codebooks/${encodeURIComponent(c.name)}`)));
    const list = $('codebooks-list');
    list.replaceChildren();
    $('codebooks-empty').hidden = details.length > 0;
    for (const codebook of details) {
      const block = element('div', null, 'codebook');
      block.dataset.codebook = codebook.name;
      block.appendChild(element('h3', codebook.name));
      const table = element('table');
      const head = element('tr');
      for (const title of ['Version', 'Prototypes', 'Added', 'Model', 'Jobs', 'Built', 'Download']) {
        head.appendChild(element('th', title));
      }
      table.appendChild(element('thead')).appendChild(head);
      const body = table.appendChild(element('tbody'));
      for (const version of [...codebook.versions].reverse()) {
        const row = element('tr');
        row.dataset.version = version.version;
        cell(row, `v${version.version}`);
        cell(row, version.prototypes, 'number');
        cell(row, version.addedPrototypes, 'number');
        cell(row, version.model);
        cell(row, version.jobIds.join(', '));
        cell(row, time(version.createdUtc));
        const link = element('a', `${codebook.name}-v${version.version}.parquet`, 'download');
        link.href = url(version.downloadUrl).pathname;
        link.dataset.codebook = codebook.name;
        link.dataset.version = version.version;
        cell(row).appendChild(link);
        body.appendChild(row);
      }
      block.appendChild(table);
      list.appendChild(block);
    }
  }

  async function refresh() {
    window.clearTimeout(timer);
    try {
      const jobs = await getJson('/jobs');
      showContent();
      $('connection').hidden = true;
      selectedJob = chooseJob(jobs);
      if (selectedJob) {
        const job = await getJson(`/jobs/${encodeURIComponent(selectedJob)}`);
        record(job);
        renderJob(job);
      } else {
        $('job').hidden = true;
      }
      renderJobs(jobs);
      await renderCodebooks(await getJson('/codebooks'));
    } catch (error) {
      if (error instanceof SignedOut) {
        showSignIn('');
        return;
      }
      $('connection').hidden = false;
      $('connection').textContent = `Cannot reach the gateway: ${error.message}`;
    }
    timer = window.setTimeout(refresh, pollMilliseconds);
  }

  document.addEventListener('DOMContentLoaded', () => {
    $('sign-in-form').addEventListener('submit', signIn);
    $('sign-out').addEventListener('click', signOut);
    refresh();
  });
})();
