// The web console: a client of the public HTTP/JSON API only (protos/resolution/v1/README.md).
// No build step: plain browser JavaScript, Apache ECharts vendored under vendor/.
'use strict';
(() => {
  const $ = (sel, root = document) => root.querySelector(sel);
  const store = window.sessionStorage;
  let lang = store.getItem('rg.lang') || 'zh';
  let caller = null;        // GetCallerResponse
  let disputes = new Map(); // dispute id -> Dispute (the desk's list)
  let watchAbort = null;
  let ticker = null;
  let watchCaughtUp = false;

  const t = key => (window.RG_TEXT[lang] || window.RG_TEXT.zh)[key] || key;
  const esc = s => String(s ?? '').replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
  const yuan = m => m ? `${(Number(m.minorUnits || 0) / 100).toFixed(2)} ${esc(m.currencyCode)}` : '';
  const beijingDay = d => new Date(d.getTime() + 8 * 3600e3).toISOString().slice(0, 10);

  class ApiError extends Error {
    constructor(status, body) { super(body && body.message ? body.message : `HTTP ${status}`); this.status = status; this.body = body; }
  }

  async function api(method, path, body) {
    const headers = { Authorization: 'Bearer ' + store.getItem('rg.key') };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const r = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const json = await r.json().catch(() => ({}));
    if (!r.ok) throw new ApiError(r.status, json);
    return json;
  }

  // --- language -----------------------------------------------------------------------------
  function applyLanguage() {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    document.title = t('title');
    document.querySelectorAll('[data-i18n]').forEach(e => { e.textContent = t(e.dataset.i18n); });
    $('#lang').value = lang;
  }

  // --- sign in ------------------------------------------------------------------------------
  async function signIn(key) {
    store.setItem('rg.key', key);
    try {
      caller = await api('GET', '/v1/caller');
    } catch (e) {
      store.removeItem('rg.key');
      $('#signin-error').textContent = t('signInFailed') + e.message;
      return;
    }
    $('#signin').hidden = true;
    $('#view').hidden = false;
    $('#nav').hidden = false;
    $('#signout').hidden = false;
    $('#who').textContent = `${caller.role.replace('CREDENTIAL_ROLE_', '').toLowerCase()} ${caller.scope}`;
    $('#who').dataset.role = caller.role;
    $('#nav-desk').hidden = caller.role === 'CREDENTIAL_ROLE_ANALYST' || caller.role === 'CREDENTIAL_ROLE_CHANNEL';
    if (!location.hash || location.hash === '#/') location.hash = $('#nav-desk').hidden ? '#/dashboard' : '#/desk';
    route();
  }

  function signOut() {
    store.removeItem('rg.key');
    stopWatch();
    location.hash = '';
    location.reload();
  }

  // --- routing ------------------------------------------------------------------------------
  function route() {
    if (!caller) return;
    clearInterval(ticker);
    shown = null;
    const h = location.hash;
    document.querySelectorAll('#nav a').forEach(a => a.removeAttribute('aria-current'));
    const m = h.match(/^#\/disputes\/([^/]+)$/);
    if (m) return showDispute(decodeURIComponent(m[1]));
    if (h === '#/dashboard') { $('#nav-dashboard').setAttribute('aria-current', 'page'); return showDashboard(); }
    $('#nav-desk').setAttribute('aria-current', 'page');
    return showDesk();
  }

  // --- desk (merchant, regulator, admin) ----------------------------------------------------
  const isRegulator = () => caller.role === 'CREDENTIAL_ROLE_REGULATOR';
  const deadlineOf = d => d.status === 'DISPUTE_STATUS_AWAITING_MERCHANT' ? d.firstResponseDueTime
    : d.status === 'DISPUTE_STATUS_NEGOTIATING' ? d.negotiationDueTime : null;
  const rank = d => ({ DISPUTE_STATUS_AWAITING_MERCHANT: 0, DISPUTE_STATUS_NEGOTIATING: 1, DISPUTE_STATUS_ESCALATED: 2 }[d.status] ?? 3);

  function countdown(iso) {
    if (!iso) return '';
    const ms = new Date(iso).getTime() - Date.now();
    const s = Math.abs(Math.floor(ms / 1000));
    const text = `${Math.floor(s / 86400)}d ${String(Math.floor(s % 86400 / 3600)).padStart(2, '0')}:${String(Math.floor(s % 3600 / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
    return ms < 0 ? `<span class="overdue">${t('overdue')} ${text}</span>` : text;
  }

  async function showDesk() {
    const view = $('#view');
    const title = isRegulator() ? t('regulatorDesk') : caller.role === 'CREDENTIAL_ROLE_MERCHANT' ? t('merchantDesk') : t('allDesk');
    view.innerHTML = `<h1 id="desk-title">${esc(title)} <small id="live" aria-live="polite"></small></h1>
      <div class="card"><table class="desk-table" aria-describedby="desk-title"><thead><tr>
      <th>${t('dispute')}</th><th>${t('status')}</th><th>${t('consumer')}</th><th>${t('amount')}</th><th>${t('deadline')}</th></tr></thead>
      <tbody id="desk-rows"></tbody></table></div>
      ${isRegulator() ? `<div class="card"><h2>${t('regionStats')}</h2><div id="region-figures" class="figures"></div></div>` : ''}`;
    const query = isRegulator() ? '?pageSize=200&statuses=DISPUTE_STATUS_ESCALATED' : '?pageSize=200';
    const page = await api('GET', '/v1/disputes' + query);
    disputes = new Map((page.disputes || []).map(d => [d.disputeId, d]));
    renderDesk();
    ticker = setInterval(renderCountdowns, 1000);
    if (watchCaughtUp) $('#live').textContent = '● ' + t('live');
    startWatch();
    if (isRegulator()) {
      const to = new Date();
      const stats = await api('GET', `/v1/stats?filter.fromDate=${beijingDay(new Date(to.getTime() - 365 * 86400e3))}&filter.toDate=${beijingDay(to)}`);
      $('#region-figures').innerHTML = figuresHtml(stats.total || {});
    }
  }

  function renderDesk() {
    const rows = $('#desk-rows');
    if (!rows) return;
    const list = [...disputes.values()]
      .filter(d => !isRegulator() || d.status === 'DISPUTE_STATUS_ESCALATED')
      .sort((a, b) => rank(a) - rank(b) || (deadlineOf(a) || '').localeCompare(deadlineOf(b) || '') || (b.createTime || '').localeCompare(a.createTime || ''));
    rows.innerHTML = list.map(d => `<tr data-dispute-id="${esc(d.disputeId)}" data-status="${esc(d.status)}">
      <td><a href="#/disputes/${encodeURIComponent(d.disputeId)}">${esc(d.disputeId)}</a><br>${esc(t(d.category))}</td>
      <td><span class="status">${esc(t(d.status))}</span></td>
      <td>${esc(d.consumer && d.consumer.mobile)}</td>
      <td>${yuan(d.order && d.order.amount)}</td>
      <td class="countdown" data-deadline="${esc(deadlineOf(d) || '')}">${countdown(deadlineOf(d))}</td></tr>`).join('');
  }

  function renderCountdowns() {
    document.querySelectorAll('td.countdown').forEach(td => { td.innerHTML = countdown(td.dataset.deadline); });
  }

  // WatchDisputes over HTTP: newline-delimited JSON, resumed from the last cursor after a drop.
  function stopWatch() { if (watchAbort) watchAbort.abort(); watchAbort = null; }

  async function startWatch() {
    if (watchAbort) return;
    watchAbort = new AbortController();
    const signal = watchAbort.signal;
    let cursor = '';
    while (!signal.aborted) {
      try {
        const path = cursor ? `/v1/disputes:watch?afterCursor=${encodeURIComponent(cursor)}` : '/v1/disputes:watch?startAtNow=true';
        const r = await fetch(path, { headers: { Authorization: 'Bearer ' + store.getItem('rg.key') }, signal });
        if (!r.ok) throw new Error(`HTTP ${r.status}`);
        const reader = r.body.getReader();
        const decoder = new TextDecoder();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += decoder.decode(value, { stream: true });
          let nl;
          while ((nl = buffer.indexOf('\n')) >= 0) {
            const line = buffer.slice(0, nl).trim();
            buffer = buffer.slice(nl + 1);
            if (!line) continue;
            const msg = JSON.parse(line);
            if (msg.cursor) cursor = msg.cursor;
            if (msg.caughtUp) { watchCaughtUp = true; const l = $('#live'); if (l) l.textContent = '● ' + t('live'); }
            if (msg.event) await onEvent(msg.event);
          }
        }
      } catch (e) {
        if (signal.aborted) return;
      }
      await new Promise(res => setTimeout(res, 1000));
    }
  }

  async function onEvent(ev) {
    try {
      const d = (await api('GET', `/v1/disputes/${encodeURIComponent(ev.disputeId)}`)).dispute;
      disputes.set(d.disputeId, d);
    } catch (e) { return; }
    renderDesk();
    const m = location.hash.match(/^#\/disputes\/([^/]+)$/);
    if (m && decodeURIComponent(m[1]) === ev.disputeId) showDispute(ev.disputeId);
  }

  // --- one dispute --------------------------------------------------------------------------
  function eventText(e) {
    const kind = Object.keys(e).find(k => !['disputeId', 'seq', 'occurTime', 'actor', 'statusAfter'].includes(k)) || '';
    const detail = e[kind] || {};
    const parts = [kind];
    if (detail.text) parts.push(esc(detail.text));
    if (detail.offer) parts.push(esc(t(detail.offer.remedy)) + ' ' + yuan(detail.offer.amount));
    if (detail.outcome) parts.push(esc(detail.outcome));
    if (detail.evidence && detail.evidence.length) parts.push(detail.evidence.map(x => `<a href="${esc(x.uri)}" rel="noreferrer">${esc(x.uri)}</a>`).join(' '));
    return parts.join(' · ');
  }

  // What the dispute page shows; a new event with the same status redraws only the timeline, so a
  // form being filled in is never wiped by a live update.
  let shown = null;
  const timelineHtml = events => (events || []).map(e => `<li data-seq="${esc(e.seq)}"><time>${esc(new Date(e.occurTime).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en'))}</time> · ${esc(((e.actor && e.actor.role) || '').replace('ACTOR_ROLE_', '').toLowerCase())} · ${eventText(e)} → <span class="status">${esc(t(e.statusAfter))}</span></li>`).join('');

  async function showDispute(id) {
    const [{ dispute: d }, { events }] = await Promise.all([
      api('GET', `/v1/disputes/${encodeURIComponent(id)}`),
      api('GET', `/v1/disputes/${encodeURIComponent(id)}/events?pageSize=500`),
    ]);
    disputes.set(d.disputeId, d);
    const seq = Number(d.lastSeq || 0);
    if (shown && shown.id === id && shown.status === d.status && $('#dispute') && location.hash === shown.hash) {
      if (seq > shown.seq) { shown.seq = seq; $('#timeline').innerHTML = timelineHtml(events); }
      return;
    }
    shown = { id, status: d.status, seq, hash: location.hash };
    const open = ['DISPUTE_STATUS_AWAITING_MERCHANT', 'DISPUTE_STATUS_NEGOTIATING'].includes(d.status);
    const merchant = caller.role === 'CREDENTIAL_ROLE_MERCHANT';
    const remedies = ['REMEDY_FULL_REFUND', 'REMEDY_PARTIAL_REFUND', 'REMEDY_RETURN_AND_REFUND', 'REMEDY_EXCHANGE', 'REMEDY_REPAIR', 'REMEDY_COMPENSATION', 'REMEDY_APOLOGY', 'REMEDY_OTHER'];
    $('#view').innerHTML = `<p><a href="#/desk">← ${t('back')}</a></p>
      <div class="card" id="dispute" data-dispute-id="${esc(d.disputeId)}" data-status="${esc(d.status)}">
        <h1>${t('dispute')} ${esc(d.disputeId)} <span class="status" id="dispute-status">${esc(t(d.status))}</span></h1>
        <p>${t('consumer')}: <span id="consumer-mobile">${esc(d.consumer && d.consumer.mobile)}</span> · ${t('order')}: ${esc(d.order && d.order.channelOrderId)} · ${yuan(d.order && d.order.amount)}</p>
        <p>${t('demand')}: ${esc(t(d.demand && d.demand.remedy))} ${yuan(d.demand && d.demand.amount)} · ${t('deadline')}: <span class="countdown" data-deadline="${esc(deadlineOf(d) || '')}">${countdown(deadlineOf(d))}</span></p>
        <p>${t('description')}: ${esc(d.description)}</p>
        <h2>${t('timeline')}</h2>
        <ol class="timeline" id="timeline">${timelineHtml(events)}</ol>
      </div>
      <div class="actions">
        ${(merchant && open) || (isRegulator() && d.status === 'DISPUTE_STATUS_ESCALATED') ? `<form class="card" id="reply-form"><h2>${merchant ? t('reply') : t('postMessage')}</h2>
          <label for="reply-text">${t('text')}</label><textarea id="reply-text" required rows="3"></textarea>
          <fieldset><legend>${t('evidence')}</legend>
          <label for="reply-evidence">${t('evidenceUri')}</label><input id="reply-evidence" type="url">
          <label for="reply-sha256">SHA-256</label><input id="reply-sha256" pattern="[0-9a-f]{64}">
          <label for="reply-type">${t('contentType')}</label><input id="reply-type" placeholder="image/jpeg">
          <label for="reply-size">${t('sizeBytes')}</label><input id="reply-size" type="number" min="1"></fieldset>
          <button type="submit">${t('send')}</button></form>` : ''}
        ${merchant && open ? `<form class="card" id="offer-form"><h2>${t('makeOffer')}</h2>
          <label for="offer-remedy">${t('remedy')}</label><select id="offer-remedy">${remedies.map(r => `<option value="${r}">${esc(t(r))}</option>`).join('')}</select>
          <label for="offer-amount">${t('amountYuan')}</label><input id="offer-amount" type="number" min="0" step="0.01">
          <label for="offer-note">${t('note')}</label><input id="offer-note">
          <button type="submit">${t('offer')}</button></form>
          <form class="card" id="accept-form"><h2>${t('acceptDemand')}</h2><button type="submit" id="accept-demand">${t('acceptDemandButton')}</button></form>` : ''}
        ${isRegulator() && d.status === 'DISPUTE_STATUS_ESCALATED' ? `<form class="card" id="outcome-form"><h2>${t('recordOutcome')}</h2>
          <label for="outcome">${t('outcome')}</label><select id="outcome"><option value="OUTCOME_RESOLVED_BY_MEDIATION">${t('OUTCOME_RESOLVED_BY_MEDIATION')}</option><option value="OUTCOME_UNRESOLVED">${t('OUTCOME_UNRESOLVED')}</option></select>
          <label for="outcome-note">${t('note')}</label><input id="outcome-note">
          <button type="submit">${t('record')}</button></form>` : ''}
      </div>
      <p id="action-error" role="alert"></p>`;
    clearInterval(ticker);
    ticker = setInterval(renderCountdowns, 1000);
    const act = (form, call) => { const f = $(form); if (f) f.addEventListener('submit', async ev => {
      ev.preventDefault();
      try { await call(); $('#action-error').textContent = ''; await showDispute(id); } catch (e) { $('#action-error').textContent = e.message; }
    }); };
    const requestId = () => (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random());
    act('#reply-form', () => {
      const uri = $('#reply-evidence').value.trim();
      const evidence = uri ? [{ uri, sha256: $('#reply-sha256').value.trim(), contentType: $('#reply-type').value.trim(), sizeBytes: $('#reply-size').value || '0' }] : [];
      return api('POST', `/v1/disputes/${encodeURIComponent(id)}/messages`, { requestId: requestId(), text: $('#reply-text').value, evidence });
    });
    act('#offer-form', () => {
      const amount = $('#offer-amount').value;
      const body = { requestId: requestId(), remedy: $('#offer-remedy').value, note: $('#offer-note').value };
      if (amount) body.amount = { currencyCode: (d.order && d.order.amount && d.order.amount.currencyCode) || 'CNY', minorUnits: String(Math.round(Number(amount) * 100)) };
      return api('POST', `/v1/disputes/${encodeURIComponent(id)}:makeOffer`, body);
    });
    act('#accept-form', () => api('POST', `/v1/disputes/${encodeURIComponent(id)}:acceptDemand`, { requestId: requestId() }));
    act('#outcome-form', () => {
      const outcome = $('#outcome').value;
      const body = { requestId: requestId(), outcome, note: $('#outcome-note').value };
      if (outcome === 'OUTCOME_RESOLVED_BY_MEDIATION') body.settlement = { remedy: (d.demand && d.demand.remedy) || 'REMEDY_OTHER', amount: d.demand && d.demand.amount };
      return api('POST', `/v1/disputes/${encodeURIComponent(id)}:recordMediationOutcome`, body);
    });
    startWatch();
  }

  // --- dashboard ----------------------------------------------------------------------------
  const FIGURES = [
    ['opened', v => String(v || 0)],
    ['negotiationSettlementRate', v => `${((v || 0) * 100).toFixed(1)}%`],
    ['resolutionRate', v => `${((v || 0) * 100).toFixed(1)}%`],
    ['onTimeFirstResponseRate', v => `${((v || 0) * 100).toFixed(1)}%`],
    ['timeToCloseP50Seconds', v => `${((v || 0) / 3600).toFixed(1)} h`],
    ['timeToCloseP90Seconds', v => `${((v || 0) / 3600).toFixed(1)} h`],
    ['agreedAmountFen', v => `¥${(Number(v || 0) / 100).toFixed(2)}`],
    ['averageSatisfaction', v => (v || 0).toFixed(2)],
    ['caseAcceptanceRate', v => `${((v || 0) * 100).toFixed(1)}%`],
    ['mediationOnTimeRate', v => `${((v || 0) * 100).toFixed(1)}%`],
    ['acceptedMediationSuccessRate', v => `${((v || 0) * 100).toFixed(1)}%`],
    ['settlementOnTimeRate', v => `${((v || 0) * 100).toFixed(1)}%`],
    ['reopenRate', v => `${((v || 0) * 100).toFixed(1)}%`],
  ];
  const figuresHtml = total => FIGURES.map(([k, f]) =>
    `<div class="figure" data-figure="${k}" data-value="${esc(total[k] ?? 0)}"><span>${t(k)}</span><b>${f(total[k])}</b></div>`).join('');

  async function showDashboard() {
    const to = new Date();
    const from = new Date(to.getTime() - 30 * 86400e3);
    const categories = Object.keys(window.RG_TEXT.en).filter(k => k.startsWith('CATEGORY_'));
    $('#view').innerHTML = `<h1>${t('dashboard')}</h1>
      <form class="card filters" id="filters" aria-label="${t('filters')}">
        <div><label for="f-from">${t('fromDate')}</label><input id="f-from" type="date" value="${beijingDay(from)}" required></div>
        <div><label for="f-to">${t('toDate')}</label><input id="f-to" type="date" value="${beijingDay(to)}" required></div>
        <div><label for="f-region">${t('regionPrefix')}</label><input id="f-region" inputmode="numeric" value=""></div>
        <div><label for="f-merchant">${t('merchantId')}</label><input id="f-merchant" value=""></div>
        <div><label for="f-category">${t('category')}</label><select id="f-category"><option value="">${t('any')}</option>${categories.map(c => `<option value="${c}">${esc(t(c))}</option>`).join('')}</select></div>
        <button type="submit" id="f-apply">${t('apply')}</button>
        <a href="#" id="csv" download="resolution-stats.csv">${t('downloadCsv')}</a>
      </form>
      <div id="figures" class="figures card" aria-live="polite"></div>
      <p id="dash-error" role="alert"></p>
      <div class="charts">
        <div><h2>${t('byRegion')}</h2><div class="chart" id="chart-region" role="img" aria-label="${t('byRegion')}"></div></div>
        <div><h2>${t('byCategory')}</h2><div class="chart" id="chart-category" role="img" aria-label="${t('byCategory')}"></div></div>
        <div><h2>${t('byMonth')}</h2><div class="chart" id="chart-month" role="img" aria-label="${t('byMonth')}"></div></div>
      </div>`;
    $('#filters').addEventListener('submit', ev => { ev.preventDefault(); loadDashboard(); });
    await loadDashboard();
  }

  function filterQuery() {
    const q = new URLSearchParams();
    q.set('filter.fromDate', $('#f-from').value);
    q.set('filter.toDate', $('#f-to').value);
    if ($('#f-region').value) q.set('filter.regionPrefix', $('#f-region').value);
    if ($('#f-merchant').value) q.set('filter.merchantId', $('#f-merchant').value);
    if ($('#f-category').value) q.set('filter.category', $('#f-category').value);
    return q;
  }

  async function loadDashboard() {
    const q = filterQuery();
    const get = g => { const x = new URLSearchParams(q); if (g) x.append('groupBy', g); if (g === 'GROUP_BY_REGION') x.set('regionLevel', '2'); return api('GET', '/v1/stats?' + x); };
    let total, byRegion, byCategory, byMonth;
    try {
      [total, byRegion, byCategory, byMonth] = await Promise.all([get(null), get('GROUP_BY_REGION'), get('GROUP_BY_CATEGORY'), get('GROUP_BY_MONTH')]);
    } catch (e) {
      $('#dash-error').textContent = e.message;
      return;
    }
    $('#dash-error').textContent = '';
    const figures = $('#figures');
    figures.innerHTML = figuresHtml(total.total || {});
    figures.dataset.loaded = q.toString();
    const chart = (el, rows, label) => {
      if (!window.echarts) return;
      const c = window.echarts.getInstanceByDom($(el)) || window.echarts.init($(el));
      const keys = (rows || []).map(r => label((r.keys || [])[0] || {}));
      c.setOption({
        tooltip: {}, legend: { data: [t('opened'), t('resolutionRate')] },
        xAxis: { type: 'category', data: keys }, yAxis: [{ type: 'value' }, { type: 'value', max: 1 }],
        series: [{ name: t('opened'), type: 'bar', data: rows.map(r => Number(r.opened || 0)) },
          { name: t('resolutionRate'), type: 'line', yAxisIndex: 1, data: rows.map(r => r.resolutionRate || 0) }],
      }, true);
    };
    chart('#chart-region', byRegion.rows || [], k => k.value);
    chart('#chart-category', byCategory.rows || [], k => t(k.value));
    chart('#chart-month', byMonth.rows || [], k => k.value);
    // CSV of the three groupings and the total, one row each, the figures as the API gives them.
    const cols = ['opened', 'resolvedByNegotiation', 'resolvedByMediation', 'unresolved', 'withdrawn', 'escalated', ...FIGURES.map(f => f[0]).filter(k => k !== 'opened')];
    const line = (dim, value, r) => [dim, value, ...cols.map(c => r[c] ?? 0)].map(v => `"${String(v).replace(/"/g, '""')}"`).join(',');
    const csv = [['dimension', 'value', ...cols].join(','), line('total', '', total.total || {}),
      ...[byRegion, byCategory, byMonth].flatMap(s => (s.rows || []).map(r => line(((r.keys || [])[0] || {}).dimension, ((r.keys || [])[0] || {}).value, r)))].join('\n');
    const a = $('#csv');
    if (a.href.startsWith('blob:')) URL.revokeObjectURL(a.href);
    a.href = URL.createObjectURL(new Blob(['\ufeff' + csv], { type: 'text/csv' }));
  }

  // --- start ----------------------------------------------------------------------------------
  $('#lang').addEventListener('change', () => { lang = $('#lang').value; store.setItem('rg.lang', lang); applyLanguage(); route(); });
  $('#signin').addEventListener('submit', ev => { ev.preventDefault(); signIn($('#apikey').value.trim()); });
  $('#signout').addEventListener('click', signOut);
  window.addEventListener('hashchange', route);
  applyLanguage();
  if (store.getItem('rg.key')) signIn(store.getItem('rg.key'));
})();
