/* The beheerder's dashboard: figures with charts (Chart.js, served locally), unanswered questions,
   the review list and the upkeep list. Residents' text is always set with textContent. */
'use strict';

const state = { csrf: '', charts: {}, topics: [] };
const $ = (id) => document.getElementById(id);

async function api(method, path, body) {
  const headers = { accept: 'application/json' };
  if (method !== 'GET') headers['x-csrf-token'] = state.csrf;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
  const data = res.status === 204 ? {} : await res.json().catch(() => ({}));
  if (!res.ok) throw Object.assign(new Error(data.error?.message || `Er ging iets mis (${res.status}).`), { status: res.status, problems: data.error?.problems });
  return data;
}

function say(text) {
  $('melding').textContent = text;
}

function el(tag, text, attrs = {}) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  return node;
}

const percent = (share) => (share === null ? 'geen gegevens' : `${Math.round(share * 100)}%`);
const minutes = (seconds) => (seconds === null ? 'geen gegevens' : `${(seconds / 60).toFixed(1).replace('.', ',')} min`);
const topicName = (id) => id.replace(/-/g, ' ');

function dayString(date) {
  return new Date(date.getTime() - date.getTimezoneOffset() * 60000).toISOString().slice(0, 10);
}

function query() {
  const params = new URLSearchParams({ from: $('van').value, to: $('tot').value });
  if ($('gemeente').value) params.set('gemeente', $('gemeente').value);
  return params.toString();
}

/* ---- Charts: readable without colour (one series per chart, labels on the axis, values on the bars, patterns) ---- */

const valueLabels = {
  id: 'valueLabels',
  afterDatasetsDraw(chart) {
    if (chart.config.type !== 'bar') return;
    const { ctx } = chart;
    ctx.save();
    ctx.fillStyle = '#1a1a1a';
    ctx.font = '14px "Segoe UI", Arial, sans-serif';
    chart.getDatasetMeta(0).data.forEach((bar, i) => {
      const value = chart.data.datasets[0].data[i];
      const horizontal = chart.options.indexAxis === 'y';
      ctx.textAlign = horizontal ? 'left' : 'center';
      ctx.textBaseline = horizontal ? 'middle' : 'bottom';
      ctx.fillText(String(value), horizontal ? bar.x + 6 : bar.x, horizontal ? bar.y : bar.y - 4);
    });
    ctx.restore();
  },
};

/** A fill pattern, so bars differ by more than colour. */
function pattern(kind, color) {
  const tile = document.createElement('canvas');
  tile.width = 12;
  tile.height = 12;
  const c = tile.getContext('2d');
  c.fillStyle = '#ffffff';
  c.fillRect(0, 0, 12, 12);
  c.strokeStyle = color;
  c.fillStyle = color;
  c.lineWidth = 2;
  if (kind === 'vol') c.fillRect(0, 0, 12, 12);
  if (kind === 'streep') { c.beginPath(); c.moveTo(0, 12); c.lineTo(12, 0); c.stroke(); }
  if (kind === 'stip') { c.beginPath(); c.arc(6, 6, 2.5, 0, Math.PI * 2); c.fill(); }
  if (kind === 'ruit') { c.strokeRect(1, 1, 10, 10); }
  if (kind === 'kruis') { c.beginPath(); c.moveTo(0, 0); c.lineTo(12, 12); c.moveTo(12, 0); c.lineTo(0, 12); c.stroke(); }
  return c.createPattern(tile, 'repeat');
}

function drawChart(id, config, summary) {
  const canvas = $(id);
  canvas.setAttribute('aria-label', summary);
  if (state.charts[id]) state.charts[id].destroy();
  const options = { responsive: true, maintainAspectRatio: false, animation: false, plugins: { legend: { display: false } }, ...config.options };
  state.charts[id] = new window.Chart(canvas, { ...config, options, plugins: [valueLabels] });
}

function fillTable(id, rows) {
  const body = $(id).querySelector('tbody');
  body.replaceChildren(...rows.map((cells) => {
    const tr = el('tr');
    cells.forEach((cell, i) => tr.append(el(i === 0 ? 'th' : 'td', String(cell), i === 0 ? { scope: 'row' } : {})));
    return tr;
  }));
}

