import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { findCurrency } from '../ledger/domain/currency.js';
import type {
  AmountDistribution,
  BankPlan,
  CorridorPlan,
  JurisdictionPlan,
  Policies,
  ScenarioPlan,
  TimedEventPlan,
  VariantPlan,
  WorkloadPlan,
} from './scenario.js';

/** A scenario file that cannot be run: every problem, each with the JSON path of the bad value. */
export class ScenarioInvalid extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`${file}: ${problems.join('; ')}`);
  }
}

const DEFAULT_START = '2027-01-04T00:00:00Z'; // a Monday: business-hours profiles start on a working day
const DEFAULT_POLICIES: Policies = {
  pvp: true,
  liquiditySaving: true,
  queueOrder: 'fifo',
  expiresInSeconds: 86_400,
  correspondentLagSeconds: 3_600,
  settlementIntervalSeconds: 60,
};

/** Hourly weights of the named daily profiles (the payer's local hours). */
const PROFILES: Record<string, readonly number[]> = {
  flat: Array.from({ length: 24 }, () => 1),
  // Most payments in local banking hours, a trickle overnight.
  business_hours: [
    0.1, 0.1, 0.1, 0.1, 0.1, 0.2, 0.4, 0.8, 1.6, 2.2, 2.4, 2.2, 1.6, 2.0, 2.4, 2.2, 1.8, 1.2, 0.6, 0.4, 0.3,
    0.2, 0.1, 0.1,
  ],
  two_peaks: [
    0.2, 0.1, 0.1, 0.1, 0.1, 0.2, 0.5, 1, 2, 3, 2.5, 1.5, 1, 1.5, 2.5, 3, 2, 1, 0.6, 0.4, 0.3, 0.3, 0.2, 0.2,
  ],
};

let validator: ReturnType<Ajv['compile']> | null = null;

/** The published schema, read from the repository (scenarios/scenario.schema.json). */
export function scenarioSchemaPath(): string {
  let dir = __dirname;
  for (;;) {
    const candidate = path.join(dir, 'scenarios', 'scenario.schema.json');
    if (fs.existsSync(candidate) && fs.existsSync(path.join(dir, 'package.json'))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('scenarios/scenario.schema.json not found above ' + __dirname);
    dir = parent;
  }
}

function validate(document: unknown): readonly ErrorObject[] {
  if (validator === null) {
    const ajv = new Ajv({ allErrors: true, discriminator: true, strict: true, strictRequired: false });
    validator = ajv.compile(JSON.parse(fs.readFileSync(scenarioSchemaPath(), 'utf8')) as object);
  }
  return validator(document) ? [] : (validator.errors ?? []);
}

/** One line per schema error: `/workload/0/perDay: must be > 0`. */
function describe(errors: readonly ErrorObject[]): string[] {
  const lines = errors
    // A oneOf's own "must match exactly one schema" repeats what its branches said.
    .filter(
      (e) =>
        e.keyword !== 'oneOf' || errors.every((o) => o === e || !o.instancePath.startsWith(e.instancePath)),
    )
    .map((e) => {
      const where = e.instancePath === '' ? '/' : e.instancePath;
      if (e.keyword === 'discriminator') {
        const tag = (e.params as { tag: string }).tag;
        return `${where}/${tag}: is not one of the known ${tag === 'type' ? 'event types' : `${tag} values`}`;
      }
      const extra =
        e.keyword === 'additionalProperties'
          ? ` ('${(e.params as { additionalProperty: string }).additionalProperty}')`
          : e.keyword === 'enum'
            ? ` (${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')})`
            : '';
      return `${where}: ${e.message ?? e.keyword}${extra}`;
    });
  return [...new Set(lines)];
}

export function loadScenarioFile(file: string): ScenarioPlan {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ScenarioInvalid(file, [
      `cannot read the file (${(error as NodeJS.ErrnoException).code ?? error})`,
    ]);
  }
  return parseScenario(text, file);
}

/** Parses YAML or JSON text (JSON is YAML), validates it against the schema, and normalises it. */
export function parseScenario(text: string, file = '<scenario>'): ScenarioPlan {
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    throw new ScenarioInvalid(file, [`not valid YAML/JSON: ${(error as Error).message.split('\n')[0]}`]);
  }
  return scenarioFromDocument(document, file, createHash('sha256').update(text).digest('hex'));
}

