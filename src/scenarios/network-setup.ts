import { createHash } from 'node:crypto';
import { Decimal } from 'decimal.js';
import { corridorId } from '../corridors/domain/corridor.js';
import { publicKeyFromSecretKey, publicKeyToBase64url } from '../platform/signatures/index.js';
import type { Prng } from './prng.js';
import type { JurisdictionPlan, ScenarioPlan } from './scenario.js';
import type { WorldCommand } from './simulation-world.js';

export const OPERATOR_ID = 'OPERATOR';
/** Long enough to outlive any run: rate sheets are withdrawn or republished by timed events only. */
const SHEET_MARGIN_SECONDS = 7 * 86_400;

/**
 * An institution's Ed25519 key pair, derived from the scenario's seed and its id: the same
 * scenario always registers the same keys (so its log is reproducible byte for byte), and
 * different seeds give unrelated keys. Simulation keys, never for real use.
 */
export function scenarioKeyPair(
  seed: number,
  institutionId: string,
): { secretKey: Uint8Array; publicKey: string } {
  const secretKey = new Uint8Array(
    createHash('sha256').update(`yuanbridge-scenario-key:${seed}:${institutionId}`).digest(),
  );
  return { secretKey, publicKey: publicKeyToBase64url(publicKeyFromSecretKey(secretKey)) };
}

/** Customer wallet `index` of `bank`: its id (drawn once from the setup stream, so it replays). */
export type CustomerWalletIds = ReadonlyMap<string, readonly string[]>;

/**
 * The rate a provider quotes from → to, from the two mid rates (units per reporting unit):
 * mid(to) / mid(from), to 10 significant digits, half-even. The spread is the sheet's own field.
 */
export function crossRate(mid: ReadonlyMap<string, Decimal>, from: string, to: string): string {
  return mid.get(to)!.dividedBy(mid.get(from)!).toSignificantDigits(10, Decimal.ROUND_HALF_EVEN).toFixed();
}

/** A provider's rate sheets as the scenario sets them (and as timed events republish them). */
export function rateSheetCommands(
  plan: ScenarioPlan,
  mid: ReadonlyMap<string, Decimal>,
  providerFilter: (id: string) => boolean = () => true,
): WorldCommand[] {
  const commands: WorldCommand[] = [];
  for (const j of plan.jurisdictions) {
    for (const bank of j.banks) {
      if (bank.liquidityProvider === null || !providerFilter(bank.id)) continue;
      for (const holding of bank.liquidityProvider.holdings) {
        for (const [from, to] of [
          [j.currency, holding.currency],
          [holding.currency, j.currency],
        ] as const) {
          commands.push({
            type: 'PublishRateSheet',
            actor: bank.id,
            from,
            to,
            rate: crossRate(mid, from, to),
            spreadBps: bank.liquidityProvider.spreadBps,
            // The provider pays out at most what it holds anyway; the sheet does not cap further.
            maxAmount: 10n ** 18n,
            validForSeconds: plan.durationSeconds + SHEET_MARGIN_SECONDS,
            evidence: null,
            now: 0n,
          });
        }
      }
    }
  }
  return commands;
}

/**
 * The commands that build the scenario's network, in the order the service's bootstrap issues
 * them (institutions, then issuance, then the market): the operator; each central bank
 * establishing its jurisdiction; its commercial banks (liquidity providers with the role);
 * reserves and issuance; customer wallets and their funding; corridors and each side's rules;
 * providers' foreign wallets, the liquidity they buy, and their rate sheets. `now` is stamped by
 * the engine.
 */
