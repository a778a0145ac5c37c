import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Client } from 'pg';
import { AppModule } from '../app.module.js';
import { writeKeysFile, type KeyEntry } from '../institutions/bootstrap/keys-file.js';
import { ManualClock } from '../platform/clock/clock.js';
import { loadConfig } from '../platform/config/config.js';
import { ProblemException } from '../platform/http/problem.js';
import { SequencerHost } from '../platform/sequencer/sequencer.host.js';
import { secretKeyToBase64url } from '../platform/signatures/index.js';
import { OPERATOR_ID, scenarioKeyPair } from './network-setup.js';
import { runReplication, type ReplicationResult } from './run-replication.js';
import type { ScenarioPlan } from './scenario.js';
import type { WorldCommand } from './simulation-world.js';

/** Persisting cannot start (nothing was written): a non-empty log, a run the service cannot hold. */
export class PersistRefused extends Error {}

/** The service decided a command otherwise than the engine did: a bug in one of the two. */
export class PersistDiverged extends Error {}

export interface PersistOptions {
  readonly databaseUrl: string;
  /** PostgreSQL schema (default YB_DB_SCHEMA, else public), created with the tables if missing. */
  readonly schema?: string;
  /** The node key that signs the checkpoints (default: the service's, YB_NODE_KEY_FILE or data/node-key.json). */
  readonly nodeKeyFile?: string;
  /** Where to write the scenario institutions' keys (the keys-file format `yuanbridge call` reads). */
  readonly keysFile?: string;
  /** Seed (default: the file's). */
  readonly seed?: number;
  /** The variant whose replication 0 is persisted (default: the baseline). */
  readonly variant?: string;
}

export interface PersistReport {
  readonly variant: string;
  readonly replication: number;
  readonly seed: number;
  /** Commands the service decided (each as the engine did) and events it wrote. */
  readonly commands: number;
  readonly events: number;
  /** Virtual instants at which anything was decided: a commit each (or a few, for a large one). */
  readonly instants: number;
  /** Log positions written: from (exclusive) and to (inclusive). */
  readonly fromPosition: string;
  readonly toPosition: string;
  readonly schema: string;
  /** The engine's result for that replication (the same as results.json's). */
  readonly result: ReplicationResult;
}

interface Decided {
  readonly command: WorldCommand;
  readonly at: bigint;
  /** Each event's type and stream, as the engine decided them. */
  readonly events: readonly string[];
}

/**
 * Persists one replication of a scenario into a PostgreSQL database exactly as the service
 * writes: the engine runs the replication (virtual time, the service's deciders) and records
 * every command the deciders accepted with its virtual instant; those commands are then
 * submitted, in order, to the service's own sequencer (the Nest application on that database,
 * without HTTP), its clock set to each command's virtual instant. So the events, their audit seal
 * (hash, chain, scope, a checkpoint signed by the node key per batch) and the inline read models
 * (ledger, balances, payments, …) are written by the very code that writes them in production:
 * there is no second copy of the projections. Every command must be accepted with the events the
 * engine decided (the same types on the same streams, in order), or the run stops with
 * PersistDiverged.
 *
 * What is not the service's is refused before anything is written: PvP off (the engine's own
 * correspondent model, whose events the service does not know).
 */
