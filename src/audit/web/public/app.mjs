/**
 * The regulators' audit page: sign in with an institution's key (kept in the browser), then read
 * the audit trail the service scopes to that institution, and check it here. Views are routed by
 * the URL fragment (#/timeline, #/event/42, ...) so Back and links work without a server round trip.
 */
import { Api, ApiError } from './api.mjs';
import { ACTION_TYPES, loadActions, loadFlows, loadSupply } from './data.mjs';
import { h, replace, s } from './dom.mjs';
import { money } from './money.mjs';
import { verifyEvent } from './proof.mjs';
import { keyFromBase64url, publicKeyOf } from './signer.mjs';

const STORED_KEY = 'yuanbridge.audit.key';

/** Event types offered in the timeline's type filter (any other can be typed in). */
const KNOWN_TYPES = [
  'PaymentReceived',
  'PaymentScreened',
  'PaymentQueued',
  'PaymentSettled',
  ...ACTION_TYPES,
  'CbdcIssued',
  'CbdcRedeemed',
  'IssuanceRequested',
  'SupplyCapSet',
  'DomesticTransferSettled',
  'CorridorOpened',
  'CorridorOutflowRecorded',
  'InstitutionRegistered',
  'InstitutionKeyRotated',
  'RateSheetPublished',
  'WalletOpened',
  'TransferCreated',
];

const FILTERS = [
  'type',
  'institution',
  'corridor',
  'paymentId',
  'from',
  'to',
  'fromPosition',
  'toPosition',
  'order',
];

const state = {
  /** @type {Api | null} */
  api: null,
  me: null,
  nodeKey: null,
  jurisdictions: null,
  /** Cursors of the timeline pages before the current one, for "Previous". */
  cursors: [],
  /** Counts routings: only the latest one's view may draw. */
  routed: 0,
};

const $ = (id) => document.getElementById(id);
const view = () => $('view');

// ---- signing in ---------------------------------------------------------------------------------

async function signIn(keyId, secretKeyText, remember) {
  const secretKey = keyFromBase64url(secretKeyText, 'the secret key');
  const api = new Api({ keyId: keyId.trim(), secretKey });
  const me = await api.get('/v1/me');
  state.api = api;
  state.me = me;
  if (remember)
    sessionStorage.setItem(
      STORED_KEY,
      JSON.stringify({ keyId: keyId.trim(), secretKey: secretKeyText.trim() }),
    );
  else sessionStorage.removeItem(STORED_KEY);
  showSignedIn(publicKeyOf(secretKey));
}

function signOut() {
  sessionStorage.removeItem(STORED_KEY);
  state.api = null;
  state.me = null;
  state.cursors = [];
  $('nav').hidden = true;
  replace($('who'));
  replace(view());
  $('signin').hidden = false;
  $('secret-key').value = '';
}

function showSignedIn(publicKey) {
  const { institution, signature } = state.me;
  $('signin').hidden = true;
  $('nav').hidden = false;
  replace(
    $('who'),
    h(
      'span',
      { id: 'who-name', title: `key ${signature.keyId}, public key ${publicKey}` },
      h('strong', {}, institution.id),
      ` · ${institution.kind.replace('_', ' ')}`,
      institution.jurisdiction ? ` · ${institution.jurisdiction}` : '',
    ),
    h('button', { type: 'button', class: 'link', onclick: signOut }, 'Sign out'),
  );
  route();
}

function setUpSignInForm() {
  const form = $('signin-form');
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    replace($('signin-error'));
    $('signin-button').disabled = true;
    try {
      await signIn($('key-id').value, $('secret-key').value, $('remember').checked);
    } catch (error) {
      replace($('signin-error'), describeError(error));
    } finally {
      $('signin-button').disabled = false;
    }
  });
  // A keys file (as `yuanbridge` writes it) holds many institutions' keys: the chosen entry is
  // copied into the form, the file itself is not kept.
  let entries = {};
  $('keys-file').addEventListener('change', async (e) => {
    const file = e.target.files?.[0];
    if (file === undefined) return;
    try {
      entries = JSON.parse(await file.text()).institutions ?? {};
    } catch {
      entries = {};
      replace($('signin-error'), 'That file is not a keys file (JSON with "institutions").');
    }
    const select = $('keys-entry');
    const ids = Object.keys(entries).sort(
      (a, b) => Number(!a.startsWith('REG-')) - Number(!b.startsWith('REG-')),
    );
    replace(
      select,
      h('option', { value: '' }, 'Choose…'),
      ...ids.map((id) => h('option', { value: id }, id)),
    );
    select.disabled = ids.length === 0;
  });
  $('keys-entry').addEventListener('change', (e) => {
    const entry = entries[e.target.value];
    if (entry === undefined) return;
    $('key-id').value = entry.keyId;
    $('secret-key').value = entry.secretKey;
  });
}

