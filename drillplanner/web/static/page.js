/* The drill-day phone page: class teachers report their class's headcount from the
   assembly area; grade leaders see their grade and verify. Plain JS, no build step: the
   page must run from the desktop app on a school network with no internet.

   Never counted twice, never lost: every submission is written to localStorage with an
   entry_id made here before it is sent, and stays there until the server has answered it
   (a resend with the same entry_id is stored once by the server). */
'use strict';

(function () {
  const boot = JSON.parse(document.getElementById('boot').textContent);
  const LANGUAGES = ['zh_CN', 'en'];
  const LANGUAGE_KEY = 'drillplanner.language';
  const BY_KEY = 'drillplanner.by';
  // One queue per page URL: a drill link and a class link, or two drills, never mix.
  const QUEUE_KEY = 'drillplanner.pending:' + location.pathname;
  const POLL_MS = 5000;
  const RETRY_MS = 3000;
  const TIMEOUT_MS = 15000;
  const COUNTS = ['present', 'absent', 'missing', 'injured'];
  // Figures shown as a summary take short labels; the form's labels say more.
  const LABELS = {absent: 'absent_short'};
  const ENDONYMS = {zh_CN: '中文', en: 'English'};

  const $ = (id) => document.getElementById(id);
  const memory = {};  // where settings live when localStorage is refused (private mode)
  let storageFailed = false;  // once a write was refused (full, private mode), memory rules

  let language = chooseLanguage();
  let state = null;  // the last answer of GET state
  let stateAt = null;  // when it came
  let connectionLost = false;  // the last request could not reach the server
  let ended = null;  // {message}: 403/410, the page shows nothing but the server's message
  let notice = null;  // {message}: a 403 on one request: the message alone, with a way back
  let tab = 'class';
  // A class link opens straight on its class's form.
  let screen = boot.link === 'class' ? 'entry' : 'pick';  // class tab: pick | entry | done
  let chosen = boot.link === 'class' ? boot.class : null;
  let formFor = null;  // the class whose figures the form holds
  const drawn = {};  // list id -> what it was last drawn from (redrawing mid-tap loses the tap)
  let done = null;  // what the done screen shows: {entryId, body, cls, message, duplicate}
  let draft = null;  // the submission being sent: {key, entryId}; a resend reuses its id
  let current = null;  // entry_id the screen is waiting for
  let queue = loadQueue();
  let flushing = false;
  let polling = false;
  let signInError = '';
  const verifyErrors = {};  // class name -> message
  const verifying = new Set();

  // Storage --------------------------------------------------------------------------

  function load(key) {
    if (storageFailed && Object.prototype.hasOwnProperty.call(memory, key)) return memory[key];
    try {
      return window.localStorage.getItem(key);
    } catch (e) {
      return Object.prototype.hasOwnProperty.call(memory, key) ? memory[key] : null;
    }
  }

  function store(key, value) {
    memory[key] = value;
    try {
      if (value === null) window.localStorage.removeItem(key);
      else window.localStorage.setItem(key, value);
    } catch (e) {
      storageFailed = true;  // kept in memory for this visit
    }
  }

  function loadQueue() {
    try {
      const items = JSON.parse(load(QUEUE_KEY) || '[]');
      return Array.isArray(items) ? items.filter((i) => i && i.body && i.body.entry_id) : [];
    } catch (e) {
      return [];
    }
  }

  function saveQueue() {
    store(QUEUE_KEY, queue.length ? JSON.stringify(queue) : null);
  }

  function chooseLanguage() {
    const saved = load(LANGUAGE_KEY);
    if (LANGUAGES.includes(saved)) return saved;
    return LANGUAGES.includes(boot.language) ? boot.language : 'zh_CN';
  }

  // Text -----------------------------------------------------------------------------

  function t(key, params) {
    const table = (boot.strings && boot.strings[language]) || {};
    const fallback = (boot.strings && boot.strings.en) || {};
    let text = key in table ? table[key] : (key in fallback ? fallback[key] : key);
    if (params) {
      text = text.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m));
    }
    return text;
  }

  function clear(node) {
    // Not replaceChildren(): the browsers of older school phones lack it.
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function applyLanguage() {
    document.documentElement.lang = language === 'zh_CN' ? 'zh-CN' : 'en';
    document.title = t('page_title');
    document.querySelectorAll('[data-s]').forEach((node) => {
      node.textContent = t(node.dataset.s);
    });
    document.querySelectorAll('[data-s-aria]').forEach((node) => {
      node.setAttribute('aria-label', t(node.dataset.sAria));
    });
    const other = language === 'zh_CN' ? 'en' : 'zh_CN';
    const button = $('lang-switch');
    let name = (boot.strings[other] || {}).language_name;
    // A catalogue without this word yet would name both languages alike.
    if (!name || name === t('language_name')) name = ENDONYMS[other];
    button.textContent = name;
    button.setAttribute('aria-label', t('switch_language'));
    button.lang = other === 'zh_CN' ? 'zh-CN' : 'en';
    render();
    updateRollHint();
  }

  // Network --------------------------------------------------------------------------

  function uuid4() {
    // crypto.randomUUID exists only in secure contexts; a LAN page is plain http.
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20),
      hex.slice(20)].join('-');
  }

  /* One request; {status, data}. status 0 when the server could not be reached (or took
     too long: a phone at the edge of the Wi-Fi must not wait forever). */
  async function api(path, body) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
    const headers = {'X-Language': language, 'Accept': 'application/json'};
    const init = {method: 'GET', headers, credentials: 'same-origin', cache: 'no-store',
      signal: controller.signal};
    if (body !== undefined) {
      init.method = 'POST';
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    try {
      const response = await fetch(path, init);
      let data = {};
      try {
        data = await response.json();
      } catch (e) { /* an answer without JSON: the status says enough */ }
      return {status: response.status, data: data || {}};
    } catch (e) {
      return {status: 0, data: {}};
    } finally {
      clearTimeout(timer);
    }
  }

  function unreachable(status) {
    return status === 0 || status >= 500;
  }

  function endWith(message) {
    ended = {message: message || t('closed_generic')};
    queue = [];
    saveQueue();
    render();
  }

  async function refreshState() {
    if (ended || polling) return;
    polling = true;
    try {
      const r = await api('state');
      if (r.status === 200) {
        state = r.data;
        stateAt = new Date();
        connectionLost = false;
        if (state.status === 'completed' || state.status === 'cancelled') endWith('');
      } else if (r.status === 403 || r.status === 410) {
        endWith(r.data.error);
      } else if (r.status === 401 && state) {
        state.needs_sign_in = true;
      } else if (unreachable(r.status)) {
        connectionLost = true;
      }
    } finally {
      polling = false;
      render();
    }
  }

  // Sending headcounts -----------------------------------------------------------------

  function enqueue(body) {
    const key = JSON.stringify(body);
    // The same figures again (a double tap, a resend after a failure) are the same
    // submission: the same entry_id, so the server stores them once.
    if (!draft || draft.key !== key) draft = {key, entryId: uuid4()};
    const entry = Object.assign({}, body, {entry_id: draft.entryId});
    // Read again first: another tab of this page may have queued or sent since.
    queue = loadQueue();
    if (!queue.some((item) => item.body.entry_id === entry.entry_id)) {
      queue.push({body: entry, queuedAt: Date.now()});
      saveQueue();
    }
    return entry;
  }

  async function flush() {
    if (flushing || ended || !queue.length) return;
    flushing = true;
    render();
    try {
      queue = loadQueue();
      while (queue.length && !ended) {
        const item = queue[0];
        const r = await api('headcounts', item.body);
        if (unreachable(r.status) || r.status === 429) {
          connectionLost = unreachable(r.status);
          break;
        }
        connectionLost = false;
        queue = loadQueue().filter((other) => other.body.entry_id !== item.body.entry_id);
        saveQueue();
        settle(item, r);
      }
    } finally {
      flushing = false;
      render();
    }
  }

  function settle(item, r) {
    const body = item.body;
    const mine = body.entry_id === current || (done && done.entryId === body.entry_id);
    if (draft && draft.entryId === body.entry_id) draft = null;
    if (mine) current = null;
    const error = r.data.error || t('error_status', {status: r.status});
    if (r.status === 200) {
      mergeClass(r.data.class);
      if (mine) {
        done = {entryId: body.entry_id, body, cls: r.data.class, message: r.data.message || '',
          duplicate: Boolean(r.data.duplicate)};
        if (tab === 'class' && chosen === body.class) screen = 'done';
      }
      refreshState();
    } else if (r.status === 410) {
      endWith(r.data.error);
    } else if (r.status === 401) {
      if (state) state.needs_sign_in = true;
      signInError = error;
      if (mine) reopenEntry(body);
    } else if (r.status === 403) {
      notice = {message: error};
    } else if (mine && r.status === 422) {
      reopenEntry(body);
      showFieldError(r.data.field, error);
    } else {
      showBanner((body.class ? body.class + ': ' : '') + error);
    }
  }

  function reopenEntry(body) {
    tab = 'class';
    chosen = body.class;
    screen = 'entry';
    done = null;
    fillForm(body);
    render();  // the form on screen first, so an error can stand next to its field
  }

  function mergeClass(cls) {
    if (!cls || !state || !Array.isArray(state.classes)) return;
    const i = state.classes.findIndex((c) => c.name === cls.name);
    if (i >= 0) state.classes[i] = Object.assign({}, state.classes[i], cls);
  }

  // Entry form -------------------------------------------------------------------------

  function input(name) {
    return $('f-' + name.replace('_', '-'));
  }

  function toAsciiDigits(text) {
    // A Chinese keyboard may give full-width digits (４０).
    return text.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
  }

  function parseCount(text) {
    const clean = toAsciiDigits(String(text)).trim();
    return /^\d{1,4}$/.test(clean) ? parseInt(clean, 10) : null;
  }

  function splitNames(text) {
    return text.split(/[\n,，、;；]+/).map((n) => n.trim()).filter(Boolean);
  }

  function chosenClass() {
    if (!state || !Array.isArray(state.classes)) return null;
    return state.classes.find((c) => c.name === chosen) ||
      (boot.link === 'class' && state.classes.length === 1 ? state.classes[0] : null);
  }

  function latestQueued(name) {
    const items = queue.filter((item) => item.body.class === name);
    return items.length ? items[items.length - 1].body : null;
  }

  function fillForm(source) {
    COUNTS.forEach((k) => {
      const value = source ? source[k] : null;
      input(k).value = value === null || value === undefined ? '' : String(value);
    });
    const names = source && source.missing_names;
    input('missing_names').value = Array.isArray(names) ? names.join('\n') : (names || '');
    input('note').value = (source && source.note) || '';
    input('by').value = load(BY_KEY) || '';
    formFor = chosen;
    clearErrors();
    updateRollHint();
  }

  function openEntry(name) {
    chosen = name;
    tab = 'class';
    screen = 'entry';
    formFor = null;
    showBanner('');
    render();
    window.scrollTo(0, 0);
  }

  function prefill() {
    const cls = chosenClass();
    const queued = latestQueued(chosen);
    if (queued) fillForm(queued);
    else if (cls && cls.present !== null && cls.present !== undefined) fillForm(cls);
    else fillForm({present: null, absent: 0, missing: 0, injured: 0});
  }

  function unchanged(id, data) {
    const key = JSON.stringify([language, data]);
    if (drawn[id] === key) return true;
    drawn[id] = key;
    return false;
  }

  function clearErrors() {
    document.querySelectorAll('[data-error-for]').forEach((node) => {
      node.hidden = true;
      node.textContent = '';
    });
    document.querySelectorAll('.invalid').forEach((node) => node.classList.remove('invalid'));
    $('entry-error').hidden = true;
  }

  function showFieldError(field, message) {
    const target = document.querySelector('[data-error-for="' + CSS.escape(field || '') + '"]');
    // An error goes next to its field when that field is on the form, else above Send.
    const shown = target && !target.parentElement.closest('[hidden]');
    const box = shown ? target : $('entry-error');
    box.textContent = message;
    box.hidden = false;
    const field_input = field && document.querySelector('#entry-form [name="' +
      CSS.escape(field) + '"]');
    if (field_input) field_input.classList.add('invalid');
    box.scrollIntoView({block: 'center'});
  }

  function readForm() {
    clearErrors();
    const body = {class: chosenClass() ? chosenClass().name : chosen};
    let bad = null;
    COUNTS.forEach((k) => {
      const value = parseCount(input(k).value);
      if (value === null) {
        showFieldError(k, t('enter_number'));
        bad = bad || k;
      }
      body[k] = value;
    });
    if (bad) {
      input(bad).focus();
      return null;
    }
    body.missing_names = body.missing > 0 ? splitNames(input('missing_names').value) : [];
    body.note = input('note').value.trim();
    if (!signedIn()) {
      const by = input('by').value.trim();
      store(BY_KEY, by || null);
      if (by) body.by = by;
    }
    return body;
  }

  function send(event) {
    event.preventDefault();
    if ($('send').disabled) return;
    const body = readForm();
    if (!body) return;
    const entry = enqueue(body);
    current = entry.entry_id;
    done = {entryId: entry.entry_id, body: entry, cls: null, message: '', duplicate: false};
    render();
    flush().then(() => {
      // Still waiting for it: the phone has it; show that instead of the form.
      if (current === entry.entry_id && queue.some((i) => i.body.entry_id === current)) {
        screen = 'done';
        render();
      }
    });
  }

  function step(event) {
    const button = event.currentTarget;
    const field = input(button.dataset.for);
    const value = parseCount(field.value) || 0;
    field.value = String(Math.max(0, Math.min(9999, value + Number(button.dataset.step))));
    updateRollHint();
  }

  function updateRollHint() {
    const cls = chosenClass();
    const hint = $('roll-hint');
    const v = {};
    COUNTS.forEach((k) => { v[k] = parseCount(input(k).value); });
    $('missing-names-box').hidden = !(v.missing > 0);
    hint.className = 'roll';
    clear(hint);
    if (!cls || cls.enrolled === null || cls.enrolled === undefined) {
      hint.hidden = true;
      return;
    }
    hint.hidden = false;
    const enrolled = cls.enrolled;
    const rule = t('roll_rule', {enrolled});
    if (v.present === null || v.absent === null || v.missing === null) {
      hint.appendChild(el('span', 'roll-line', rule));
      return;
    }
    const total = v.present + v.absent + v.missing;
    const sum = {present: v.present, absent: v.absent, missing: v.missing, total, enrolled,
      diff: Math.abs(enrolled - total)};
    if (total === enrolled) {
      hint.appendChild(el('span', 'roll-line', t('roll_ok', sum)));
      hint.classList.add('ok');
    } else {
      hint.appendChild(el('span', 'roll-line', rule));
      hint.appendChild(el('span', 'roll-line roll-now',
        t(total < enrolled ? 'roll_short' : 'roll_over', sum)));
      hint.classList.add('bad');
    }
  }

  // Verify and sign-in -----------------------------------------------------------------

  function signedIn() {
    return Boolean(state && state.user);
  }

  async function verify(name) {
    if (verifying.has(name)) return;
    verifying.add(name);
    delete verifyErrors[name];
    render();
    const body = {class: name};
    // Signed in, the server knows who verifies; otherwise the name typed on this phone.
    if (!signedIn() && load(BY_KEY)) body.by = load(BY_KEY);
    const r = await api('verify', body);
    verifying.delete(name);
    if (r.status === 200) {
      mergeClass(r.data.class);
      refreshState();
    } else if (r.status === 410) {
      endWith(r.data.error);
    } else if (r.status === 403) {
      notice = {message: r.data.error || t('error_status', {status: r.status})};
    } else if (r.status === 401) {
      if (state) state.needs_sign_in = true;
      signInError = r.data.error || '';
    } else {
      verifyErrors[name] = unreachable(r.status) ? t('verify_offline')
        : (r.data.error || t('error_status', {status: r.status}));
    }
    render();
  }

  async function signIn(event) {
    event.preventDefault();
    const button = $('signin-submit');
    if (button.disabled) return;
    button.disabled = true;
    button.textContent = t('signing_in');
    signInError = '';
    const r = await api('signin', {login: $('signin-login').value.trim(),
      password: $('signin-password').value});
    button.disabled = false;
    button.textContent = t('sign_in');
    if (r.status === 200) {
      $('signin-password').value = '';
      if (state) {
        state.needs_sign_in = false;
        state.user = r.data.user || state.user;
      }
      await refreshState();
      flush();
    } else if (r.status === 403 || r.status === 410) {
      endWith(r.data.error);
    } else {
      signInError = unreachable(r.status) ? t('no_connection')
        : (r.data.error || t('error_status', {status: r.status}));
      render();
    }
  }

  async function signOut() {
    await api('signout', {});
    await refreshState();
  }

  // Rendering --------------------------------------------------------------------------

  function show(id) {
    document.querySelectorAll('main > .view').forEach((v) => { v.hidden = v.id !== id; });
  }

  function stateLabel(cls) {
    return t('state_' + cls.state);
  }

  function badge(cls) {
    return el('span', 'badge badge-' + cls.state, stateLabel(cls));
  }

  /* "Present 37  Absent 1  Missing 1": each figure kept whole when the line wraps. */
  function figuresLine(f, className, keys) {
    const line = el('p', 'chips ' + className);
    (keys || ['present', 'absent', 'missing', 'injured']).forEach((key) => {
      const value = key === 'on_roll' ? f.enrolled : f[key];
      if (value === null || value === undefined) return;
      const chip = el('span', 'chip chip-' + key + (key === 'missing' && value > 0
        ? ' alarm' : ''));
      chip.appendChild(el('span', 'chip-label', t(LABELS[key] || key)));
      chip.appendChild(el('b', null, value));
      line.appendChild(chip);
    });
    return line;
  }

  function showBanner(message) {
    const banner = $('error-banner');
    banner.textContent = message;
    banner.hidden = !message;
  }

  function renderBanners() {
    const pending = $('pending-banner');
    pending.hidden = !queue.length || Boolean(ended);
    pending.textContent = t('pending_banner', {count: queue.length});
    const stale = $('stale-banner');
    stale.hidden = !connectionLost || Boolean(ended) || Boolean(queue.length);
    const locale = language === 'zh_CN' ? 'zh-CN' : 'en-GB';
    stale.textContent = stateAt
      ? t('stale_banner', {time: stateAt.toLocaleTimeString(locale, {hour12: false})})
      : t('no_connection');
  }

  function render() {
    renderBanners();
    const terminal = ended || notice;
    $('top').classList.toggle('bare', Boolean(terminal));
    // The server's message is in the language it was asked in; nothing left to switch.
    $('lang-switch').hidden = Boolean(terminal);
    $('school').textContent = terminal || !state ? '' : (state.school || '');
    $('drill').textContent = terminal || !state ? '' : (state.drill || '');
    if (terminal) {
      $('tabs').hidden = true;
      $('bottom').hidden = true;
      $('error-banner').hidden = true;
      $('message-text').textContent = terminal.message;
      renderNoticeBack();
      show('view-message');
      return;
    }
    if (!state) {
      $('tabs').hidden = true;
      $('bottom').hidden = true;
      show('view-loading');
      return;
    }
    $('bottom').hidden = !signedIn();
    $('user-line').textContent = signedIn() ? t('signed_in_as', {name: state.user.name}) : '';
    if (state.needs_sign_in) {
      $('tabs').hidden = true;
      const error = $('signin-error');
      error.textContent = signInError;
      error.hidden = !signInError;
      show('view-signin');
      return;
    }
    const classLink = boot.link === 'class';
    $('tabs').hidden = classLink;
    if (classLink) tab = 'class';
    $('tab-class').setAttribute('aria-pressed', String(tab === 'class'));
    $('tab-grade').setAttribute('aria-pressed', String(tab === 'grade'));
    if (tab === 'grade') {
      renderGrade();
      show('view-grade');
      return;
    }
    if (classLink && !chosen) chosen = chosenClass() ? chosenClass().name : null;
    if (!chosen) screen = 'pick';
    if (screen === 'pick') {
      renderPick();
      show('view-pick');
    } else if (screen === 'entry') {
      renderEntry();
      show('view-entry');
    } else {
      renderDone();
      show('view-done');
    }
  }

  function renderNoticeBack() {
    const card = $('message-card');
    const old = card.querySelector('button');
    if (old && (ended || !notice)) old.remove();
    if (!ended && notice && !old) {
      const back = el('button', 'plain', t('back'));
      back.type = 'button';
      back.addEventListener('click', () => {
        notice = null;
        refreshState();
      });
      card.appendChild(back);
    }
  }

  function grouped(classes) {
    const groups = [];
    const index = new Map();
    classes.forEach((cls) => {
      if (!index.has(cls.grade)) {
        index.set(cls.grade, {name: cls.grade, classes: []});
        groups.push(index.get(cls.grade));
      }
      index.get(cls.grade).classes.push(cls);
    });
    return groups;
  }

  function renderPick() {
    const list = $('pick-list');
    const classes = (state.classes || []).filter((c) => c.can_record !== false);
    if (unchanged('pick', [classes, queue.map((i) => i.body.class)])) return;
    clear(list);
    if (!classes.length) list.appendChild(el('p', 'quiet', t('no_classes')));
    grouped(classes).forEach((group) => {
      const box = el('section', 'group');
      box.appendChild(el('h2', 'group-title', group.name));
      const grid = el('div', 'pick-grid');
      group.classes.forEach((cls) => {
        const button = el('button', 'pick pick-' + cls.state);
        button.type = 'button';
        button.dataset.class = cls.name;
        button.appendChild(el('span', 'pick-name', cls.name));
        const queued = latestQueued(cls.name);
        button.appendChild(queued ? el('span', 'badge badge-waiting', t('waiting'))
          : badge(cls));
        if (cls.present !== null && cls.present !== undefined && !queued) {
          button.appendChild(el('span', 'pick-figures',
            t('present_of', {present: cls.present, enrolled: cls.enrolled})));
        }
        button.addEventListener('click', () => openEntry(cls.name));
        grid.appendChild(button);
      });
      box.appendChild(grid);
      list.appendChild(box);
    });
  }

  function renderEntry() {
    const cls = chosenClass();
    if (formFor !== chosen && cls) prefill();
    $('entry-back').hidden = boot.link === 'class';
    $('entry-class').textContent = cls ? cls.name : (chosen || '');
    const last = $('entry-last');
    clear(last);
    if (cls && cls.present !== null && cls.present !== undefined) {
      const head = el('div', 'last-head');
      head.appendChild(badge(cls));
      if (cls.reported_at) head.appendChild(el('span', 'when', t('reported_at',
        {time: cls.reported_at})));
      last.appendChild(head);
      last.appendChild(figuresLine(cls, 'last-figures'));
      last.appendChild(el('p', 'sub', t('correction_hint')));
      last.hidden = false;
    } else {
      last.hidden = true;
    }
    $('by-box').hidden = signedIn();
    const busy = flushing && queue.some((i) => i.body.entry_id === current);
    const button = $('send');
    button.disabled = busy;
    button.textContent = busy ? t('sending') : t(cls && cls.present !== null &&
      cls.present !== undefined ? 'send_correction' : 'send');
    updateRollHint();
  }

  function figureGrid(f, enrolled) {
    const grid = el('dl', 'figures');
    [['present', f.present], ['absent', f.absent], ['missing', f.missing],
      ['injured', f.injured], ['on_roll', enrolled]].forEach(([key, value]) => {
      if (value === null || value === undefined) return;
      const cell = el('div', 'figure figure-' + key +
        (key === 'missing' && value > 0 ? ' alarm' : ''));
      cell.appendChild(el('dt', null, t(LABELS[key] || key)));
      cell.appendChild(el('dd', null, value));
      grid.appendChild(cell);
    });
    return grid;
  }

  function renderDone() {
    const card = $('done-card');
    clear(card);
    $('done-other').hidden = boot.link === 'class';
    if (!done) {
      screen = 'pick';
      return;
    }
    const waiting = !done.cls;
    card.classList.toggle('waiting', waiting);
    const cls = done.cls || Object.assign({}, chosenClass() || {}, done.body);
    card.appendChild(el('h1', 'class-title', cls.name || done.body.class));
    if (waiting) {
      card.appendChild(el('p', 'done-status', t('saved_here')));
      card.appendChild(el('p', 'sub', t('saved_here_hint')));
    } else {
      const head = el('div', 'last-head');
      head.appendChild(el('span', 'tick', '✓'));
      head.appendChild(el('span', 'done-status', t('received')));
      card.appendChild(head);
      if (done.message) card.appendChild(el('p', 'server-message', done.message));
      if (done.duplicate) card.appendChild(el('p', 'sub', t('duplicate')));
    }
    card.appendChild(figureGrid(cls, cls.enrolled));
    const names = Array.isArray(cls.missing_names) ? cls.missing_names : [];
    if (names.length) {
      card.appendChild(el('p', 'missing-names', t('missing_names_are',
        {names: names.join('、')})));
    }
    if (!waiting && cls.reported_at) {
      card.appendChild(el('p', 'sub', t('reported_at', {time: cls.reported_at})));
    }
  }

  function renderGrade() {
    const list = $('grade-list');
    const classes = state.classes || [];
    const totals = state.totals;
    if (unchanged('grade', [state.classes, state.grades, totals, [...verifying],
      verifyErrors])) return;
    clear(list);
    if (totals && (state.grades || []).length > 1) {
      const card = el('section', 'card totals');
      card.appendChild(el('h2', 'group-title', t('whole_school')));
      card.appendChild(el('p', 'count-line', t('reported_count',
        {reported: totals.reported, classes: totals.classes})));
      card.appendChild(figureGrid(totals, totals.enrolled));
      list.appendChild(card);
    }
    const grades = new Map((state.grades || []).map((g) => [g.name, g]));
    if (!classes.length) list.appendChild(el('p', 'quiet', t('no_classes')));
    grouped(classes).forEach((group) => {
      const box = el('section', 'group');
      const head = el('div', 'grade-head');
      head.appendChild(el('h2', 'group-title', group.name));
      const sums = grades.get(group.name);
      if (sums) {
        head.appendChild(el('p', 'count-line', t('grade_count', {reported: sums.reported,
          classes: sums.classes, verified: sums.verified})));
        head.appendChild(figuresLine(sums, 'sums', ['present', 'absent', 'missing', 'on_roll']));
      }
      box.appendChild(head);
      group.classes.forEach((cls) => box.appendChild(gradeRow(cls)));
      list.appendChild(box);
    });
  }

  function gradeRow(cls) {
    const row = el('div', 'row row-' + cls.state);
    row.dataset.class = cls.name;
    const head = el('div', 'row-head');
    head.appendChild(el('span', 'row-name', cls.name));
    head.appendChild(badge(cls));
    row.appendChild(head);
    if (cls.present !== null && cls.present !== undefined) {
      row.appendChild(figuresLine(cls, 'row-figures'));
      const names = Array.isArray(cls.missing_names) ? cls.missing_names : [];
      if (cls.missing > 0) {
        row.appendChild(el('p', 'missing-names', names.length
          ? t('missing_names_are', {names: names.join('、')})
          : t('missing_count', {missing: cls.missing})));
      }
      if (cls.reported_at) row.appendChild(el('p', 'sub', t('reported_at',
        {time: cls.reported_at})));
    }
    if (cls.state === 'reported' && cls.can_verify) {
      const button = el('button', 'verify', verifying.has(cls.name) ? t('verifying')
        : t('verify'));
      button.type = 'button';
      button.disabled = verifying.has(cls.name);
      button.addEventListener('click', () => verify(cls.name));
      row.appendChild(button);
    }
    if (verifyErrors[cls.name]) {
      row.appendChild(el('p', 'field-error', verifyErrors[cls.name]));
    }
    return row;
  }

  // Wiring -----------------------------------------------------------------------------

  function switchLanguage() {
    language = language === 'zh_CN' ? 'en' : 'zh_CN';
    store(LANGUAGE_KEY, language);
    applyLanguage();
    refreshState();
  }

  function wire() {
    $('lang-switch').addEventListener('click', switchLanguage);
    document.querySelectorAll('.tab').forEach((button) => {
      button.addEventListener('click', () => {
        tab = button.dataset.tab;
        showBanner('');
        render();
        refreshState();
      });
    });
    $('signin-form').addEventListener('submit', signIn);
    $('sign-out').addEventListener('click', signOut);
    $('entry-form').addEventListener('submit', send);
    $('entry-back').addEventListener('click', () => {
      screen = 'pick';
      chosen = null;
      render();
    });
    $('done-correct').addEventListener('click', () => openEntry(chosen));
    $('done-other').addEventListener('click', () => {
      screen = 'pick';
      chosen = null;
      done = null;
      render();
    });
    document.querySelectorAll('.step').forEach((b) => b.addEventListener('click', step));
    COUNTS.forEach((k) => {
      const field = input(k);
      field.addEventListener('input', () => {
        const clean = toAsciiDigits(field.value).replace(/\D/g, '').slice(0, 4);
        if (clean !== field.value) field.value = clean;
        updateRollHint();
      });
      field.addEventListener('focus', () => field.select());
    });
    window.addEventListener('storage', (event) => {
      if (event.key === QUEUE_KEY) {
        queue = loadQueue();
        render();
      }
    });
    window.addEventListener('online', () => {
      flush();
      refreshState();
    });
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') {
        refreshState();
        flush();
      }
    });
    setInterval(() => {
      if (document.visibilityState === 'visible') refreshState();
    }, POLL_MS);
    setInterval(flush, RETRY_MS);
  }

  wire();
  applyLanguage();
  refreshState().then(flush);
})();
