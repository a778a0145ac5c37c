import type { InstitutionRole, OperationId, Operations } from './generated/api-types.js';
import { pageItems, pages, type Page } from './pagination.js';
import { eventStream, type StreamOptions } from './event-stream.js';
import {
  Transport,
  type ApiResponse,
  type CallOptions,
  type SuccessBody,
  type YuanbridgeClientOptions,
} from './transport.js';

type Query<Op extends OperationId> = Operations[Op]['query'];
type Body<Op extends OperationId> = Operations[Op]['body'];
/** Per-call settings of a write: its Idempotency-Key (default: a new UUID), headers, a signal. */
export interface WriteOptions {
  readonly idempotencyKey?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
}
/** Per-call settings of a read. */
export interface ReadOptions {
  readonly headers?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
}
type ListQuery<Op extends OperationId> = Omit<NonNullable<Query<Op>>, 'after'>;

/**
 * A typed client for the yuanbridge REST API (openapi.yaml), signing every request as one
 * institution:
 *
 * ```ts
 * const yb = new YuanbridgeClient({ baseUrl, keyId: 'SILKCNBJ-key-1', secretKey });
 * const payment = await yb.payments.submit({ payee: { bank: 'VICTHKHX' }, amount: '1000.00', currency: 'CNY', purpose: 'GDDS' });
 * ```
 *
 * Amounts are decimal strings (`amount`) or integer strings in minor units (`amountMinor`), as
 * on the wire: never JavaScript numbers. Refusals throw {@link YuanbridgeProblem}.
 */
export class YuanbridgeClient {
  readonly transport: Transport;

  constructor(options: YuanbridgeClientOptions) {
    this.transport = new Transport(options);
  }

  /** Any operation of openapi.yaml by its operationId, returning the response body. */
  async call<Op extends OperationId>(
    operationId: Op,
    options: CallOptions<Op> = {},
  ): Promise<SuccessBody<Op>> {
    return (await this.transport.send(operationId, options)).data;
  }

  /** Like {@link call}, with the status and headers (`replayed`, `idempotencyKey`, `requestId`). */
  send<Op extends OperationId>(
    operationId: Op,
    options: CallOptions<Op> = {},
  ): Promise<ApiResponse<SuccessBody<Op>>> {
    return this.transport.send(operationId, options);
  }

  /** Who the service says the signer is, and what of the signature it accepted. */
  me(options: ReadOptions = {}) {
    return this.call('whoAmI', options);
  }

  readonly payments = {
    /** Pay a bank in another jurisdiction (PvP). Retry with the same `idempotencyKey`. */
    submit: (body: Body<'submitPayment'>, options: WriteOptions = {}) =>
      this.call('submitPayment', { ...options, body }),
    /** Like submit, with `replayed` (the service returned the stored reply of an earlier call). */
    submitWithResponse: (body: Body<'submitPayment'>, options: WriteOptions = {}) =>
      this.send('submitPayment', { ...options, body }),
    /**
     * Many payments in one signed request (up to 1,000), each with its own idempotency key,
     * each settled, queued or refused on its own: one result per payment, in order (`status` 201
     * with `payment`, or a `problem`). Resend a failed item (503) with its key.
     */
    submitBatch: (body: Body<'submitPaymentBatch'>, options: ReadOptions = {}) =>
      this.call('submitPaymentBatch', { ...options, body }),
    get: (id: string, options: ReadOptions = {}) => this.call('getPayment', { ...options, path: { id } }),
    /** One page; pass the previous page's `nextCursor` as `after`. */
    list: (query: Query<'listPayments'> = {}, options: ReadOptions = {}) =>
      this.call('listPayments', { ...options, query }),
    /** Every page from the newest on, following `nextCursor`. */
    pages: (query: ListQuery<'listPayments'> = {}, options: ReadOptions = {}) =>
      pages((after) => this.call('listPayments', { ...options, query: { ...query, after } })),
    /** Every payment, page after page. */
    all: (query: ListQuery<'listPayments'> = {}, options: ReadOptions = {}) =>
      pageItems(this.payments.pages(query, options)),
    cancel: (id: string, body: Body<'cancelPayment'>, options: WriteOptions = {}) =>
      this.call('cancelPayment', { ...options, path: { id }, body }),
    /** The operator's manual settlement cycle over the queue. */
    runSettlementCycle: (body: Body<'runSettlementCycle'> = {}, options: ReadOptions = {}) =>
      this.call('runSettlementCycle', { ...options, body }),
  };