function describeError(error) {
  if (error instanceof ApiError) {
    const code = error.problem?.code ? `${error.problem.code}: ` : '';
    return `${error.status} ${code}${error.message}`;
  }
  return error?.message ?? String(error);
}

// ---- routing ----------------------------------------------------------------------------------

function route() {
  if (state.api === null) return;
  const [path, query = ''] = window.location.hash.replace(/^#\/?/, '').split('?');
  const [name, arg] = path.split('/');
  const params = new URLSearchParams(query);
  for (const a of document.querySelectorAll('#nav a')) {
    a.classList.toggle('active', a.dataset.view === (name === 'event' ? 'timeline' : name || 'timeline'));
  }
  // A view fetches before it draws: one that finishes after the reader has moved on (the
  // timeline still loading when an event is opened) must not replace the newer view.
  const ticket = ++state.routed;
  const out = () => (ticket === state.routed ? view() : document.createElement('section'));
  const render =
    {
      event: () => renderEvent(arg, out),
      verify: () => renderVerify(out),
      supply: () => renderSupply(params, out),
      flows: () => renderFlows(params, out),
      actions: () => renderActions(out),
    }[name] ?? (() => renderTimeline(params, out));
  render().catch((error) => replace(out(), h('p', { class: 'error', role: 'alert' }, describeError(error))));
}

const loading = (what) => replace(view(), h('p', { class: 'muted' }, `Loading ${what}…`));

async function nodeKey() {
  state.nodeKey ??= await Api.getPublic('/v1/node-key');
  return state.nodeKey;
}

async function homeJurisdiction(params) {
  state.jurisdictions ??= (await state.api.get('/v1/jurisdictions')).jurisdictions;
  const code =
    state.me.institution.jurisdiction ?? params.get('jurisdiction') ?? state.jurisdictions[0]?.code;
  return state.jurisdictions.find((j) => j.code === code) ?? null;
}

// ---- timeline -----------------------------------------------------------------------------------

function summary(event) {
  const d = event.data ?? {};
  switch (event.type) {
    case 'PaymentSettled':
      return `${money(d.sell.amountMinor, d.sell.currency)} → ${money(d.buy.amountMinor, d.buy.currency)}`;
    case 'PaymentReceived':
      return d.payment ? `${d.payment.payer?.bank} → ${d.payment.payee?.bank}` : '';
    case 'CbdcIssued':
    case 'CbdcRedeemed':
      return `${money(d.amount, d.currency)} · ${d.bankId}`;
    case 'PaymentRejected':
      return `${d.code}: ${d.detail}`;
    default:
      return d.reason ?? '';
  }
}

/** An ISO time as a datetime-local input's value (this browser's time zone), '' for none. */
function localTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 19);
}