export async function persistRun(plan: ScenarioPlan, options: PersistOptions): Promise<PersistReport> {
  const variantName = options.variant ?? 'baseline';
  refuseUnpersistable(plan, variantName);
  const seed = options.seed ?? plan.seed;
  const decided: Decided[] = [];
  const result = runReplication(
    { plan, variant: variantName, replication: 0, seed },
    {
      onAccepted: (command, at, events) =>
        decided.push({ command, at, events: events.map((e) => `${e.type} ${e.streamId}`) }),
    },
  );

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: options.databaseUrl,
    // The run's commands only: no demo network, no timers deciding on their own (the engine's
    // settlement cycles are among the commands), quiet.
    YB_DEMO: 'off',
    YB_SETTLEMENT_INTERVAL_MS: '0',
    YB_EXPIRY_INTERVAL_MS: '0',
    YB_LOG_LEVEL: 'silent',
  };
  if (options.schema !== undefined) env.YB_DB_SCHEMA = options.schema;
  if (options.nodeKeyFile !== undefined) env.YB_NODE_KEY_FILE = options.nodeKeyFile;
  const config = loadConfig(env);
  const clock = new ManualClock(plan.startNs);
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config, clock), {
    logger: false,
    abortOnError: false,
  });
  try {
    await app.init();
    const host = app.get(SequencerHost);
    const start = host.committedPosition;
    if (start > 0n) {
      throw new PersistRefused(nonEmpty(config.databaseSchema, start));
    }
    const correlationId = `scenario:${plan.name}:${seed}:${variantName}:0`;
    // What the sequencer committed, event by event, against what the engine decided.
    const expected = decided.flatMap((d) => d.events);
    let seen = 0;
    let mismatch: string | null = null;
    host.onCommitted((recorded) => {
      for (const r of recorded) {
        const got = `${r.event.type} ${r.event.streamId}`;
        if (mismatch === null && got !== expected[seen])
          mismatch = `event ${r.position}: the service wrote ${got}, the engine ${expected[seen] ?? 'nothing'}`;
        seen++;
      }
    });
    let position = start;
    let instants = 0;
    for (let i = 0; i < decided.length;) {
      const at = decided[i]!.at;
      let j = i;
      while (j < decided.length && decided[j]!.at === at) j++;
      const group = decided.slice(i, j);
      clock.set(at);
      // Submitted together, decided in this order: one commit per instant (or a few, past
      // the sequencer's batch size), all at the instant's virtual time.
      const outcomes = await Promise.allSettled(
        group.map(({ command }) => {
          const { now: _now, ...submitted } = command;
          const actor = typeof command.actor === 'string' ? command.actor : 'system';
          return host.execute({ command: submitted, metadata: { actor, correlationId } });
        }),
      );
      for (let k = 0; k < group.length; k++) {
        const d = group[k]!;
        const outcome = outcomes[k]!;
        position += BigInt(d.events.length);
        if (outcome.status === 'rejected') {
          const reason = outcome.reason as unknown;
          const why =
            reason instanceof ProblemException
              ? `refused it (${reason.problem.code}: ${reason.problem.detail})`
              : `failed: ${(reason as Error)?.message ?? String(reason)}`;
          throw new PersistDiverged(
            `the service ${why} — ${d.command.type} at ${new Date(Number(at / 1_000_000n)).toISOString()}, which the engine accepted; the log keeps the ${host.committedPosition - start} events written up to then`,
          );
        }
        if (outcome.value.position !== position) {
          throw new PersistDiverged(
            `the service wrote ${d.command.type} at ${new Date(Number(at / 1_000_000n)).toISOString()} up to position ${outcome.value.position}, the engine's events end at ${position}: the two decided differently`,
          );
        }
      }
      if (mismatch !== null) throw new PersistDiverged(`the two decided differently: ${mismatch}`);
      instants++;
      i = j;
    }
    if (options.keysFile !== undefined) writeKeysFile(options.keysFile, { institutions: keysOf(plan) });
    return {
      variant: variantName,
      replication: 0,
      seed,
      commands: decided.length,
      events: Number(position - start),
      instants,
      fromPosition: start.toString(),
      toPosition: position.toString(),
      schema: config.databaseSchema,
      result,
    };
  } finally {
    await app.close();
  }
}

function refuseUnpersistable(plan: ScenarioPlan, variantName: string): void {
  const variant = plan.variants.find((v) => v.name === variantName);
  if (variant === undefined) throw new PersistRefused(`no variant ${variantName} in scenario ${plan.name}`);
  if (!variant.policies.pvp) {
    throw new PersistRefused(
      `run '${variantName}' has pvp: false: the correspondent model is the engine's own (the service always settles PvP), its events cannot be written to the service's log; persist a run with pvp: true`,
    );
  }
}

/**
 * What persistRun would refuse, checked before a long simulation rather than after it: a run the
 * service cannot hold, a database that cannot be reached, a log that already holds events.
 */
export async function checkPersistable(plan: ScenarioPlan, options: PersistOptions): Promise<void> {
  refuseUnpersistable(plan, options.variant ?? 'baseline');
  const schema = options.schema ?? (process.env.YB_DB_SCHEMA || 'public');
  const client = new Client({ connectionString: options.databaseUrl });
  try {
    await client.connect();
  } catch (error) {
    throw new PersistRefused(`cannot connect to the database: ${(error as Error).message}`);
  }
  try {
    const [table] = (await client.query('select to_regclass($1) as head', [`"${schema}".event_log_head`]))
      .rows as Array<{ head: string | null }>;
    if (table?.head === null || table === undefined) return;
    const [row] = (await client.query(`select position from "${schema}".event_log_head where id = 1`))
      .rows as Array<{ position: string }>;
    const events = BigInt(row?.position ?? '0');
    if (events > 0n) throw new PersistRefused(nonEmpty(schema, events));
  } finally {
    await client.end().catch(() => undefined);
  }
}

function nonEmpty(schema: string, events: bigint): string {
  // No way round it: a scenario builds its network from nothing (the operator, each central bank
  // establishing its jurisdiction), which a log that has a network refuses.
  return `the event log in schema ${schema} already holds ${events} events: a scenario builds its network from nothing and is persisted into an empty database or schema (choose another with --schema)`;
}

/**
 * The scenario institutions' keys, as a keys file holds them: derived from the file's seed and
 * each id (network-setup.ts registers them so), not from a --seed override.
 */
export function keysOf(plan: ScenarioPlan): Record<string, KeyEntry> {
  const ids = [
    OPERATOR_ID,
    ...plan.jurisdictions.flatMap((j) => [j.centralBank, ...j.banks.map((b) => b.id)]),
  ];
  return Object.fromEntries(
    ids.map((id) => {
      const pair = scenarioKeyPair(plan.seed, id);
      return [
        id,
        { keyId: `${id}-key-1`, publicKey: pair.publicKey, secretKey: secretKeyToBase64url(pair.secretKey) },
      ];
    }),
  );
}
