// The loket console. Uses only the JSON API under /loket/api/ and its push stream (Server-Sent
// Events). Everything a resident wrote is put on the page with textContent, never as HTML, so a
// typed <img onerror=…> or a Markdown link stays plain text.
'use strict';

const state = { csrf: '', user: null, handoffs: [], current: null, stream: null, typingTimer: 0, lastTyping: 0 };
const $ = (id) => document.getElementById(id);

const STATUS = { waiting: 'wacht', active: 'in gesprek', timedOut: 'wachttijd voorbij', returned: 'terug bij de assistent', closed: 'afgesloten' };
const DAGDEEL = { ochtend: 'ochtend', middag: 'middag', 'maakt-niet-uit': 'maakt niet uit' };

/** Call the API; a 401 means the session is gone: back to the sign-in form. */
async function api(method, path, body) {
  const headers = {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET') headers['x-csrf-token'] = state.csrf;
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  const data = response.status === 204 ? {} : await response.json().catch(() => ({}));
  if (response.status === 401 && path !== '/loket/api/login') {
    showSignIn(data.error ? data.error.message : 'Log opnieuw in.');
    throw new Error('not signed in');
  }
  if (!response.ok) {
    const error = new Error(data.error ? data.error.message : `Er ging iets mis (${response.status}).`);
    error.status = response.status;
    throw error;
  }
  return data;
}

function say(text) {
  $('melding').textContent = text;
}

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function minutesSince(iso) {
  const minutes = Math.floor((Date.now() - new Date(iso).getTime()) / 60000);
  return minutes < 1 ? 'minder dan 1 minuut' : minutes === 1 ? '1 minuut' : `${minutes} minuten`;
}

function time(iso) {
  return new Date(iso).toLocaleTimeString('nl-NL', { hour: '2-digit', minute: '2-digit' });
}

/* ---- sign-in ---- */

function showSignIn(message) {
  if (state.stream) state.stream.close();
  state.stream = null;
  $('console').hidden = true;
  $('account').hidden = true;
  $('inloggen').hidden = false;
  $('inlogfout').textContent = message || '';
}

function showConsole(user, csrf) {
  state.user = user;
  state.csrf = csrf;
  $('inloggen').hidden = true;
  $('console').hidden = false;
  $('account').hidden = false;
  $('wie').textContent = `${user.name} (${user.rol})`;
  $('naar-dashboard').hidden = user.rol !== 'beheerder';
  $('beschikbaar').checked = user.available;
  openStream();
  refreshAll();
}

$('inlogformulier').addEventListener('submit', async (event) => {
  event.preventDefault();
  $('inlogfout').textContent = '';
  try {
    const data = await api('POST', '/loket/api/login', { username: $('gebruikersnaam').value.trim(), password: $('wachtwoord').value });
    $('wachtwoord').value = '';
    showConsole(data.user, data.csrfToken);
    say(`Welkom, ${data.user.name}.`);
  } catch (error) {
    $('inlogfout').textContent = error.message;
  }
});

$('uitloggen').addEventListener('click', async () => {
  await api('POST', '/loket/api/logout').catch(() => undefined);
  showSignIn('U bent uitgelogd.');
});

$('beschikbaar').addEventListener('change', async (event) => {
  try {
    await api('POST', '/loket/api/availability', { available: event.target.checked });
    say(event.target.checked ? 'U bent beschikbaar voor de chat.' : 'U bent niet beschikbaar voor de chat.');
  } catch (error) {
    event.target.checked = !event.target.checked;
    say(error.message);
  }
});

/* ---- lists ---- */

async function refreshAll() {
  await Promise.all([refreshHandoffs(), refreshCallbacks(), refreshMeldingen(), refreshColleagues()]).catch((error) => say(error.message));
}

async function refreshHandoffs() {
  const data = await api('GET', '/loket/api/handoffs');
  state.handoffs = data.handoffs;
  renderHandoffs();
}

function renderHandoffs() {
  const waiting = state.handoffs.filter((h) => h.status === 'waiting');
  const active = state.handoffs.filter((h) => h.status === 'active');
  const mine = active.filter((h) => h.assignee && h.assignee.username === state.user.username);
  $('wachtend-aantal').textContent = `(${waiting.length})`;
  fillList($('wachtend'), waiting, 'Er wacht niemand.', handoffCard);
  fillList($('mijn'), mine, 'Geen lopende gesprekken.', handoffCard);
  fillList($('collegas'), active.filter((h) => !mine.includes(h)), 'Geen.', handoffCard);
}

function fillList(list, items, empty, render) {
  list.replaceChildren(...(items.length ? items.map(render) : [el('li', empty, 'meta')]));
}

function handoffCard(h) {
  const li = el('li', undefined, h.safety ? 'card safety' : 'card');
  const title = el('p');
  title.append(el('strong', h.topic || 'Onderwerp onbekend'), ` · ${h.gemeenteNaam}`);
  li.append(title);
  if (h.safety) li.append(el('p', 'Veiligheidssignaal', 'flag'));
  const waited = h.status === 'waiting' ? `wacht ${minutesSince(h.createdAt)}, plaats ${h.position}` : `${STATUS[h.status]}${h.assignee ? ` met ${h.assignee.name}` : ''}`;
  li.append(el('p', waited, 'meta'), el('p', h.summary));
  const open = el('button', 'Openen');
  open.type = 'button';
  open.setAttribute('aria-label', `Gesprek openen: ${h.topic || 'onderwerp onbekend'}, ${h.gemeenteNaam}`);
  open.addEventListener('click', () => openHandoff(h.id));
  li.append(open);
  return li;
}

async function refreshCallbacks() {
  const { callbacks } = await api('GET', '/loket/api/callbacks');
  fillList($('terugbellen'), callbacks.filter((c) => c.status === 'open'), 'Geen open terugbelverzoeken.', (c) => {
    const li = el('li', undefined, 'card');
    const title = el('p');
    title.append(el('strong', c.reference), ` · ${c.gemeente} · ${DAGDEEL[c.dagdeel] || c.dagdeel}`);
    li.append(title, el('p', `Telefoon: ${c.phone}`), el('p', c.summary || '', 'meta'));
    const done = el('button', 'Gebeld: afhandelen');
    done.type = 'button';
    done.setAttribute('aria-label', `Terugbelverzoek ${c.reference} afhandelen`);
    done.addEventListener('click', async () => {
      try {
        await api('POST', `/loket/api/callbacks/${encodeURIComponent(c.reference)}/done`);
        say(`Terugbelverzoek ${c.reference} is afgehandeld.`);
        refreshCallbacks();
      } catch (error) {
        say(error.message);
      }
    });
    li.append(done);
    return li;
  });
}

async function refreshMeldingen() {
  const { meldingen } = await api('GET', '/loket/api/meldingen').catch(() => ({ meldingen: [] }));
  fillList($('meldingen'), meldingen.slice(0, 50), 'Geen meldingen.', (m) => {
    const li = el('li', undefined, 'card');
    const title = el('p');
    title.append(el('strong', m.reference), ` · ${m.gemeente} · spoed: ${m.spoed}`);
    li.append(title, el('p', m.situatie), el('p', `Contact: ${m.contact.method} ${m.contact.value}${m.contact.when ? ` (${m.contact.when})` : ''}`, 'meta'));
    return li;
  });
}

async function refreshColleagues() {
  const { staff } = await api('GET', '/loket/api/staff');
  $('collega').replaceChildren(...staff.filter((s) => s.username !== state.user.username).map((s) => {
    const option = el('option', `${s.name}${s.available ? ' (beschikbaar)' : ''}`);
    option.value = s.username;
    return option;
  }));
}

/* ---- one conversation ---- */

async function openHandoff(id) {
  try {
    const { handoff } = await api('GET', `/loket/api/handoffs/${encodeURIComponent(id)}`);
    state.current = handoff;
    renderConversation();
    $('gesprek').hidden = false;
    $('gesprek-kop').focus();
  } catch (error) {
    say(error.message);
  }
}

function isMine(h) {
  return h.status === 'active' && h.assignee && h.assignee.username === state.user.username;
}

function renderConversation() {
  const h = state.current;
  $('gesprek-kop').textContent = `Gesprek: ${h.topic || 'onderwerp onbekend'}`;
  $('gesprek-kop').tabIndex = -1;
  $('gesprek-info').textContent = `${h.gemeente} · begonnen ${time(h.createdAt)} · ${STATUS[h.status]}${h.assignee ? ` · ${h.assignee.name}` : ''}${h.outcome ? ` · uitkomst: ${h.outcome}` : ''}`;
  $('gesprek-veiligheid').hidden = !h.safety;
  $('gesprek-samenvatting').textContent = h.summary;
  $('verloop').replaceChildren(...h.transcript.map(entryItem));
  $('verloop-vak').scrollTop = $('verloop-vak').scrollHeight;
  $('notities').replaceChildren(...h.notes.map((n) => el('li', `${time(n.at)} ${n.by}: ${n.text}`)));
  const open = h.status === 'waiting' || h.status === 'active';
  $('overnemen').disabled = h.status !== 'waiting';
  $('teruggeven').disabled = !isMine(h);
  $('antwoord').disabled = !isMine(h);
  $('antwoordformulier').querySelector('button').disabled = !isMine(h);
  $('toewijsformulier').querySelector('button').disabled = !open;
  $('afsluitformulier').querySelector('button').disabled = !open;
}

function entryItem(entry) {
  const li = el('li', undefined, `${entry.from}${entry.safety ? ' safety' : ''}`);
  const who = entry.from === 'inwoner' ? 'Inwoner' : entry.from === 'assistent' ? 'Assistent' : entry.from === 'medewerker' ? entry.name || 'Medewerker' : 'Systeem';
  li.append(el('span', `${time(entry.at)} ${who}: `, 'who'));
  if (entry.safety) li.append(el('strong', '[Veiligheidssignaal] '));
  li.append(document.createTextNode(entry.text));
  return li;
}

async function act(label, method, path, body) {
  try {
    const data = await api(method, path, body);
    if (data.handoff) {
      state.current = data.handoff;
      renderConversation();
    }
    say(label);
    refreshHandoffs();
    return data;
  } catch (error) {
    say(error.message);
    if (state.current) openHandoff(state.current.id);
    return undefined;
  }
}

$('overnemen').addEventListener('click', () => act('U heeft het gesprek overgenomen.', 'POST', `/loket/api/handoffs/${state.current.id}/claim`));
$('teruggeven').addEventListener('click', () => act('Het gesprek is teruggegeven aan de assistent.', 'POST', `/loket/api/handoffs/${state.current.id}/release`));

/** A form with one text field that posts { text } to the open conversation and empties the field when it worked. */
function textForm(formId, fieldId, action, done) {
  $(formId).addEventListener('submit', async (event) => {
    event.preventDefault();
    const text = $(fieldId).value.trim();
    if (!text) return;
    const data = await act(done, 'POST', `/loket/api/handoffs/${state.current.id}/${action}`, { text });
    if (data) $(fieldId).value = '';
  });
}

textForm('antwoordformulier', 'antwoord', 'messages', 'Bericht verstuurd.');
textForm('notitieformulier', 'notitie', 'notes', 'Notitie opgeslagen.');

$('antwoord').addEventListener('input', () => {
  // Tell the resident we are typing, at most every three seconds.
  if (!state.current || !isMine(state.current) || Date.now() - state.lastTyping < 3000) return;
  state.lastTyping = Date.now();
  api('POST', `/loket/api/handoffs/${state.current.id}/typing`).catch(() => undefined);
});

$('toewijsformulier').addEventListener('submit', (event) => {
  event.preventDefault();
  const to = $('collega').value;
  if (to) act('Het gesprek is toegewezen.', 'POST', `/loket/api/handoffs/${state.current.id}/assign`, { username: to });
});

$('afsluitformulier').addEventListener('submit', (event) => {
  event.preventDefault();
  act('Het gesprek is afgesloten.', 'POST', `/loket/api/handoffs/${state.current.id}/close`, { outcome: $('uitkomst').value });
});

/* ---- push ---- */

function openStream() {
  if (state.stream) state.stream.close();
  const stream = new window.EventSource('/loket/api/stream');
  state.stream = stream;
  stream.addEventListener('queue', (event) => {
    const data = JSON.parse(event.data);
    refreshHandoffs().catch(() => undefined);
    if (state.current && state.current.id === data.handoffId) openHandoff(data.handoffId);
  });
  stream.addEventListener('message', (event) => {
    const data = JSON.parse(event.data);
    if (!state.current || state.current.id !== data.handoffId) {
      if (data.entry.safety) say('Let op: een inwoner meldt mogelijk gevaar. Open het gesprek met de rode markering.');
      refreshHandoffs().catch(() => undefined);
      return;
    }
    state.current.transcript.push(data.entry);
    if (data.entry.safety) state.current.safety = true;
    $('verloop').append(entryItem(data.entry));
    $('verloop-vak').scrollTop = $('verloop-vak').scrollHeight;
    $('gesprek-veiligheid').hidden = !state.current.safety;
    if (data.entry.from === 'inwoner') $('typen').textContent = '';
  });
  stream.addEventListener('typing', (event) => {
    const data = JSON.parse(event.data);
    if (!state.current || state.current.id !== data.handoffId || data.from !== 'inwoner') return;
    $('typen').textContent = 'De inwoner typt…';
    window.clearTimeout(state.typingTimer);
    state.typingTimer = window.setTimeout(() => ($('typen').textContent = ''), 6000);
  });
  stream.addEventListener('callbacks', () => refreshCallbacks().catch(() => undefined));
  stream.addEventListener('error', () => {
    // The browser reconnects by itself; check whether the session is still there.
    api('GET', '/loket/api/session').catch(() => undefined);
  });
}

// Waiting times move on without a reload.
window.setInterval(() => {
  if (state.user && !$('console').hidden) renderHandoffs();
}, 15000);

// Still signed in? The session cookie is HttpOnly; a second cookie without a secret says it is worth asking.
if (document.cookie.split('; ').includes('loket_ingelogd=1')) {
  fetch('/loket/api/session', { credentials: 'same-origin' })
    .then((response) => (response.ok ? response.json() : undefined))
    .then((data) => (data ? showConsole(data.user, data.csrfToken) : showSignIn('')))
    .catch(() => showSignIn(''));
} else {
  showSignIn('');
}