function filterForm(params) {
  const field = (name, label, attributes = {}) =>
    h(
      'label',
      {},
      label,
      h('input', { id: `f-${name}`, name, value: params.get(name) ?? '', ...attributes }),
    );
  const time = (name, label) =>
    h(
      'label',
      {},
      label,
      h('input', {
        id: `f-${name}`,
        name,
        type: 'datetime-local',
        step: 1,
        value: localTime(params.get(name)),
      }),
    );
  const form = h(
    'form',
    { id: 'filters', class: 'filters' },
    field('type', 'Type', { list: 'event-types', placeholder: 'PaymentSettled,WalletFrozen' }),
    h(
      'datalist',
      { id: 'event-types' },
      KNOWN_TYPES.map((t) => h('option', { value: t })),
    ),
    field('institution', 'Institution', { placeholder: 'SILKCNBJ' }),
    field('corridor', 'Corridor', { placeholder: 'CN-HK' }),
    field('paymentId', 'Payment id', { placeholder: 'uuid', size: 36 }),
    time('from', 'From (local time)'),
    time('to', 'To (local time)'),
    field('fromPosition', 'From position', { inputmode: 'numeric', size: 8 }),
    field('toPosition', 'To position', { inputmode: 'numeric', size: 8 }),
    h(
      'label',
      {},
      'Order',
      h(
        'select',
        { id: 'f-order', name: 'order' },
        h('option', { value: 'desc', selected: params.get('order') !== 'asc' }, 'newest first'),
        h('option', { value: 'asc', selected: params.get('order') === 'asc' }, 'oldest first'),
      ),
    ),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit', id: 'apply-filters' }, 'Apply'),
      h('a', { href: '#/timeline' }, 'Clear'),
    ),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const next = new URLSearchParams();
    for (const name of FILTERS) {
      let value = form.elements[name].value.trim();
      if ((name === 'from' || name === 'to') && value !== '') value = new Date(value).toISOString();
      if (value !== '') next.set(name, value);
    }
    state.cursors = [];
    window.location.hash = `#/timeline?${next}`;
  });
  return form;
}

async function renderTimeline(params, out) {
  loading('events');
  const query = Object.fromEntries(FILTERS.map((n) => [n, params.get(n)]));
  query.order ??= 'desc';
  const after = params.get('after');
  const page = await state.api.get('/v1/audit/events', { ...query, after, limit: 50 });
  const pageTo = (cursor) => {
    const next = new URLSearchParams(params);
    if (cursor === null) next.delete('after');
    else next.set('after', cursor);
    window.location.hash = `#/timeline?${next}`;
  };
  const rows = page.items.map((event) =>
    h(
      'tr',
      { 'data-position': event.position },
      h('td', { class: 'num' }, h('a', { href: `#/event/${event.position}` }, event.position)),
      h('td', { class: 'time' }, event.recordedAt.replace('T', ' ')),
      h('td', {}, h('span', { class: `type t-${event.type}` }, event.type)),
      h('td', { class: 'mono' }, event.streamId),
      h('td', {}, event.institutions.join(', ')),
      h('td', {}, summary(event)),
    ),
  );
  replace(
    out(),
    h('h2', {}, 'Timeline'),
    filterForm(params),
    exportControl(query),
    page.items.length === 0
      ? h('p', { class: 'muted', id: 'timeline-empty' }, 'No event you may read matches these filters.')
      : h(
          'table',
          { id: 'timeline', class: 'grid' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ['Position', 'Recorded (UTC)', 'Type', 'Stream', 'Institutions', 'Summary'].map((t) =>
                h('th', {}, t),
              ),
            ),
          ),
          h('tbody', {}, rows),
        ),
    h(
      'div',
      { class: 'pager' },
      h(
        'button',
        {
          type: 'button',
          id: 'page-previous',
          disabled: after === null,
          onclick: () => pageTo(state.cursors.pop() ?? null),
        },
        '← Previous',
      ),
      h(
        'span',
        { class: 'muted' },
        `${page.items.length} event${page.items.length === 1 ? '' : 's'} on this page`,
      ),
      h(
        'button',
        {
          type: 'button',
          id: 'page-next',
          disabled: page.nextCursor === null,
          onclick: () => {
            state.cursors.push(after);
            pageTo(page.nextCursor);
          },
        },
        'Next →',
      ),
    ),
  );
}

/**
 * "Export": every event the applied filters select (not only this page), with the checkpoints
 * covering them, as the service writes it (GET /v1/audit/export), fetched with a request signed
 * here like every other and handed to the browser as a file.
 */
function exportControl(query) {
  const filters = Object.fromEntries(Object.entries(query).filter(([name]) => name !== 'order'));
  const format = h(
    'select',
    { id: 'export-format', name: 'format' },
    h('option', { value: 'jsonl' }, 'JSON Lines'),
    h('option', { value: 'csv' }, 'CSV'),
  );
  const status = h('span', { id: 'export-status', class: 'muted', role: 'status' });
  const button = h('button', { type: 'button', id: 'export' }, 'Export');
  button.addEventListener('click', async () => {
    button.disabled = true;
    replace(status, 'Exporting…');
    try {
      const { blob, name } = await state.api.download(
        '/v1/audit/export',
        { ...filters, format: format.value },
        `audit.${format.value}`,
      );
      const href = URL.createObjectURL(blob);
      const link = h('a', { href, download: name, hidden: true });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(href), 60_000);
      replace(status, `${name} (${blob.size.toLocaleString('en')} bytes), with its checkpoints`);
      status.className = 'muted';
    } catch (error) {
      replace(status, describeError(error));
      status.className = 'error';
    } finally {
      button.disabled = false;
    }
  });
  return h(
    'div',
    { class: 'export', id: 'export-control' },
    h('label', { class: 'inline' }, 'Export the events these filters select, as ', format),
    button,
    status,
  );
}