  readonly fx = {
    quote: (body: Body<'requestQuote'>, options: WriteOptions = {}) =>
      this.call('requestQuote', { ...options, body }),
    getQuote: (id: string, options: ReadOptions = {}) => this.call('getQuote', { ...options, path: { id } }),
    rateSheets: (query: Query<'listRateSheets'> = {}, options: ReadOptions = {}) =>
      this.call('listRateSheets', { ...options, query }),
    publishRateSheet: (from: string, to: string, body: Body<'publishRateSheet'>, options: ReadOptions = {}) =>
      this.call('publishRateSheet', { ...options, path: { from, to }, body }),
    withdrawRateSheet: (from: string, to: string, options: ReadOptions = {}) =>
      this.call('withdrawRateSheet', { ...options, path: { from, to } }),
  };

  readonly wallets = {
    open: (body: Body<'openWallet'>, options: WriteOptions = {}) =>
      this.call('openWallet', { ...options, body }),
    get: (id: string, options: ReadOptions = {}) => this.call('getWallet', { ...options, path: { id } }),
    list: (query: Query<'listWallets'> = {}, options: ReadOptions = {}) =>
      this.call('listWallets', { ...options, query }),
    pages: (query: ListQuery<'listWallets'> = {}, options: ReadOptions = {}) =>
      pages((after) => this.call('listWallets', { ...options, query: { ...query, after } })),
    history: (id: string, query: Query<'getWalletHistory'> = {}, options: ReadOptions = {}) =>
      this.call('getWalletHistory', { ...options, path: { id }, query }),
    historyPages: (id: string, query: ListQuery<'getWalletHistory'> = {}, options: ReadOptions = {}) =>
      pages((after) =>
        this.call('getWalletHistory', { ...options, path: { id }, query: { ...query, after } }),
      ),
    transfer: (body: Body<'transferBetweenWallets'>, options: WriteOptions = {}) =>
      this.call('transferBetweenWallets', { ...options, body }),
    freeze: (id: string, body: Body<'freezeWallet'>, options: WriteOptions = {}) =>
      this.call('freezeWallet', { ...options, path: { id }, body }),
    unfreeze: (id: string, body: Body<'unfreezeWallet'>, options: WriteOptions = {}) =>
      this.call('unfreezeWallet', { ...options, path: { id }, body }),
    tiers: (currency: string, options: ReadOptions = {}) =>
      this.call('listWalletTiers', { ...options, path: { code: currency } }),
    setTierLimits: (
      currency: string,
      tier: Operations['setWalletTierLimits']['path']['tier'] | 1 | 2 | 3 | 4,
      body: Body<'setWalletTierLimits'>,
      options: ReadOptions = {},
    ) =>
      this.call('setWalletTierLimits', {
        ...options,
        path: { code: currency, tier: String(tier) as Operations['setWalletTierLimits']['path']['tier'] },
        body,
      }),
  };

  readonly issuance = {
    creditReserves: (body: Body<'creditReserves'>, options: WriteOptions = {}) =>
      this.call('creditReserves', { ...options, body }),
    request: (body: Body<'requestIssuance'>, options: WriteOptions = {}) =>
      this.call('requestIssuance', { ...options, body }),
    requests: (query: Query<'listIssuanceRequests'> = {}, options: ReadOptions = {}) =>
      this.call('listIssuanceRequests', { ...options, query }),
    getRequest: (id: string, options: ReadOptions = {}) =>
      this.call('getIssuanceRequest', { ...options, path: { id } }),
    approve: (id: string, options: WriteOptions = {}) =>
      this.call('approveIssuanceRequest', { ...options, path: { id } }),
    decline: (id: string, body: Body<'declineIssuanceRequest'>, options: WriteOptions = {}) =>
      this.call('declineIssuanceRequest', { ...options, path: { id }, body }),
    issue: (body: Body<'issueDirectly'>, options: WriteOptions = {}) =>
      this.call('issueDirectly', { ...options, body }),
    setSupplyCap: (currency: string, body: Body<'setSupplyCap'>, options: WriteOptions = {}) =>
      this.call('setSupplyCap', { ...options, path: { code: currency }, body }),
    supply: (currency: string, options: ReadOptions = {}) =>
      this.call('getSupply', { ...options, path: { code: currency } }),
  };

