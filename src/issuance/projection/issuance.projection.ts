import type { QueryRunner } from 'typeorm';
import type { RecordedEvent } from '../../platform/event-store/recorded-event.js';
import type { IssuanceEvent } from '../domain/issuance.events.js';
import type { IssuanceState } from '../domain/issuance.state.js';

/**
 * Writes the issuance read models for one committed batch, inside the batch's transaction: the
 * requests and currency supplies the batch touched, as they stand in memory after the whole batch
 * (like the ledger's balances). Supply therefore changes in the same commit as the ledger
 * balances it must equal.
 */
export async function projectIssuance(
  tx: QueryRunner,
  batch: readonly RecordedEvent[],
  state: IssuanceState,
): Promise<void> {
  const requests = new Map<string, bigint>();
  const currencies = new Map<string, bigint>();
  const firstSeen = new Map<string, bigint>();
  for (const recorded of batch) {
    const event = recorded.event as IssuanceEvent;
    switch (event.type) {
      case 'IssuanceRequested':
        requests.set(event.data.request.id, recorded.position);
        if (!firstSeen.has(event.data.request.id)) firstSeen.set(event.data.request.id, recorded.position);
        break;
      case 'CbdcIssued':
      case 'CbdcRedeemed':
        requests.set(event.data.requestId, recorded.position);
        currencies.set(event.data.currency, recorded.position);
        break;
      case 'IssuanceDeclined':
        requests.set(event.data.requestId, recorded.position);
        break;
      case 'ReservesCredited':
      case 'SupplyCapSet':
        currencies.set(event.data.currency, recorded.position);
        break;
    }
  }
  if (requests.size > 0) {
    const rows = [...requests].map(([id, position]) => ({ r: state.requests.get(id)!, position }));
    const time = (ns: bigint | null) => (ns === null ? null : new Date(Number(ns / 1_000_000n)));
    const json = (value: unknown) => (value === null ? null : JSON.stringify(value));
    await tx.query(
      `insert into issuance_requests (id, kind, bank_id, central_bank_id, jurisdiction, currency, amount, reference,
         status, requested_by, requested_at, request_signature, decided_by, decided_at, decision_signature,
         decline_reason, transfer_ids, requested_position, updated_position)
       select id, kind, bank_id, central_bank_id, jurisdiction, currency, amount, reference, status, requested_by,
              requested_at, request_signature, decided_by, decided_at, decision_signature, decline_reason,
              coalesce((select array_agg(t::uuid) from jsonb_array_elements_text(transfer_ids) t), '{}'),
              coalesce(requested_position, updated_position), updated_position
       from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::text[],
                   $9::text[], $10::text[], $11::timestamptz[], $12::jsonb[], $13::text[], $14::timestamptz[],
                   $15::jsonb[], $16::text[], $17::jsonb[], $18::bigint[], $19::bigint[])
         as r(id, kind, bank_id, central_bank_id, jurisdiction, currency, amount, reference, status, requested_by,
              requested_at, request_signature, decided_by, decided_at, decision_signature, decline_reason,
              transfer_ids, requested_position, updated_position)
       on conflict (id) do update set status = excluded.status, decided_by = excluded.decided_by,
         decided_at = excluded.decided_at, decision_signature = excluded.decision_signature,
         decline_reason = excluded.decline_reason, transfer_ids = excluded.transfer_ids,
         updated_position = excluded.updated_position`,
      [
        rows.map(({ r }) => r.id),
        rows.map(({ r }) => r.kind),
        rows.map(({ r }) => r.bankId),
        rows.map(({ r }) => r.centralBankId),
        rows.map(({ r }) => r.jurisdiction),
        rows.map(({ r }) => r.currency),
        rows.map(({ r }) => r.amount.toString()),
        rows.map(({ r }) => r.reference),
        rows.map(({ r }) => r.status),
        rows.map(({ r }) => r.requestedBy),
        rows.map(({ r }) => time(r.requestedAt)),
        rows.map(({ r }) => json(r.requestSignature)),
        rows.map(({ r }) => r.decidedBy),
        rows.map(({ r }) => time(r.decidedAt)),
        rows.map(({ r }) => json(r.decisionSignature)),
        rows.map(({ r }) => r.declineReason),
        rows.map(({ r }) => JSON.stringify(r.transferIds)),
        rows.map(({ r }) => firstSeen.get(r.id)?.toString() ?? null),
        rows.map(({ position }) => position.toString()),
      ],
    );
  }
  if (currencies.size > 0) {
    const rows = [...currencies].map(([currency, position]) => ({
      s: state.supplies.get(currency)!,
      position,
    }));
    await tx.query(
      `insert into currency_supply (currency, central_bank_id, issued, redeemed, reserves_credited, cap, updated_position)
       select * from unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[])
       on conflict (currency) do update set issued = excluded.issued, redeemed = excluded.redeemed,
         reserves_credited = excluded.reserves_credited, cap = excluded.cap, updated_position = excluded.updated_position`,
      [
        rows.map(({ s }) => s.currency),
        rows.map(({ s }) => s.centralBankId),
        rows.map(({ s }) => s.issued.toString()),
        rows.map(({ s }) => s.redeemed.toString()),
        rows.map(({ s }) => s.reservesCredited.toString()),
        rows.map(({ s }) => (s.cap === null ? null : s.cap.toString())),
        rows.map(({ position }) => position.toString()),
      ],
    );
  }
}