/**
 * A scenario document however it was written (a YAML file, a TypeScript script's export):
 * validated against the schema and normalised. `digest` identifies the source in results.json.
 */
export function scenarioFromDocument(document: unknown, file: string, digest: string): ScenarioPlan {
  const errors = validate(document);
  if (errors.length > 0) throw new ScenarioInvalid(file, describe(errors));
  const problems: string[] = [];
  const plan = normalise(document as RawScenario, problems, digest);
  if (problems.length > 0) throw new ScenarioInvalid(file, problems);
  return plan;
}

// ---------------------------------------------------------------------------------------------
// The file's shape once the schema has accepted it.

type RawDuration = number | string;
interface RawPolicies {
  pvp?: boolean;
  liquiditySaving?: boolean;
  queueOrder?: Policies['queueOrder'];
  expiresIn?: RawDuration;
  correspondentLag?: RawDuration;
  settlementInterval?: RawDuration;
}
interface RawBank {
  id: string;
  name?: string;
  reserves?: string;
  issued?: string;
  customerWallets?: number;
  customerWalletFunding?: string;
  liquidityProvider?: { spreadBps?: number; holdings: Record<string, string> };
}
interface RawScenario {
  name: string;
  description?: string;
  seed: number;
  start?: string;
  duration: RawDuration;
  replications?: number;
  sampleEvery?: RawDuration;
  reportingCurrency?: string;
  policies?: RawPolicies;
  jurisdictions: Array<{
    code: string;
    name?: string;
    currency: string;
    timeZone?: string;
    centralBank: string;
    midRate: string;
    banks?: RawBank[];
    bankGroups?: Array<
      Omit<RawBank, 'id' | 'name' | 'liquidityProvider'> & { count: number; prefix: string }
    >;
  }>;
  corridors: Array<{
    between: [string, string];
    feeBps?: number;
    feeFixed?: string;
    maxPayment?: Record<string, string>;
    dailyOutboundQuota?: Record<string, string>;
    hours?: { open: string; close: string; days?: number[] };
  }>;
  workload: Array<{
    name?: string;
    from: string;
    to: string;
    perDay: number;
    dailyProfile?: number[] | string;
    amount: AmountDistribution;
    fixed?: 'source' | 'target';
    customerShare?: number;
    payers?: string[];
    payees?: string[];
  }>;
  events?: RawEvent[];
  variants?: Array<{
    name: string;
    description?: string;
    policies?: RawPolicies;
    workloadScale?: number;
    events?: RawEvent[];
  }>;
}
type RawEvent = { type: TimedEventPlan['type']; at: RawDuration; duration?: RawDuration } & Record<
  string,
  unknown
>;

export function durationSeconds(value: RawDuration): number {
  if (typeof value === 'number') return value;
  const unit = value.slice(-1);
  const scale = unit === 'd' ? 86_400 : unit === 'h' ? 3_600 : unit === 'm' ? 60 : 1;
  return Math.round(Number(value.slice(0, -1)) * scale);
}

/** Major-unit decimal text → minor units, exactly (no float): at most the currency's decimals. */
export function majorToMinor(text: string, exponent: number): bigint | null {
  const [whole, fraction = ''] = text.split('.');
  if (fraction.length > exponent) return null;
  return BigInt(whole! + fraction.padEnd(exponent, '0'));
}