function renderStats(stats) {
  const figures = [
    ['Gesprekken', stats.conversations],
    ['Berichten van inwoners', stats.messages],
    ['Zonder medewerker beantwoord', percent(stats.answeredWithoutStaffShare)],
    ['Overdracht naar een medewerker', percent(stats.handoffs.rate)],
    ['Mediane wachttijd', minutes(stats.handoffs.medianWaitSeconds)],
    ['Feedback: geholpen', percent(stats.feedback.score)],
    ['Onbeantwoord (van de berichten)', percent(stats.unanswered.rate)],
  ];
  $('kerncijfers').replaceChildren(...figures.map(([label, value]) => {
    const div = el('div');
    div.append(el('dt', label), el('dd', String(value)));
    return div;
  }));

  const days = stats.perDay;
  const busiest = days.reduce((a, b) => (b.conversations > a.conversations ? b : a), days[0]);
  drawChart('grafiek-per-dag', {
    type: 'line',
    data: { labels: days.map((d) => d.day), datasets: [{ label: 'Gesprekken', data: days.map((d) => d.conversations), borderColor: '#00457c', backgroundColor: '#00457c', pointStyle: 'rectRot', pointRadius: 4 }] },
    options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: 'Gesprekken' } } } },
  }, `Lijngrafiek: gesprekken per dag van ${stats.period.from} tot en met ${stats.period.to}. Totaal ${stats.conversations}; de drukste dag was ${busiest.day} met ${busiest.conversations}.`);
  fillTable('tabel-per-dag', days.map((d) => [d.day, d.conversations]));

  drawChart('grafiek-onderwerpen', {
    type: 'bar',
    data: { labels: stats.topics.map((t) => topicName(t.topic)), datasets: [{ label: 'Berichten', data: stats.topics.map((t) => t.messages), backgroundColor: pattern('streep', '#00457c'), borderColor: '#00457c', borderWidth: 1 }] },
    options: { indexAxis: 'y', scales: { x: { beginAtZero: true, ticks: { precision: 0 }, grace: '10%' } } },
  }, `Staafgrafiek: berichten per onderwerp. ${stats.topics.map((t) => `${topicName(t.topic)} ${t.messages}`).join(', ') || 'Geen berichten.'}`);
  fillTable('tabel-onderwerpen', stats.topics.map((t) => [topicName(t.topic), t.messages]));

  const outcome = [
    ['Zonder medewerker beantwoord', stats.answeredWithoutStaff, 'vol'],
    ['Overdracht gevraagd', stats.handoffs.requested, 'streep'],
    ['Onbeantwoorde vragen', stats.unanswered.total, 'stip'],
    ['Feedback: geholpen', stats.feedback.up, 'ruit'],
    ['Feedback: niet geholpen', stats.feedback.down, 'kruis'],
  ];
  drawChart('grafiek-uitkomst', {
    type: 'bar',
    data: { labels: outcome.map((o) => o[0]), datasets: [{ label: 'Aantal', data: outcome.map((o) => o[1]), backgroundColor: outcome.map((o) => pattern(o[2], '#00457c')), borderColor: '#00457c', borderWidth: 1 }] },
    options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 }, grace: '10%' } } },
  }, `Staafgrafiek: ${outcome.map((o) => `${o[0]} ${o[1]}`).join(', ')}.`);
  fillTable('tabel-uitkomst', outcome.map((o) => [o[0], o[1]]));
}

/* ---- Unanswered questions, review list, upkeep ---- */