// ---- one event, verified here ---------------------------------------------------------------

function definitionList(pairs) {
  return h(
    'dl',
    { class: 'pairs' },
    pairs.filter(([, v]) => v !== undefined).flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]),
  );
}

async function renderEvent(position, out) {
  loading(`event ${position}`);
  const [event, key] = await Promise.all([
    state.api.get(`/v1/audit/events/${encodeURIComponent(position)}`),
    nodeKey(),
  ]);
  const result = verifyEvent(event, key);
  // What is shown is the stored text the hash covers, not a separate rendering of it: what you
  // read is what was checked.
  let data;
  try {
    data = JSON.stringify(JSON.parse(event.encoded.data), null, 2);
  } catch {
    data = event.encoded.data;
  }
  const failed = result.checks.filter((c) => !c.ok).map((c) => c.label[0].toLowerCase() + c.label.slice(1));
  const proof = event.proof;
  replace(
    out(),
    h('p', {}, h('a', { href: '#/timeline', onclick: back }, '← Back')),
    h('h2', {}, `Event ${event.position} · ${event.type}`),
    h(
      'div',
      { id: 'verdict', class: result.ok ? 'verdict ok' : 'verdict fail', role: 'status' },
      result.ok
        ? h('strong', {}, '✓ verified')
        : h('strong', {}, `✗ verification failed: ${failed.join(', ')}`),
      h('span', {}, result.ok ? ' — checked in this browser against the node’s signed checkpoint' : ''),
    ),
    h(
      'ul',
      { id: 'checks', class: 'checks' },
      result.checks.map((c) =>
        h(
          'li',
          { class: c.ok ? 'ok' : 'fail', 'data-check': c.id },
          h('span', { class: 'mark' }, c.ok ? '✓' : '✗'),
          h('strong', {}, c.label),
          ' — ',
          c.detail,
        ),
      ),
    ),
    h(
      'div',
      { class: 'columns' },
      h(
        'section',
        { class: 'card' },
        h('h3', {}, 'Event'),
        definitionList([
          ['Position', event.position],
          ['Recorded (UTC)', event.recordedAt],
          ['Stream', `${event.streamId} (version ${event.streamVersion})`],
          ['Institutions', event.institutions.join(', ')],
          ['Jurisdictions', event.jurisdictions.join(', ')],
          ['Authorised by', event.authorisedBy.actor ?? '—'],
          ['With key', event.authorisedBy.keyId ?? '—'],
          [
            'Payment',
            event.data?.paymentId
              ? h(
                  'a',
                  { href: `#/timeline?paymentId=${event.data.paymentId}&order=asc` },
                  event.data.paymentId,
                )
              : undefined,
          ],
        ]),
        h('h3', {}, 'Data (the stored text, as hashed)'),
        h('pre', { id: 'event-data' }, data),
        event.authorisedBy.signatureInput
          ? [
              h('h3', {}, 'Signature on the request that caused it'),
              h(
                'pre',
                { class: 'wrap' },
                `Signature-Input: ${event.authorisedBy.signatureInput}\nSignature: ${event.authorisedBy.signature}`,
              ),
            ]
          : null,
      ),
      h(
        'section',
        { class: 'card' },
        h('h3', {}, 'Proof'),
        definitionList([
          ['Hash', h('code', {}, event.hash)],
          ['Chain', h('code', {}, event.chain)],
          ['Previous chain', proof ? h('code', {}, proof.previousChain) : '—'],
          ['Leaf', proof ? `${proof.leafIndex} of ${proof.treeSize}` : '—'],
          [
            'Audit path',
            proof
              ? h(
                  'ol',
                  { start: 1 },
                  proof.path.map((p) => h('li', {}, h('code', {}, p))),
                )
              : '—',
          ],
        ]),
        proof
          ? [
              h('h3', {}, 'Checkpoint'),
              definitionList([
                ['Covers', `positions ${proof.checkpoint.from} (exclusive) to ${proof.checkpoint.to}`],
                ['Merkle root', h('code', {}, proof.checkpoint.merkleRoot)],
                ['Chain head', h('code', {}, proof.checkpoint.chainHead)],
                ['Sealed (UTC)', proof.checkpoint.recordedAt],
                ['Signed by', `${proof.checkpoint.keyId} (node key ${key.publicKey})`],
                ['Signature', h('code', { class: 'wrap' }, proof.checkpoint.signature)],
              ]),
            ]
          : null,
      ),
    ),
  );
}