  readonly corridors = {
    list: (options: ReadOptions = {}) => this.call('listCorridors', options),
    get: (id: string, options: ReadOptions = {}) => this.call('getCorridor', { ...options, path: { id } }),
    open: (id: string, body: Body<'openCorridor'> = {}, options: ReadOptions = {}) =>
      this.call('openCorridor', { ...options, path: { id }, body }),
    setSideRules: (
      id: string,
      jurisdiction: string,
      body: Body<'setCorridorSideRules'>,
      options: ReadOptions = {},
    ) => this.call('setCorridorSideRules', { ...options, path: { id, jurisdiction }, body }),
    suspend: (id: string, body: Body<'suspendCorridor'>, options: ReadOptions = {}) =>
      this.call('suspendCorridor', { ...options, path: { id }, body }),
    resume: (id: string, body: Body<'resumeCorridor'>, options: ReadOptions = {}) =>
      this.call('resumeCorridor', { ...options, path: { id }, body }),
  };

  readonly institutions = {
    list: (query: Query<'listInstitutions'> = {}, options: ReadOptions = {}) =>
      this.call('listInstitutions', { ...options, query }),
    get: (id: string, options: ReadOptions = {}) => this.call('getInstitution', { ...options, path: { id } }),
    register: (body: Body<'registerInstitution'>, options: WriteOptions = {}) =>
      this.call('registerInstitution', { ...options, body }),
    /** Replace the institution's key: sign this with the current key; the next call needs the new one. */
    rotateKey: (id: string, body: Body<'rotateInstitutionKey'>, options: WriteOptions = {}) =>
      this.call('rotateInstitutionKey', { ...options, path: { id }, body }),
    grantRole: (id: string, role: InstitutionRole, options: ReadOptions = {}) =>
      this.call('grantInstitutionRole', { ...options, path: { id, role } }),
    revokeRole: (id: string, role: InstitutionRole, options: ReadOptions = {}) =>
      this.call('revokeInstitutionRole', { ...options, path: { id, role } }),
    freeze: (id: string, body: Body<'freezeInstitution'>, options: WriteOptions = {}) =>
      this.call('freezeInstitution', { ...options, path: { id }, body }),
    unfreeze: (id: string, body: Body<'unfreezeInstitution'>, options: WriteOptions = {}) =>
      this.call('unfreezeInstitution', { ...options, path: { id }, body }),
    jurisdictions: (options: ReadOptions = {}) => this.call('listJurisdictions', options),
  };

  readonly ledger = {
    createAccounts: (body: Body<'createAccounts'>, options: WriteOptions = {}) =>
      this.call('createAccounts', { ...options, body }),
    createTransfers: (body: Body<'createTransfers'>, options: WriteOptions = {}) =>
      this.call('createTransfers', { ...options, body }),
    account: (id: string, query: Query<'getAccount'> = {}, options: ReadOptions = {}) =>
      this.call('getAccount', { ...options, path: { id }, query }),
    transfer: (id: string, options: ReadOptions = {}) =>
      this.call('getTransfer', { ...options, path: { id } }),
    accountTransfers: (id: string, query: Query<'listAccountTransfers'> = {}, options: ReadOptions = {}) =>
      this.call('listAccountTransfers', { ...options, path: { id }, query }),
    accountTransferPages: (
      id: string,
      query: ListQuery<'listAccountTransfers'> = {},
      options: ReadOptions = {},
    ) =>
      pages((after) =>
        this.call('listAccountTransfers', { ...options, path: { id }, query: { ...query, after } }),
      ),
  };