function renderGroups(groups) {
  const body = $('onbeantwoord').querySelector('tbody');
  if (!groups.length) {
    const tr = el('tr');
    tr.append(el('td', 'Geen onbeantwoorde vragen in deze periode.', { colspan: '3' }));
    body.replaceChildren(tr);
    return;
  }
  body.replaceChildren(...groups.map((group, index) => {
    const tr = el('tr');
    tr.append(el('th', String(group.count), { scope: 'row' }));
    const examples = el('ul');
    for (const text of group.examples) examples.append(el('li', text));
    const cell = el('td');
    cell.append(examples);
    tr.append(cell);

    const actions = el('td');
    const wrap = el('div', undefined, { class: 'actions' });
    const selectId = `onderwerp-${index}`;
    const select = el('select', undefined, { id: selectId });
    for (const topic of [...group.candidates, ...state.topics.filter((t) => !group.candidates.includes(t))]) select.append(el('option', topicName(topic), { value: topic }));
    const link = el('button', 'Koppel aan onderwerp', { type: 'button' });
    link.addEventListener('click', () => act({ action: 'link', keys: group.keys, topic: select.value }, `De vragen zijn voorgesteld als voorbeelden voor ${topicName(select.value)}.`));
    const out = el('button', 'Buiten de Wmo', { type: 'button', class: 'secondary' });
    out.addEventListener('click', () => act({ action: 'out-of-scope', keys: group.keys }, 'Voorgesteld als vraag buiten de Wmo.'));
    wrap.append(el('label', 'Onderwerp', { for: selectId }), select, link, out);
    actions.append(wrap, draftForm(group, index, select));
    tr.append(actions);
    return tr;
  }));
}

/**
 * An article form: for a group of unanswered questions ("Nieuw artikel schrijven") and for a
 * consultant's answer from Teams (it becomes an article when approved). `topic()` gives the
 * topic, `send(article)` does the request.
 */
function articleForm({ prefix, summary, submit, defaults = {}, keywords = [], topic, send }) {
  const details = el('details');
  details.append(el('summary', summary));
  const form = el('form', undefined, { class: 'draft' });
  const field = (name, label, tag = 'input', attrs = {}) => {
    const id = `${prefix}-${name}`;
    const input = el(tag, undefined, { id, name, required: '', ...attrs });
    if (defaults[name]) input.value = defaults[name];
    const p = el('p');
    p.append(el('label', label, { for: id }), el('br'), input);
    form.append(p);
    return input;
  };
  const id = field('id', 'Id (kleine letters en streepjes)', 'input', { pattern: '[a-z0-9\\-]+' });
  const title = field('title', 'Titel (een vraag)');
  const body = field('body', 'Tekst (B1, hoogstens drie korte alinea’s)', 'textarea', { rows: '5' });
  const sourceTitle = field('bron', 'Bron: titel');
  const sourceUrl = field('url', 'Bron: adres (https://…)', 'input', { type: 'url' });
  form.append(el('button', submit, { type: 'submit' }));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    send({
      id: id.value.trim(),
      title: title.value.trim(),
      topics: [topic()],
      body: body.value.trim(),
      followUps: [],
      keywords,
      sources: [{ title: sourceTitle.value.trim(), url: sourceUrl.value.trim() }],
      lastChecked: dayString(new Date()),
    });
  });
  details.append(form);
  return details;
}

function draftForm(group, index, topicSelect) {
  return articleForm({
    prefix: `concept-${index}`,
    summary: 'Nieuw artikel schrijven',
    submit: 'Concept ter beoordeling aanbieden',
    keywords: group.terms,
    topic: () => topicSelect.value,
    send: (article) => act({ action: 'draft', keys: group.keys, article }, 'Het concept-artikel is aangeboden.'),
  });
}

async function act(body, done) {
  try {
    await api('POST', '/loket/api/insight/unanswered/actions', body);
    await loadWorkbench();
    say(`${done} Het staat nu bij "Ter beoordeling".`);
  } catch (error) {
    say(error.problems ? `${error.message} ${error.problems.join(' ')}` : error.message);
  }
}

const KINDS = { answer: 'Antwoord uit Teams', training: 'Voorbeeldvragen', 'out-of-scope': 'Buiten de Wmo', article: 'Nieuw artikel' };