function back(e) {
  e.preventDefault();
  if (window.history.length > 1) window.history.back();
  else window.location.hash = '#/timeline';
}

// ---- the whole log --------------------------------------------------------------------------

async function renderVerify(out) {
  const result = h('div', { id: 'verify-result', role: 'status' });
  const button = h('button', { type: 'button', id: 'verify-log' }, 'Verify the whole log');
  button.addEventListener('click', async () => {
    button.disabled = true;
    replace(result, h('p', { class: 'muted' }, 'Re-hashing the log…'));
    try {
      const report = await state.api.get('/v1/audit/verify');
      const counts = `${report.eventsChecked} events re-hashed and chained, ${report.checkpointsChecked} checkpoint signatures checked, head at position ${report.head} (${report.durationMs} ms).`;
      if (report.ok) {
        replace(
          result,
          h('div', { class: 'verdict ok' }, h('strong', {}, '✓ OK — the log verifies'), h('p', {}, counts)),
        );
      } else {
        const b = report.firstBreak;
        replace(
          result,
          h(
            'div',
            { class: 'verdict fail' },
            h('strong', { id: 'break-summary' }, `✗ Break at position ${b.position}: ${b.kind}`),
            h('p', { id: 'break-detail' }, b.detail),
            h(
              'p',
              {},
              h('a', { href: `#/event/${b.position}` }, `Open event ${b.position}`),
              ' (if it is in your scope)',
            ),
            h('p', { class: 'muted' }, counts),
          ),
        );
      }
    } catch (error) {
      replace(result, h('p', { class: 'error' }, describeError(error)));
    } finally {
      button.disabled = false;
    }
  });
  replace(
    out(),
    h('h2', {}, 'Verify the whole log'),
    h(
      'p',
      { class: 'muted' },
      'The service re-hashes every event of the log (not only those you may read), checks each chain link and every checkpoint’s signature, and names the first break: altered, deleted, inserted or reordered rows, a bad signature, a missing checkpoint. It reports positions and kinds only, never content.',
    ),
    button,
    result,
  );
}

// ---- supply ---------------------------------------------------------------------------------