  readonly audit = {
    /** One page of audit events within the signer's scope, each with its inclusion proof. */
    events: (query: Query<'listAuditEvents'> = {}, options: ReadOptions = {}) =>
      this.call('listAuditEvents', { ...options, query }),
    eventPages: (query: ListQuery<'listAuditEvents'> = {}, options: ReadOptions = {}) =>
      pages((after) => this.call('listAuditEvents', { ...options, query: { ...query, after } })),
    event: (position: string | bigint, options: ReadOptions = {}) =>
      this.call('getAuditEvent', { ...options, path: { position: String(position) } }),
    /** The service re-hashes the whole log and checks every signed checkpoint. */
    verify: (options: ReadOptions = {}) => this.call('verifyAuditTrail', options),
    supply: (query: Query<'getSupplyAsOf'>, options: ReadOptions = {}) =>
      this.call('getSupplyAsOf', { ...options, query }),
    flows: (query: Query<'getCrossBorderFlows'> = {}, options: ReadOptions = {}) =>
      this.call('getCrossBorderFlows', { ...options, query }),
    /** The export as text: JSON Lines (default) or CSV. */
    export: (query: Query<'exportAuditTrail'> = {}, options: ReadOptions = {}) =>
      this.call('exportAuditTrail', { ...options, query }) as Promise<string>,
  };

  readonly notifications = {
    /**
     * The payment events that concern the signer, as server-sent events: resumes after
     * `lastEventId` (the `id` of the last event handled), then follows live until aborted.
     */
    stream: (options: StreamOptions = {}) => eventStream(this.transport, options),
    registerWebhook: (body: Body<'registerWebhook'>, options: ReadOptions = {}) =>
      this.call('registerWebhook', { ...options, body }),
    webhook: (options: ReadOptions = {}) => this.call('getWebhook', options),
    removeWebhook: (options: ReadOptions = {}) => this.call('removeWebhook', options),
    /** The caller's webhook deliveries, oldest first: one page, or every page with `deliveryPages`. */
    deliveries: (query: Query<'listWebhookDeliveries'> = {}, options: ReadOptions = {}) =>
      this.call('listWebhookDeliveries', { ...options, query }),
    deliveryPages: (query: ListQuery<'listWebhookDeliveries'> = {}, options: ReadOptions = {}) =>
      pages((after) => this.call('listWebhookDeliveries', { ...options, query: { ...query, after } })),
    /** Tries a failed delivery again (by its event's position). */
    retryDelivery: (position: string, options: ReadOptions = {}) =>
      this.call('retryWebhookDelivery', { ...options, path: { position } }),
    /** The node's public key, which signs webhook deliveries and audit checkpoints. */
    nodeKey: (options: ReadOptions = {}) => this.call('getNodeKey', options),
  };

  /**
   * ISO 20022 messages (docs/iso20022.md): the XML documents as text, answered with the XML of
   * a pacs.002, camt.053 or camt.029. Build and read them with any XML library.
   */
  readonly iso20022 = {
    /** pacs.008, customer credit transfer: the same payment as payments.submit. */
    customerCreditTransfer: (xml: string, options: ReadOptions = {}) =>
      this.call('submitCustomerCreditTransfer', { ...options, body: xml }),
    /** pacs.009, bank-to-bank transfer. */
    institutionCreditTransfer: (xml: string, options: ReadOptions = {}) =>
      this.call('submitFinancialInstitutionCreditTransfer', { ...options, body: xml }),
    /** pacs.002 for a payment, now. */
    statusReport: (paymentId: string, options: ReadOptions = {}) =>
      this.call('getPaymentStatusReport', { ...options, path: { id: paymentId } }),
    /** camt.053 for a wallet and a day in its jurisdiction's time zone. */
    statement: (query: Query<'getBankToCustomerStatement'>, options: ReadOptions = {}) =>
      this.call('getBankToCustomerStatement', { ...options, query }),
    /** camt.056 for a queued payment, answered with a camt.029. */
    cancellationRequest: (xml: string, options: ReadOptions = {}) =>
      this.call('requestPaymentCancellation', { ...options, body: xml }),
  };

  readonly operations = {
    health: (options: ReadOptions = {}) => this.call('getHealth', options),
    ready: (options: ReadOptions = {}) => this.call('getReadiness', options),
    /** Prometheus text. */
    metrics: (options: ReadOptions = {}) => this.call('getMetrics', options) as Promise<string>,
  };
}

export type { Page };