function normalise(raw: RawScenario, problems: string[], digest: string): ScenarioPlan {
  const currencyOf = new Map<string, { currency: string; exponent: number }>();
  const institutions = new Map<
    string,
    { kind: 'central_bank' | 'commercial_bank'; jurisdiction: string; lp: boolean }
  >();
  const money = (where: string, text: string | undefined, exponent: number, fallback = 0n): bigint => {
    if (text === undefined) return fallback;
    const minor = majorToMinor(text, exponent);
    if (minor === null) problems.push(`${where}: ${text} has more than ${exponent} decimals`);
    return minor ?? 0n;
  };

  const jurisdictions: JurisdictionPlan[] = raw.jurisdictions.map((j, ji) => {
    const where = `/jurisdictions/${ji}`;
    const currency = findCurrency(j.currency);
    if (currency === undefined)
      problems.push(`${where}/currency: ${j.currency} is not an ISO 4217 currency the ledger knows`);
    if (currencyOf.has(j.code)) problems.push(`${where}/code: ${j.code} is declared twice`);
    const exponent = currency?.exponent ?? 2;
    currencyOf.set(j.code, { currency: j.currency, exponent });
    if (institutions.has(j.centralBank))
      problems.push(`${where}/centralBank: ${j.centralBank} is declared twice`);
    institutions.set(j.centralBank, { kind: 'central_bank', jurisdiction: j.code, lp: false });
    if (Number(j.midRate) <= 0) problems.push(`${where}/midRate: must be more than 0`);
    const banks: BankPlan[] = [];
    const addBank = (bankWhere: string, b: RawBank) => {
      if (institutions.has(b.id)) problems.push(`${bankWhere}/id: ${b.id} is declared twice`);
      institutions.set(b.id, {
        kind: 'commercial_bank',
        jurisdiction: j.code,
        lp: b.liquidityProvider !== undefined,
      });
      const reservesMinor = money(`${bankWhere}/reserves`, b.reserves, exponent);
      const issuedMinor = money(`${bankWhere}/issued`, b.issued, exponent, reservesMinor);
      if (issuedMinor > reservesMinor)
        problems.push(`${bankWhere}/issued: more than its reserves (${b.reserves ?? '0'})`);
      banks.push({
        id: b.id,
        name: b.name ?? `${b.id} (scenario bank)`,
        reservesMinor,
        issuedMinor,
        customerWallets: b.customerWallets ?? 0,
        customerWalletFundingMinor: money(
          `${bankWhere}/customerWalletFunding`,
          b.customerWalletFunding,
          exponent,
        ),
        liquidityProvider:
          b.liquidityProvider === undefined
            ? null
            : {
                spreadBps: b.liquidityProvider.spreadBps ?? 10,
                // Resolved against the other jurisdictions once all are known (below).
                holdings: Object.entries(b.liquidityProvider.holdings).map(([c, amount]) => ({
                  currency: c,
                  amountMinor: 0n, // replaced below, once every currency is known
                  text: amount,
                })) as never,
              },
      });
    };
    (j.banks ?? []).forEach((b, bi) => addBank(`${where}/banks/${bi}`, b));
    (j.bankGroups ?? []).forEach((g, gi) => {
      for (let n = 1; n <= g.count; n++)
        addBank(`${where}/bankGroups/${gi}`, { ...g, id: `${g.prefix}${String(n).padStart(2, '0')}` });
    });
    if (banks.length === 0)
      problems.push(`${where}: needs at least one commercial bank (banks or bankGroups)`);
    return {
      code: j.code,
      name: j.name ?? j.code,
      currency: j.currency,
      exponent,
      timeZone: j.timeZone ?? 'UTC',
      centralBank: j.centralBank,
      midRate: j.midRate,
      banks,
    };
  });
  const exponentOfCurrency = new Map([...currencyOf.values()].map((c) => [c.currency, c.exponent]));
  // Liquidity providers' foreign holdings, now that every currency is known.
  const resolved = jurisdictions.map((j, ji) => ({
    ...j,
    banks: j.banks.map((b, bi) => {
      if (b.liquidityProvider === null) return b;
      const holdings = (
        b.liquidityProvider.holdings as unknown as Array<{ currency: string; text: string }>
      ).map((h) => {
        const where = `/jurisdictions/${ji}/banks/${bi}/liquidityProvider/holdings/${h.currency}`;
        const exponent = exponentOfCurrency.get(h.currency);
        if (exponent === undefined) problems.push(`${where}: no jurisdiction issues ${h.currency}`);
        if (h.currency === j.currency)
          problems.push(`${where}: a provider's holdings are foreign currencies`);
        return { currency: h.currency, amountMinor: money(where, h.text, exponent ?? 2) };
      });
      return { ...b, liquidityProvider: { spreadBps: b.liquidityProvider.spreadBps, holdings } };
    }),
  }));

  const known = (where: string, code: string) => {
    if (!currencyOf.has(code)) problems.push(`${where}: jurisdiction ${code} is not declared`);
  };
  const corridorKeys = new Set<string>();
  const corridors: CorridorPlan[] = raw.corridors.map((c, ci) => {
    const where = `/corridors/${ci}`;
    c.between.forEach((code, k) => known(`${where}/between/${k}`, code));
    if (c.between[0] === c.between[1])
      problems.push(`${where}/between: a corridor joins two different jurisdictions`);
    corridorKeys.add([...c.between].sort().join('-'));
    const perSide = (field: 'maxPayment' | 'dailyOutboundQuota') =>
      Object.fromEntries(
        Object.entries(c[field] ?? {}).map(([code, text]) => {
          if (!c.between.includes(code))
            problems.push(`${where}/${field}/${code}: not a side of this corridor`);
          return [code, money(`${where}/${field}/${code}`, text, currencyOf.get(code)?.exponent ?? 2)];
        }),
      );
    return {
      between: c.between,
      feeBps: c.feeBps ?? 0,
      feeFixedMinor: Object.fromEntries(
        c.between.map((code) => [
          code,
          money(`${where}/feeFixed`, c.feeFixed, currencyOf.get(code)?.exponent ?? 2),
        ]),
      ),
      maxPaymentMinor: perSide('maxPayment'),
      dailyOutboundQuotaMinor: perSide('dailyOutboundQuota'),
      hours:
        c.hours === undefined
          ? null
          : { open: c.hours.open, close: c.hours.close, days: c.hours.days ?? [1, 2, 3, 4, 5, 6, 7] },
    };
  });

  const banksOf = (code: string) => resolved.find((j) => j.code === code)?.banks ?? [];
  const workload: WorkloadPlan[] = raw.workload.map((w, wi) => {
    const where = `/workload/${wi}`;
    known(`${where}/from`, w.from);
    known(`${where}/to`, w.to);
    if (!corridorKeys.has([w.from, w.to].sort().join('-')))
      problems.push(
        `${where}: no corridor joins ${w.from} and ${w.to} (payments there would all be rejected)`,
      );
    const members = (field: 'payers' | 'payees', code: string) => {
      // By default the banks that are not providers: providers quote and convert, others pay.
      const ordinary = banksOf(code).filter((b) => b.liquidityProvider === null);
      const list = w[field] ?? (ordinary.length > 0 ? ordinary : banksOf(code)).map((b) => b.id);
      list.forEach((id, k) => {
        const found = institutions.get(id);
        if (found?.kind !== 'commercial_bank' || found.jurisdiction !== code)
          problems.push(`${where}/${field}/${k}: ${id} is not a commercial bank in ${code}`);
      });
      return list;
    };
    const profile =
      typeof w.dailyProfile === 'string' ? PROFILES[w.dailyProfile]! : (w.dailyProfile ?? PROFILES.flat!);
    const mean = profile.reduce((s, x) => s + x, 0) / 24;
    if (mean === 0) problems.push(`${where}/dailyProfile: every weight is 0`);
    return {
      name: w.name ?? `${w.from}->${w.to}`,
      from: w.from,
      to: w.to,
      perDay: w.perDay,
      dailyProfile: profile.map((x) => (mean === 0 ? 0 : x / mean)),
      amount: w.amount,
      fixed: w.fixed ?? 'source',
      customerShare: w.customerShare ?? 0,
      payers: members('payers', w.from),
      payees: members('payees', w.to),
    };
  });
  workload.forEach((w, wi) => {
    if (w.customerShare > 0) {
      const without = w.payers.filter(
        (id) => (banksOf(w.from).find((b) => b.id === id)?.customerWallets ?? 0) === 0,
      );
      if (without.length > 0)
        problems.push(
          `/workload/${wi}/customerShare: payers without customer wallets: ${without.join(', ')}`,
        );
    }
  });

  const events = (list: RawEvent[] | undefined, base: string): TimedEventPlan[] =>
    (list ?? []).map((e, ei) => {
      const where = `${base}/${ei}`;
      const atSeconds = durationSeconds(e.at);
      const durationSecondsOrNull = e.duration === undefined ? null : durationSeconds(e.duration);
      const institution = (field: string, kind?: 'commercial_bank', lp?: boolean) => {
        const id = e[field] as string;
        const found = institutions.get(id);
        if (found === undefined || (kind !== undefined && found.kind !== kind) || (lp === true && !found.lp))
          problems.push(
            `${where}/${field}: ${id} is not ${lp ? 'a liquidity provider' : kind ? 'a commercial bank' : 'an institution'} in the scenario`,
          );
        return id;
      };
      switch (e.type) {
        case 'provider_outage':
          return {
            type: e.type,
            atSeconds,
            provider: institution('provider', 'commercial_bank', true),
            durationSeconds: durationSecondsOrNull,
          };
        case 'fx_shock':
          if (!exponentOfCurrency.has(e.currency as string))
            problems.push(`${where}/currency: no jurisdiction issues ${e.currency as string}`);
          return {
            type: e.type,
            atSeconds,
            currency: e.currency as string,
            change: e.change as number,
            durationSeconds: durationSecondsOrNull,
          };
        case 'corridor_suspension': {
          const pair = e.corridor as [string, string];
          if (!corridorKeys.has([...pair].sort().join('-')))
            problems.push(`${where}/corridor: no such corridor`);
          const by = (e.by as string | undefined) ?? pair[0];
          if (!pair.includes(by)) problems.push(`${where}/by: ${by} is not a side of the corridor`);
          return { type: e.type, atSeconds, corridor: pair, by, durationSeconds: durationSecondsOrNull };
        }
        case 'bank_run':
          return {
            type: e.type,
            atSeconds,
            bank: institution('bank', 'commercial_bank'),
            share: e.share as number,
          };
        case 'freeze':
          return {
            type: e.type,
            atSeconds,
            institution: institution('institution', 'commercial_bank'),
            scope: (e.scope as 'all' | 'outgoing' | undefined) ?? 'all',
            durationSeconds: durationSecondsOrNull,
          };
      }
    });

  const policiesOf = (base: Policies, p: RawPolicies | undefined): Policies => ({
    pvp: p?.pvp ?? base.pvp,
    liquiditySaving: p?.liquiditySaving ?? base.liquiditySaving,
    queueOrder: p?.queueOrder ?? base.queueOrder,
    expiresInSeconds: p?.expiresIn !== undefined ? durationSeconds(p.expiresIn) : base.expiresInSeconds,
    correspondentLagSeconds:
      p?.correspondentLag !== undefined ? durationSeconds(p.correspondentLag) : base.correspondentLagSeconds,
    settlementIntervalSeconds:
      p?.settlementInterval !== undefined
        ? durationSeconds(p.settlementInterval)
        : base.settlementIntervalSeconds,
  });
  const basePolicies = policiesOf(DEFAULT_POLICIES, raw.policies);
  const baseEvents = events(raw.events, '/events');
  const variants: VariantPlan[] = [
    {
      name: 'baseline',
      description: 'the scenario as written',
      policies: basePolicies,
      workloadScale: 1,
      events: baseEvents,
    },
    ...(raw.variants ?? []).map((v, vi) => ({
      name: v.name,
      description: v.description ?? '',
      policies: policiesOf(basePolicies, v.policies),
      workloadScale: v.workloadScale ?? 1,
      events: v.events === undefined ? baseEvents : events(v.events, `/variants/${vi}/events`),
    })),
  ];
  const names = variants.map((v) => v.name);
  if (new Set(names).size !== names.length)
    problems.push(`/variants: names must differ from each other and from "baseline"`);

  const reportingCurrency = raw.reportingCurrency ?? raw.jurisdictions[0]!.currency;
  if (!exponentOfCurrency.has(reportingCurrency))
    problems.push(`/reportingCurrency: no jurisdiction issues ${reportingCurrency}`);
  const start = raw.start ?? DEFAULT_START;
  const startMs = Date.parse(start);
  if (Number.isNaN(startMs)) problems.push(`/start: ${start} is not a date`);
  return {
    name: raw.name,
    description: raw.description ?? '',
    seed: raw.seed,
    startNs: BigInt(Number.isNaN(startMs) ? 0 : startMs) * 1_000_000n,
    durationSeconds: durationSeconds(raw.duration),
    replications: raw.replications ?? 1,
    sampleEverySeconds: raw.sampleEvery !== undefined ? durationSeconds(raw.sampleEvery) : 3_600,
    reportingCurrency,
    jurisdictions: resolved,
    corridors,
    workload,
    variants,
    sourceDigest: digest,
  };
}