async function renderSupply(params, out) {
  loading('supply');
  const home = await homeJurisdiction(params);
  if (home === null) throw new Error('No jurisdiction to show.');
  const asOf = params.get('asOf') ?? '';
  const supply = await loadSupply(state.api, home.currency, asOf === '' ? undefined : asOf);
  const m = (minor) => money(minor, home.currency);
  const form = h(
    'form',
    { class: 'filters', id: 'supply-form' },
    h(
      'label',
      {},
      'As of position',
      h('input', { name: 'asOf', id: 'as-of', value: asOf, inputmode: 'numeric', placeholder: 'now' }),
    ),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit', id: 'supply-show' }, 'Show'),
      asOf === '' ? null : h('a', { href: '#/supply' }, 'Now'),
    ),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const value = form.elements.asOf.value.trim();
    window.location.hash = value === '' ? '#/supply' : `#/supply?asOf=${encodeURIComponent(value)}`;
  });
  const agrees = supply.outstanding === supply.ledgerSupply;
  const when = asOf === '' ? `now (position ${supply.asOf}, the head)` : `as of position ${supply.asOf}`;
  replace(
    out(),
    h('h2', {}, `Supply of ${home.currency} (${home.name})`),
    form,
    h('p', { id: 'supply-as-of' }, `Recomputed from the log ${when}.`),
    h(
      'div',
      { class: 'tiles', id: 'supply-tiles' },
      tile('Issued', m(supply.issued)),
      tile('Redeemed', m(supply.redeemed)),
      tile('Outstanding', m(supply.outstanding), 'supply-outstanding'),
    ),
    h(
      'p',
      { class: agrees ? 'ok' : 'error', id: 'supply-agreement' },
      agrees
        ? `✓ Outstanding (issued − redeemed, ${m(supply.outstanding)}) equals what the ledger’s CBDC issuance accounts owe (${m(supply.ledgerSupply)}).`
        : `✗ Outstanding (issued − redeemed) is ${m(supply.outstanding)}, but the ledger’s CBDC issuance accounts owe ${m(supply.ledgerSupply)}.`,
    ),
    h('h3', {}, `Held by each bank’s wallets, ${when}`),
    supply.holdings.length === 0
      ? h('p', { class: 'muted' }, 'No wallet in this currency yet.')
      : table(
          ['Bank', 'Bank wallets', 'Customer wallets', 'Total', 'Accounts'],
          supply.holdings.map((b) => [
            b.bank,
            m(b.bankWallets),
            m(b.customerWallets),
            m(b.total),
            String(b.accounts),
          ]),
          'supply-holdings',
        ),
    h('h3', {}, 'The platform’s own accounts'),
    table(
      ['Code', 'Account', 'Accounts', 'Balance'],
      supply.byAccountCode.map((a) => [String(a.code), a.name, String(a.accounts), m(a.balance)]),
      'supply-accounts',
    ),
    h(
      'p',
      { class: 'muted' },
      'Balances are posted ledger transfers (TransferCreated events) up to the position; credits are positive. Every account together sums to zero (double entry).',
    ),
  );
}

function tile(label, value, id) {
  return h('div', { class: 'tile', id }, h('span', { class: 'muted' }, label), h('strong', {}, value));
}

function table(headings, rows, id) {
  return h(
    'table',
    { class: 'grid', id },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        headings.map((t) => h('th', {}, t)),
      ),
    ),
    h(
      'tbody',
      {},
      rows.map((r) =>
        h(
          'tr',
          {},
          r.map((c) => h('td', {}, c)),
        ),
      ),
    ),
  );
}

// ---- flows ----------------------------------------------------------------------------------

async function renderFlows(params, out) {
  loading('flows');
  const home = await homeJurisdiction(params);
  if (home === null) throw new Error('No jurisdiction to show.');
  const range = { from: params.get('from') ?? undefined, to: params.get('to') ?? undefined };
  const corridors = await loadFlows(state.api, home, range);
  const side = (flow) => {
    if (flow.payments === 0) return '—';
    const other = flow.other.map((o) => money(o.minor, o.currency)).join(' + ');
    return `${money(flow.homeMinor, home.currency)} (${other})`;
  };
  replace(
    out(),
    h('h2', {}, `Cross-border flows of ${home.name}, by corridor`),
    flowsForm(params),
    corridors.length === 0
      ? h('p', { class: 'muted', id: 'flows-empty' }, 'No settled cross-border payment you may read.')
      : [
          flowChart(
            corridors.map((c) => ({
              label: c.corridor,
              outbound: c.outbound.homeMinor,
              inbound: c.inbound.homeMinor,
            })),
            home.currency,
          ),
          table(
            ['Corridor', 'Counterpart', 'Outbound payments', 'Paid out', 'Inbound payments', 'Received'],
            corridors.map((c) => [
              c.corridor,
              c.counterpart,
              String(c.outbound.payments),
              side(c.outbound),
              String(c.inbound.payments),
              side(c.inbound),
            ]),
            'flows-table',
          ),
        ],
    h(
      'p',
      { class: 'muted' },
      `Settled payments summed by the service (GET /v1/audit/flows): outbound sold ${home.currency}, inbound bought it; in brackets, what the other side amounted to.`,
    ),
  );
}

/** The flows' time range (settled at or after `from`, before `to`), in local time. */
function flowsForm(params) {
  const time = (name, label) =>
    h(
      'label',
      {},
      label,
      h('input', {
        id: `flows-${name}`,
        name,
        type: 'datetime-local',
        step: 1,
        value: localTime(params.get(name)),
      }),
    );
  const form = h(
    'form',
    { class: 'filters', id: 'flows-form' },
    time('from', 'Settled from (local time)'),
    time('to', 'Before (local time)'),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit' }, 'Show'),
      h('a', { href: '#/flows' }, 'All time'),
    ),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const next = new URLSearchParams();
    for (const name of ['from', 'to']) {
      const value = form.elements[name].value.trim();
      if (value !== '') next.set(name, new Date(value).toISOString());
    }
    window.location.hash = `#/flows?${next}`;
  });
  return form;
}