function renderReview(items) {
  const list = $('beoordelen');
  if (!items.length) {
    list.replaceChildren(el('li', 'Niets te beoordelen.', { class: 'card' }));
    return;
  }
  list.replaceChildren(...items.map((item, index) => {
    const li = el('li', undefined, { class: 'card' });
    li.append(el('p', `${KINDS[item.kind || 'answer']}: ${item.text}`));
    if (item.question) li.append(el('p', `Vraag: ${item.question}`));
    for (const example of item.examples || []) li.append(el('p', `• ${example}`, { class: 'meta' }));
    li.append(el('p', `Voorgesteld door ${item.author.name} op ${new Date(item.created).toLocaleString('nl-NL')}`, { class: 'meta' }));
    const wrap = el('div', undefined, { class: 'actions' });
    const reject = el('button', 'Afwijzen', { type: 'button', class: 'secondary' });
    reject.addEventListener('click', () => decide(item, 'reject'));
    if ((item.kind || 'answer') === 'answer') {
      // A consultant's answer goes live as an article: the beheerder gives it a title, topic and source.
      const selectId = `antwoord-${index}-onderwerp`;
      const select = el('select', undefined, { id: selectId });
      for (const topic of state.topics) select.append(el('option', topicName(topic), { value: topic }));
      wrap.append(el('label', 'Onderwerp', { for: selectId }), select, reject);
      li.append(wrap, articleForm({
        prefix: `antwoord-${index}`,
        summary: 'Goedkeuren als artikel',
        submit: 'Goedkeuren',
        defaults: { title: item.question || '', body: item.text },
        topic: () => select.value,
        send: (article) => decide(item, 'approve', { article }),
      }));
      return li;
    }
    const approve = el('button', 'Goedkeuren', { type: 'button' });
    approve.addEventListener('click', () => decide(item, 'approve'));
    wrap.append(approve, reject);
    li.append(wrap);
    return li;
  }));
}

async function decide(item, decision, body = {}) {
  try {
    await api('POST', `/loket/api/review/${encodeURIComponent(item.id)}/${decision}`, body);
    await loadWorkbench();
    say(decision === 'approve' ? 'Goedgekeurd: de wijziging is nu actief.' : 'Afgewezen.');
  } catch (error) {
    say(error.problems ? `${error.message} ${error.problems.join(' ')}` : error.message);
  }
}

const REASONS = { verouderd: 'Lang niet gecontroleerd', inactief: 'Dienst niet actief', verwijzing: 'Verwijzing klopt niet' };

function renderUpkeep({ items }) {
  fillTable('onderhoud', items.map((item) => [REASONS[item.reason], `${item.file} – ${item.id}`, item.name, item.detail]));
}

async function loadWorkbench() {
  const [groups, review, upkeep] = await Promise.all([
    api('GET', `/loket/api/insight/unanswered?${query()}`),
    api('GET', '/loket/api/review?status=pending'),
    api('GET', '/loket/api/insight/upkeep'),
  ]);
  renderGroups(groups.groups);
  renderReview(review.items);
  renderUpkeep(upkeep);
}

async function load() {
  $('csv').setAttribute('href', `/loket/api/stats.csv?${query()}`);
  try {
    renderStats(await api('GET', `/loket/api/stats?${query()}`));
    await loadWorkbench();
    $('dashboard').setAttribute('data-geladen', 'ja');
  } catch (error) {
    say(error.message);
  }
}

async function start() {
  let session;
  try {
    session = await api('GET', '/loket/api/session');
  } catch (error) {
    const message = $('melding');
    message.textContent = error.status === 401 ? 'Log eerst in via de ' : `${error.message} `;
    if (error.status === 401) message.append(el('a', 'console', { href: '/loket' }), '.');
    return;
  }
  if (session.user.rol !== 'beheerder') {
    say('Deze pagina is voor beheerders. Vraag een beheerder als u de cijfers nodig hebt.');
    return;
  }
  state.csrf = session.csrfToken;
  const filters = await api('GET', '/loket/api/insight/filters');
  state.topics = filters.topics;
  for (const g of filters.gemeenten) $('gemeente').append(el('option', g.name, { value: g.code }));
  const today = new Date();
  $('tot').value = dayString(today);
  $('van').value = dayString(new Date(today.getTime() - 29 * 86400000));
  const params = new URLSearchParams(window.location.search);
  for (const [name, id] of [['from', 'van'], ['to', 'tot'], ['gemeente', 'gemeente']]) if (params.get(name)) $(id).value = params.get(name);
  $('filter').addEventListener('submit', (event) => {
    event.preventDefault();
    load();
  });
  $('dashboard').hidden = false;
  await load();
}

start();
