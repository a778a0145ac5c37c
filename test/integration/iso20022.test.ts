import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { bankWalletAccountId } from '../../src/institutions/domain/chart-of-accounts.js';
import { assertProblem } from '../support/ledger-api.js';
import { balanceOf } from '../support/issuance-api.js';
import type { TestNetwork } from '../support/network.js';
import { startWithPaymentCorridor } from '../support/payment-corridor.js';
import type { Json, TestApp, TestResponse } from '../support/test-app.js';
import {
  camt056,
  isoDocument,
  pacs008,
  pacs008Many,
  pacs009,
  postXml,
  readAnswer,
} from '../support/iso20022-messages.js';

/**
 * ISO 20022 over signed HTTP (docs/iso20022.md), on the corridor of test/support/payment-corridor.ts
 * (BANKCN2 holds 10,000.00 CNY, BANKCN1 nothing; BANKHK1 sells HKD for CNY at 1.0850 less 10 bps).
 * Messages are built with the XML library, sent signed, and the answers parsed back.
 */
describe('ISO 20022 messages', () => {
  let app: TestApp;
  let net: TestNetwork;
  const events = () => app.db.scalar('select count(*) from events');
  const keys = () => app.db.scalar('select count(*) from idempotency_keys');
  const get = (path: string, as: string) => app.request('GET', path, undefined, {}, { as: net.as(as) });
  const xmlOf = (response: TestResponse) => {
    assert.match(response.headers.get('content-type') ?? '', /^application\/xml/, response.text);
    return readAnswer(response);
  };
  /** The pacs.002's transaction status and its reason codes. */
  const txStatus = (response: TestResponse) => {
    const { namespace, message } = xmlOf(response);
    assert.equal(namespace, 'urn:iso:std:iso:20022:tech:xsd:pacs.002.001.10');
    const tx = message.TxInfAndSts;
    return {
      tx,
      status: tx?.TxSts as string,
      reasons: (tx?.StsRsnInf ?? []).map((r: Json) => r.Rsn.Cd as string),
    };
  };
  /** Refused: the answer, and nothing written (no event, no idempotency key). */
  async function refused(send: () => Promise<TestResponse>): Promise<TestResponse> {
    const [eventsBefore, keysBefore] = [await events(), await keys()];
    const response = await send();
    assert.equal(await events(), eventsBefore, `events were written: ${response.text}`);
    assert.equal(await keys(), keysBefore, 'an idempotency key was stored');
    return response;
  }

  before(async () => {
    ({ app, net } = await startWithPaymentCorridor());
  });
  after(async () => {
    await app?.close();
  });

  it('pacs.008 → a settled payment, answered ACSC; the same message again replays; another under its UETR is DUPL', async () => {
    const message = pacs008({
      from: 'BANKCN2',
      to: 'BANKHK2',
      amount: '1000.00',
      debtorName: 'Shenzhen Lantern Trading Co.',
      creditorName: 'Kowloon Tea House Ltd',
      purpose: 'GDDS',
      remittance: 'Invoice 2026-031',
    });
    const response = await postXml(app, '/v1/iso20022/pacs.008', message.xml, net.as('BANKCN2'));
    assert.equal(response.status, 201, response.text);
    assert.equal(response.headers.get('location'), `/v1/iso20022/payments/${message.uetr}/pacs.002`);
    const { tx, status, reasons } = txStatus(response);
    assert.equal(status, 'ACSC');
    assert.deepEqual(reasons, []);
    assert.equal(tx.OrgnlUETR, message.uetr);
    assert.equal(tx.OrgnlEndToEndId, message.endToEndId);
    assert.equal(xmlOf(response).message.OrgnlGrpInfAndSts.OrgnlMsgId, message.msgId);
    assert.deepEqual(tx.OrgnlTxRef.IntrBkSttlmAmt, { '@Ccy': 'CNY', '#text': '1000.00' });

    // Field by field, the payment the JSON API shows: the UETR is its id.
    const payment = (await get(`/v1/payments/${message.uetr}`, 'BANKCN2')).body;
    assert.equal(payment.status, 'settled');
    assert.deepEqual(payment.instructed, { currency: 'CNY', amount: '1000.00', amountMinor: '100000' });
    assert.equal(payment.fixed, 'source');
    assert.equal(payment.payer.bank, 'BANKCN2');
    assert.equal(payment.payer.name, 'Shenzhen Lantern Trading Co.');
    assert.equal(payment.payee.bank, 'BANKHK2');
    assert.equal(payment.payee.name, 'Kowloon Tea House Ltd');
    assert.equal(payment.purpose, 'GDDS');
    assert.equal(payment.remittanceInfo, 'Invoice 2026-031');
    assert.deepEqual(tx.ChrgsInf.Amt, { '@Ccy': 'CNY', '#text': payment.fee.amount });

    // The same bytes again: the same payment, replayed, nothing new.
    const replay = await refused(() => postXml(app, '/v1/iso20022/pacs.008', message.xml, net.as('BANKCN2')));
    assert.equal(replay.status, 201, replay.text);
    assert.equal(replay.headers.get('idempotent-replayed'), 'true');
    assert.equal(txStatus(replay).status, 'ACSC');

    // Another message under the same UETR, from the same bank or another: DUPL, nothing written.
    const other = pacs008({ from: 'BANKCN2', to: 'BANKHK2', amount: '5.00', uetr: message.uetr });
    const duplicate = await refused(() =>
      postXml(app, '/v1/iso20022/pacs.008', other.xml, net.as('BANKCN2')),
    );
    assert.equal(duplicate.status, 409, duplicate.text);
    assert.equal(txStatus(duplicate).status, 'RJCT');
    assert.deepEqual(txStatus(duplicate).reasons, ['DUPL']);
    const stolen = pacs008({ from: 'BANKCN1', to: 'BANKHK2', uetr: message.uetr });
    const duplicate2 = await refused(() =>
      postXml(app, '/v1/iso20022/pacs.008', stolen.xml, net.as('BANKCN1')),
    );
    assert.equal(duplicate2.status, 409, duplicate2.text);
    assert.deepEqual(txStatus(duplicate2).reasons, ['DUPL']);

    // The status report later, to the payee too; to a bank it does not concern, 404 as for JSON.
    const report = await get(`/v1/iso20022/payments/${message.uetr}/pacs.002`, 'BANKHK2');
    assert.equal(report.status, 200, report.text);
    const later = txStatus(report);
    assert.equal(later.status, 'ACSC');
    assert.equal(later.tx.OrgnlEndToEndId, message.endToEndId);
    assert.equal(xmlOf(report).message.OrgnlGrpInfAndSts.OrgnlMsgNmId, 'pacs.008.001.08');
    assertProblem(
      await get(`/v1/iso20022/payments/${message.uetr}/pacs.002`, 'BANKCN1'),
      404,
      'payment_not_found',
    );
  });

  it('pacs.009 → bank to bank, the payee’s amount fixed when in its currency; HIGH priority; exact decimals', async () => {
    // 108.3900 HKD: trailing zeros beyond HKD's 2 decimals are exact and accepted.
    const message = pacs009({ from: 'BANKCN2', to: 'BANKHK2', amount: '0108.3900', currency: 'HKD' });
    const response = await postXml(app, '/v1/iso20022/pacs.009', message.xml, net.as('BANKCN2'));
    assert.equal(response.status, 201, response.text);
    assert.equal(txStatus(response).status, 'ACSC');
    const payment = (await get(`/v1/payments/${message.uetr}`, 'BANKCN2')).body;
    assert.equal(payment.fixed, 'target');
    assert.deepEqual(payment.instructed, { currency: 'HKD', amount: '108.39', amountMinor: '10839' });
    assert.equal(payment.priority, 9);
    assert.equal(payment.purpose, 'Liquidity transfer');
    assert.equal(payment.payer.name, null);
  });

  it('pacs.008 from an empty customer wallet → PDNG (AM04); camt.056 cancels it (camt.029 CNCL); again → RJCR', async () => {
    const wallet = randomUUID();
    const opened = await app.request(
      'POST',
      '/v1/wallets',
      { kind: 'customer', id: wallet, tier: 1, holderReference: 'iso-customer' },
      { 'idempotency-key': randomUUID() },
      { as: net.as('BANKCN1') },
    );
    assert.equal(opened.status, 201, opened.text);
    const message = pacs008({ from: 'BANKCN1', to: 'BANKHK2', amount: '10.00', debtorWallet: wallet });
    const response = await postXml(app, '/v1/iso20022/pacs.008', message.xml, net.as('BANKCN1'));
    assert.equal(response.status, 201, response.text);
    const { status, reasons, tx } = txStatus(response);
    assert.equal(status, 'PDNG');
    assert.deepEqual(reasons, ['AM04']);
    assert.equal(tx.StsRsnInf[0].AddtlInf[0].startsWith('awaiting_funds: '), true);
    assert.equal((await get(`/v1/payments/${message.uetr}`, 'BANKCN1')).body.payer.wallet, wallet);

    // Only the payer's bank may cancel: another bank, as itself, is refused like the JSON route.
    const notPayer = await refused(() =>
      postXml(
        app,
        '/v1/iso20022/camt.056',
        camt056({ from: 'BANKCN2', uetr: message.uetr }),
        net.as('BANKCN2'),
      ),
    );
    assertProblem(notPayer, 403, 'forbidden_scope');

    const cancel = camt056({
      from: 'BANKCN1',
      uetr: message.uetr,
      assignmentId: 'CXL-0001',
      reason: 'duplicate order',
    });
    const resolution = await postXml(app, '/v1/iso20022/camt.056', cancel, net.as('BANKCN1'));
    assert.equal(resolution.status, 200, resolution.text);
    const answer = xmlOf(resolution);
    assert.equal(answer.namespace, 'urn:iso:std:iso:20022:tech:xsd:camt.029.001.09');
    assert.equal(answer.message.Sts.Conf, 'CNCL');
    assert.equal(answer.message.RslvdCase.Id, 'CXL-0001');
    assert.equal(answer.message.CxlDtls.TxInfAndSts.OrgnlUETR, message.uetr);
    assert.equal(answer.message.CxlDtls.TxInfAndSts.TxCxlSts, 'CNCL');
    const payment = (await get(`/v1/payments/${message.uetr}`, 'BANKCN1')).body;
    assert.equal(payment.status, 'cancelled');
    assert.match(payment.reason.detail, /CUST: duplicate order/);
    assert.equal(
      txStatus(await get(`/v1/iso20022/payments/${message.uetr}/pacs.002`, 'BANKCN1')).status,
      'CANC',
    );

    const again = await refused(() =>
      postXml(
        app,
        '/v1/iso20022/camt.056',
        camt056({ from: 'BANKCN1', uetr: message.uetr }),
        net.as('BANKCN1'),
      ),
    );
    assert.equal(again.status, 409, again.text);
    const rejected = xmlOf(again).message;
    assert.equal(rejected.Sts.Conf, 'RJCR');
    assert.equal(rejected.CxlDtls.TxInfAndSts.CxlStsRsnInf.Rsn.Prtry, 'payment_not_queued');
  });

  it('screening rejections are recorded and answered RJCT with the ISO code (sanctions → RR04)', async () => {
    const message = pacs008({
      from: 'BANKCN2',
      to: 'BANKHK2',
      creditorName: 'Ivan Sanctioned',
      amount: '1.00',
    });
    const response = await postXml(app, '/v1/iso20022/pacs.008', message.xml, net.as('BANKCN2'));
    assert.equal(response.status, 201, response.text);
    const { status, reasons, tx } = txStatus(response);
    assert.equal(status, 'RJCT');
    assert.deepEqual(reasons, ['RR04']);
    assert.match(tx.StsRsnInf[0].AddtlInf[0], /^sanctions_hit: /);
    assert.equal((await get(`/v1/payments/${message.uetr}`, 'BANKCN2')).body.reason.code, 'sanctions_hit');
  });

  it('invalid content → pacs.002 RJCT with ISO reason codes, HTTP 400, nothing written', async () => {
    // No UETR, an amount more precise than CNY allows, a malformed BIC.
    const bad = isoDocument('pacs.008.001.08', 'FIToFICstmrCdtTrf', {
      GrpHdr: { MsgId: 'MSG-BAD-1', CreDtTm: '2026-03-10T10:00:00+08:00', NbOfTxs: '1' },
      CdtTrfTxInf: {
        PmtId: { EndToEndId: 'E2E-BAD-1' },
        IntrBkSttlmAmt: { '@Ccy': 'CNY', '#text': '10.123' },
        Dbtr: { Nm: 'A' },
        DbtrAgt: { FinInstnId: { BICFI: 'bad!' } },
        CdtrAgt: { FinInstnId: { Othr: { Id: 'BANKHK2' } } },
        Cdtr: { Nm: 'B' },
        Purp: { Cd: 'GDDS' },
      },
    });
    const response = await refused(() => postXml(app, '/v1/iso20022/pacs.008', bad, net.as('BANKCN2')));
    assert.equal(response.status, 400, response.text);
    const group = xmlOf(response).message.OrgnlGrpInfAndSts;
    assert.equal(group.OrgnlMsgId, 'MSG-BAD-1');
    assert.equal(group.GrpSts, 'RJCT');
    assert.deepEqual(group.StsRsnInf.map((r: Json) => r.Rsn.Cd).sort(), ['AM12', 'CH21', 'RC01']);
    assert.ok(group.StsRsnInf.some((r: Json) => /PmtId\/UETR is required/.test(r.AddtlInf.join(''))));

    // Another message type at this route: FF01 (invalid file format).
    const wrong = await refused(() =>
      postXml(
        app,
        '/v1/iso20022/pacs.008',
        camt056({ from: 'BANKCN2', uetr: randomUUID() }),
        net.as('BANKCN2'),
      ),
    );
    assert.equal(wrong.status, 400, wrong.text);
    assert.equal(xmlOf(wrong).message.OrgnlGrpInfAndSts.StsRsnInf[0].Rsn.Cd, 'FF01');

    // Readable but refused by the payment rules: the JSON route's status, an ISO code, nothing written.
    const unknown = await refused(() =>
      postXml(
        app,
        '/v1/iso20022/pacs.008',
        pacs008({ from: 'BANKCN2', to: 'NOSUCHBANK' }).xml,
        net.as('BANKCN2'),
      ),
    );
    assert.equal(unknown.status, 404, unknown.text);
    assert.deepEqual(txStatus(unknown).reasons, ['RC04']);
    const thirdCurrency = await refused(() =>
      postXml(
        app,
        '/v1/iso20022/pacs.008',
        pacs008({ from: 'BANKCN2', to: 'BANKHK2', currency: 'USD' }).xml,
        net.as('BANKCN2'),
      ),
    );
    assert.equal(thirdCurrency.status, 422, thirdCurrency.text);
    assert.deepEqual(txStatus(thirdCurrency).reasons, ['CURR']);
  });

  describe('a message of several transactions', () => {
    /** The group status and each transaction's status and reason codes, in order. */
    const statuses = (response: TestResponse) => {
      const { namespace, message } = xmlOf(response);
      assert.equal(namespace, 'urn:iso:std:iso:20022:tech:xsd:pacs.002.001.10');
      const txs = [message.TxInfAndSts].flat() as Json[];
      return {
        group: message.OrgnlGrpInfAndSts,
        txs: txs.map((t) => ({
          uetr: t.OrgnlUETR as string,
          endToEndId: t.OrgnlEndToEndId as string,
          status: t.TxSts as string,
          reasons: ((t.StsRsnInf ?? []) as Json[]).map((r) => r.Rsn.Cd as string),
        })),
      };
    };

    it('each transaction is its own payment, answered in order; one refused makes the group PART; the same message again replays', async () => {
      const message = pacs008Many('MSG-MANY-1', [
        { from: 'BANKCN2', to: 'BANKHK2', amount: '10.00', creditorName: 'Kowloon Tea House Ltd' },
        { from: 'BANKCN2', to: 'NOSUCHBANK', amount: '11.00' },
        { from: 'BANKCN2', to: 'BANKHK2', amount: '12.00' },
      ]);
      const [first, unknown, third] = message.transactions;
      const eventsBefore = await events();
      const response = await postXml(app, '/v1/iso20022/pacs.008', message.xml, net.as('BANKCN2'));
      assert.equal(response.status, 200, response.text);
      assert.equal(response.headers.get('location'), null);
      const { group, txs } = statuses(response);
      assert.equal(group.OrgnlMsgId, 'MSG-MANY-1');
      assert.equal(group.OrgnlNbOfTxs, '3');
      assert.equal(group.GrpSts, 'PART');
      assert.deepEqual(txs, [
        { uetr: first!.uetr, endToEndId: first!.endToEndId, status: 'ACSC', reasons: [] },
        { uetr: unknown!.uetr, endToEndId: unknown!.endToEndId, status: 'RJCT', reasons: ['RC04'] },
        { uetr: third!.uetr, endToEndId: third!.endToEndId, status: 'ACSC', reasons: [] },
      ]);
      // The two settled payments are payments like any other; the refused one was never written.
      for (const [tx, amount] of [
        [first!, '10.00'],
        [third!, '12.00'],
      ] as const) {
        const payment = (await get(`/v1/payments/${tx.uetr}`, 'BANKCN2')).body;
        assert.equal(payment.status, 'settled');
        assert.equal(payment.instructed.amount, amount);
      }
      assert.equal((await get(`/v1/payments/${unknown!.uetr}`, 'BANKCN2')).status, 404);
      const origin = await app.db.query<{ metadata: Json }>(
        `select metadata from events where stream_id = $1 order by global_position limit 1`,
        [`payment-${first!.uetr}`],
      );
      assert.equal(origin[0]!.metadata.causationId, 'iso20022:pacs.008.001.08:MSG-MANY-1');
      assert.equal(origin[0]!.metadata.correlationId, first!.endToEndId);
      assert.ok((await events()) > eventsBefore);

      // The same bytes again: the recorded payments replay, the refused one is refused again.
      const replay = await refused(() =>
        postXml(app, '/v1/iso20022/pacs.008', message.xml, net.as('BANKCN2')),
      );
      assert.equal(replay.status, 200, replay.text);
      assert.deepEqual(
        statuses(replay).txs.map((t) => t.status),
        ['ACSC', 'RJCT', 'ACSC'],
      );
    });

    it('a transaction under a UETR that is taken is DUPL; the others settle; all settled → ACSC', async () => {
      const earlier = pacs008({ from: 'BANKCN2', to: 'BANKHK2', amount: '1.00' });
      assert.equal((await postXml(app, '/v1/iso20022/pacs.008', earlier.xml, net.as('BANKCN2'))).status, 201);
      const message = pacs008Many('MSG-MANY-2', [
        { from: 'BANKCN2', to: 'BANKHK2', amount: '2.00' },
        { from: 'BANKCN2', to: 'BANKHK2', amount: '3.00', uetr: earlier.uetr },
      ]);
      const response = await postXml(app, '/v1/iso20022/pacs.008', message.xml, net.as('BANKCN2'));
      assert.equal(response.status, 200, response.text);
      const { group, txs } = statuses(response);
      assert.equal(group.GrpSts, 'PART');
      assert.deepEqual(
        txs.map((t) => [t.status, t.reasons]),
        [
          ['ACSC', []],
          ['RJCT', ['DUPL']],
        ],
      );
      // The earlier payment is untouched.
      assert.equal((await get(`/v1/payments/${earlier.uetr}`, 'BANKCN2')).body.instructed.amount, '1.00');

      const clean = pacs008Many('MSG-MANY-3', [
        { from: 'BANKCN2', to: 'BANKHK2', amount: '4.00' },
        { from: 'BANKCN2', to: 'BANKHK2', amount: '5.00' },
      ]);
      const settled = await postXml(app, '/v1/iso20022/pacs.008', clean.xml, net.as('BANKCN2'));
      assert.equal(settled.status, 200, settled.text);
      assert.equal(statuses(settled).group.GrpSts, 'ACSC');
    });

    it('a miscounted message, or one naming a UETR twice, is refused whole: 400, GrpSts RJCT, nothing written', async () => {
      const miscounted = pacs008Many(
        'MSG-MANY-4',
        [
          { from: 'BANKCN2', to: 'BANKHK2', amount: '1.00' },
          { from: 'BANKCN2', to: 'BANKHK2', amount: '1.00' },
        ],
        '3',
      );
      const response = await refused(() =>
        postXml(app, '/v1/iso20022/pacs.008', miscounted.xml, net.as('BANKCN2')),
      );
      assert.equal(response.status, 400, response.text);
      const group = xmlOf(response).message.OrgnlGrpInfAndSts;
      assert.equal(group.GrpSts, 'RJCT');
      assert.deepEqual(
        group.StsRsnInf.map((r: Json) => r.Rsn.Cd),
        ['CH16'],
      );
      assert.match(group.StsRsnInf[0].AddtlInf.join(''), /NbOfTxs must be the number of CdtTrfTxInf/);

      const uetr = randomUUID();
      const twice = pacs008Many('MSG-MANY-5', [
        { from: 'BANKCN2', to: 'BANKHK2', amount: '1.00', uetr },
        { from: 'BANKCN2', to: 'BANKHK2', amount: '2.00', uetr },
      ]);
      const duplicate = await refused(() =>
        postXml(app, '/v1/iso20022/pacs.008', twice.xml, net.as('BANKCN2')),
      );
      assert.equal(duplicate.status, 400, duplicate.text);
      const reasons = xmlOf(duplicate).message.OrgnlGrpInfAndSts.StsRsnInf;
      assert.deepEqual(
        reasons.map((r: Json) => r.Rsn.Cd),
        ['DUPL'],
      );
      assert.match(reasons[0].AddtlInf.join(''), /CdtTrfTxInf\[2\]\/PmtId\/UETR/);

      // A transaction another bank instructs: the whole message is refused as the signer's scope.
      const foreign = pacs008Many('MSG-MANY-6', [
        { from: 'BANKCN2', to: 'BANKHK2', amount: '1.00' },
        { from: 'BANKCN1', to: 'BANKHK2', amount: '1.00' },
      ]);
      assertProblem(
        await refused(() => postXml(app, '/v1/iso20022/pacs.008', foreign.xml, net.as('BANKCN2'))),
        403,
        'forbidden_scope',
      );
    });
  });

  it('unreadable XML → 400 problem xml_unreadable; not XML at all → 415; nothing written', async () => {
    const broken = await refused(() =>
      postXml(app, '/v1/iso20022/pacs.008', '<Document><FIToFICstmrCdtTrf></Document>', net.as('BANKCN2')),
    );
    assertProblem(broken, 400, 'xml_unreadable');
    const json = await refused(() =>
      app.request('POST', '/v1/iso20022/pacs.008', { amount: '1.00' }, {}, { as: net.as('BANKCN2') }),
    );
    assertProblem(json, 415, 'content_type_unsupported');
  });

  it('XXE: a DOCTYPE with an external entity is refused without resolving it', async () => {
    const message = pacs008({ from: 'BANKCN2', to: 'BANKHK2', debtorName: 'PLACEHOLDER' });
    const attack = message.xml
      .replace(
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
      )
      .replace('PLACEHOLDER', '&xxe;');
    const response = await refused(() => postXml(app, '/v1/iso20022/pacs.008', attack, net.as('BANKCN2')));
    const problem = assertProblem(response, 400, 'xml_unreadable');
    assert.doesNotMatch(response.text, /root:/, 'the file was not read');
    assert.match(problem.detail, /entit|DOCTYPE/i);
    // An internal entity (the "billion laughs" family) is refused the same way: no DTD at all.
    const laughs = message.xml
      .replace(
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY lol "lol">]>',
      )
      .replace('PLACEHOLDER', '&lol;');
    assertProblem(
      await refused(() => postXml(app, '/v1/iso20022/pacs.008', laughs, net.as('BANKCN2'))),
      400,
      'xml_unreadable',
    );
  });

  it('authorization: a bank instructing as another bank’s debtor agent → 403; a central bank → 403', async () => {
    const asOther = await refused(() =>
      postXml(
        app,
        '/v1/iso20022/pacs.008',
        pacs008({ from: 'BANKCN1', to: 'BANKHK2' }).xml,
        net.as('BANKCN2'),
      ),
    );
    assertProblem(asOther, 403, 'forbidden_scope');
    const bankToBank = await refused(() =>
      postXml(
        app,
        '/v1/iso20022/pacs.009',
        pacs009({ from: 'BANKCN1', to: 'BANKHK2' }).xml,
        net.as('BANKCN2'),
      ),
    );
    assertProblem(bankToBank, 403, 'forbidden_scope');
    const centralBank = await refused(() =>
      postXml(app, '/v1/iso20022/pacs.008', pacs008({ from: 'PBOC', to: 'BANKHK2' }).xml, net.as('PBOC')),
    );
    assertProblem(centralBank, 403, 'forbidden_role');
  });

  it('camt.053: a wallet’s local day, opening and closing balances, entries referring to the payments', async () => {
    const account = bankWalletAccountId('BANKCN2', 'CNY');
    const statementOf = async (date: string) => {
      const response = await get(`/v1/iso20022/camt.053?wallet=BANKCN2.CNY&date=${date}`, 'BANKCN2');
      assert.equal(response.status, 200, response.text);
      const { namespace, message } = xmlOf(response);
      assert.equal(namespace, 'urn:iso:std:iso:20022:tech:xsd:camt.053.001.08');
      return message.Stmt;
    };
    const balance = (stmt: Json, code: string) => {
      const bal = stmt.Bal.find((b: Json) => b.Tp.CdOrPrtry.Cd === code);
      return { amount: bal.Amt['#text'] as string, sign: bal.CdtDbtInd as string };
    };
    // Everything in this file happened on 10 March (Asia/Shanghai): funding, then the payments.
    const day = await statementOf('2026-03-10');
    assert.equal(day.FrToDt.FrDtTm, '2026-03-10T00:00:00.000+08:00');
    assert.deepEqual(balance(day, 'OPBD'), { amount: '0.00', sign: 'CRDT' });
    const now = await balanceOf(app, account);
    assert.deepEqual(balance(day, 'CLBD'), { amount: (Number(now) / 100).toFixed(2), sign: 'CRDT' });
    const entries: Json[] = day.Ntry ?? [];
    let net = 0n;
    for (const e of entries) {
      const minor = BigInt(e.Amt['#text'].replace('.', ''));
      net += e.CdtDbtInd === 'CRDT' ? minor : -minor;
      assert.equal(e.Sts.Cd, 'BOOK');
      assert.equal(e.ValDt.Dt, '2026-03-10');
    }
    assert.equal(net, now, 'opening + entries = closing');
    assert.equal(day.TxsSummry.TtlNtries.NbOfNtries, String(entries.length));
    // The first pacs.008's leg, debited, refers to the payment by its UETR.
    const legs = entries.filter((e) => e.BkTxCd.Domn?.Fmly?.SubFmlyCd === 'XBCT' && e.CdtDbtInd === 'DBIT');
    assert.ok(legs.length >= 2, day);
    assert.ok(legs.some((e) => e.Amt['#text'] === '1000.00' && e.NtryDtls.TxDtls.Refs.UETR));
    // The day before: nothing. The day after: it opens where 10 March closed.
    const before = await statementOf('2026-03-09');
    assert.deepEqual(balance(before, 'CLBD'), { amount: '0.00', sign: 'CRDT' });
    assert.equal(before.Ntry, undefined);
    const next = await statementOf('2026-03-11');
    assert.deepEqual(balance(next, 'OPBD'), balance(day, 'CLBD'));

    // Who may not read the wallet may not read its statement; a bad date is a 400 problem.
    assertProblem(
      await get('/v1/iso20022/camt.053?wallet=BANKCN2.CNY&date=2026-03-10', 'BANKHK1'),
      403,
      'forbidden_scope',
    );
    assertProblem(
      await get('/v1/iso20022/camt.053?wallet=BANKCN2.CNY&date=2026-02-30', 'BANKCN2'),
      400,
      'invalid_request',
    );
  });
});