/**
 * Horizontal bars, two per corridor (outbound, inbound), in the home currency. Amounts stay
 * BigInt; only the bar lengths, which are pixels, become numbers.
 */
function flowChart(rows, currency) {
  const max = rows.reduce((m, r) => [r.outbound, r.inbound].reduce((a, v) => (v > a ? v : a), m), 0n);
  const labelWidth = 90;
  const barArea = 420;
  const valueWidth = 190;
  const bar = 16;
  const group = bar * 2 + 18;
  const top = 28;
  const height = top + rows.length * group + 8;
  const width = labelWidth + barArea + valueWidth;
  const length = (v) => (max === 0n ? 0 : Math.max(v > 0n ? 2 : 0, Number((v * BigInt(barArea)) / max)));
  return s(
    'svg',
    {
      id: 'flows-chart',
      class: 'chart',
      viewBox: `0 0 ${width} ${height}`,
      width,
      height,
      role: 'img',
      'aria-label': `Cross-border flows by corridor, in ${currency}`,
    },
    s('rect', { x: labelWidth, y: 6, width: 12, height: 12, class: 'out' }),
    s('text', { x: labelWidth + 18, y: 17 }, `outbound (${currency} paid out)`),
    s('rect', { x: labelWidth + 220, y: 6, width: 12, height: 12, class: 'in' }),
    s('text', { x: labelWidth + 238, y: 17 }, `inbound (${currency} received)`),
    rows.map((r, i) => {
      const y = top + i * group;
      return s(
        'g',
        { 'data-corridor': r.label },
        s('text', { x: 10, y: y + bar + 4, class: 'label' }, r.label),
        s('rect', { x: labelWidth, y, width: length(r.outbound), height: bar, class: 'out' }),
        s('text', { x: labelWidth + length(r.outbound) + 6, y: y + bar - 4 }, money(r.outbound, currency)),
        s('rect', { x: labelWidth, y: y + bar + 2, width: length(r.inbound), height: bar, class: 'in' }),
        s('text', { x: labelWidth + length(r.inbound) + 6, y: y + 2 * bar - 2 }, money(r.inbound, currency)),
      );
    }),
  );
}

// ---- freezes and rejections -----------------------------------------------------------------

async function renderActions(out) {
  loading('freezes and rejections');
  const { actions, truncated } = await loadActions(state.api);
  replace(
    out(),
    h('h2', {}, 'Freezes, suspensions and rejections'),
    actions.length === 0
      ? h('p', { class: 'muted', id: 'actions-empty' }, 'None you may read.')
      : h(
          'table',
          { class: 'grid', id: 'actions' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ['Position', 'Recorded (UTC)', 'What', 'About', 'By', 'Reason'].map((t) => h('th', {}, t)),
            ),
          ),
          h(
            'tbody',
            {},
            actions.map((a) =>
              h(
                'tr',
                {},
                h('td', { class: 'num' }, h('a', { href: `#/event/${a.event.position}` }, a.event.position)),
                h('td', { class: 'time' }, a.event.recordedAt.replace('T', ' ')),
                h('td', {}, h('span', { class: `type t-${a.event.type}` }, a.event.type)),
                h('td', {}, a.subject),
                h('td', {}, a.by ?? '—'),
                h('td', {}, a.reason ?? '—'),
              ),
            ),
          ),
        ),
    truncated ? h('p', { class: 'muted' }, 'The 200 most recent are shown.') : null,
  );
}

// ---- start ----------------------------------------------------------------------------------

async function start() {
  setUpSignInForm();
  window.addEventListener('hashchange', route);
  const stored = sessionStorage.getItem(STORED_KEY);
  if (stored !== null) {
    try {
      const { keyId, secretKey } = JSON.parse(stored);
      await signIn(keyId, secretKey, true);
      return;
    } catch (error) {
      sessionStorage.removeItem(STORED_KEY);
      replace($('signin-error'), `The kept key was not accepted: ${describeError(error)}`);
    }
  }
  $('signin').hidden = false;
}

start();