export function networkCommands(
  plan: ScenarioPlan,
  setupPrng: Prng,
  mid: ReadonlyMap<string, Decimal>,
): { commands: WorldCommand[]; customerWallets: CustomerWalletIds } {
  const commands: WorldCommand[] = [];
  const register = (
    actor: string,
    id: string,
    kind: string,
    jurisdiction: string | null,
    extra: object = {},
  ) => {
    const key = scenarioKeyPair(plan.seed, id);
    commands.push({
      type: 'RegisterInstitution',
      actor,
      id,
      kind,
      name: `${id} (scenario ${plan.name})`,
      jurisdiction,
      establishes: null,
      roles: [],
      keyId: `${id}-key-1`,
      publicKey: key.publicKey,
      now: 0n,
      ...extra,
    });
  };
  register('system', OPERATOR_ID, 'operator', null);
  for (const j of plan.jurisdictions) {
    register(OPERATOR_ID, j.centralBank, 'central_bank', j.code, {
      establishes: { name: j.name, currency: j.currency, timeZone: j.timeZone },
    });
  }
  for (const j of plan.jurisdictions) {
    for (const bank of j.banks) {
      register(j.centralBank, bank.id, 'commercial_bank', j.code, {
        name: bank.name,
        roles: bank.liquidityProvider !== null ? ['liquidity_provider'] : [],
      });
    }
  }
  const customerWallets = new Map<string, string[]>();
  for (const j of plan.jurisdictions) {
    for (const bank of j.banks) {
      if (bank.reservesMinor > 0n) {
        commands.push({
          type: 'CreditReserves',
          actor: j.centralBank,
          creditId: setupPrng.uuid(),
          bankId: bank.id,
          currency: j.currency,
          amount: bank.reservesMinor,
          signature: null,
          now: 0n,
        });
      }
      if (bank.issuedMinor > 0n) {
        commands.push({
          type: 'IssueDirectly',
          actor: j.centralBank,
          requestId: setupPrng.uuid(),
          bankId: bank.id,
          kind: 'issue',
          currency: j.currency,
          amount: bank.issuedMinor,
          reference: `scenario ${plan.name}`,
          signature: null,
          now: 0n,
        });
      }
      const ids: string[] = [];
      for (let n = 0; n < bank.customerWallets; n++) {
        const id = setupPrng.uuid();
        ids.push(id);
        // Tier 1 (opened in person, no caps): the workload's amounts are the researcher's to
        // choose; tier limits are a wallets-module rule a scenario can add later.
        commands.push({
          type: 'OpenWallet',
          actor: bank.id,
          wallet: { kind: 'customer', id, tier: 1, holderReference: `customer-${n + 1}` },
          now: 0n,
        });
        if (bank.customerWalletFundingMinor > 0n) {
          commands.push({
            type: 'TransferBetweenWallets',
            actor: bank.id,
            transferId: setupPrng.uuid(),
            from: `${bank.id}.${j.currency}`,
            to: id,
            amount: { text: bank.customerWalletFundingMinor.toString(), minor: true },
            reference: 'scenario: customer funding',
            now: 0n,
          });
        }
      }
      customerWallets.set(bank.id, ids);
    }
  }
  for (const c of plan.corridors) {
    commands.push({
      type: 'OpenCorridor',
      actor: OPERATOR_ID,
      jurisdictions: c.between,
      fees: Object.fromEntries(
        c.between.map((code) => [code, { fixedMinor: c.feeFixedMinor[code] ?? 0n, bps: c.feeBps }]),
      ),
      now: 0n,
    });
    for (const code of c.between) {
      const max = c.maxPaymentMinor[code] ?? null;
      const quota = c.dailyOutboundQuotaMinor[code] ?? null;
      if (max === null && quota === null && c.hours === null) continue;
      commands.push({
        type: 'SetCorridorSideRules',
        actor: jurisdiction(plan, code).centralBank,
        corridorId: corridorId(c.between[0], c.between[1]),
        jurisdiction: code,
        hours: c.hours,
        maxPaymentMinor: max,
        dailyOutboundQuotaMinor: quota,
        now: 0n,
      });
    }
  }
  for (const j of plan.jurisdictions) {
    for (const bank of j.banks) {
      if (bank.liquidityProvider === null) continue;
      for (const holding of bank.liquidityProvider.holdings) {
        commands.push({
          type: 'OpenWallet',
          actor: bank.id,
          wallet: { kind: 'bank', currency: holding.currency },
          now: 0n,
        });
        // Bought with a domestic transfer from the bank issued the most of that currency (the
        // demo market buys from a second bank; here the biggest holder can sell the most).
        const home = plan.jurisdictions.find((x) => x.currency === holding.currency)!;
        const seller = home.banks.reduce((a, b) => (b.issuedMinor > a.issuedMinor ? b : a));
        commands.push({
          type: 'TransferBetweenWallets',
          actor: seller.id,
          transferId: setupPrng.uuid(),
          from: `${seller.id}.${holding.currency}`,
          to: `${bank.id}.${holding.currency}`,
          amount: { text: holding.amountMinor.toString(), minor: true },
          reference: 'scenario: liquidity for the corridor',
          now: 0n,
        });
      }
    }
  }
  commands.push(...rateSheetCommands(plan, mid));
  return { commands, customerWallets };
}

export function jurisdiction(plan: ScenarioPlan, code: string): JurisdictionPlan {
  const found = plan.jurisdictions.find((j) => j.code === code);
  if (found === undefined) throw new Error(`jurisdiction ${code} is not in the scenario`);
  return found;
}
