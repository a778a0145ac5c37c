import type { RunningApp } from '../../src/create-app.js';
import type { CreateAccounts, CreateTransfers } from '../../src/ledger/domain/ledger.commands.js';
import type { AccountInput, TransferInput } from '../../src/ledger/domain/model.js';

/** The ledger's batch limit (BATCH_MAX): the size a client sends and the API accepts. */
export const BATCH = 8_000;

/** Creates accounts through the sequencer in 8,000-item commands and checks every result is ok. */
export async function createAccounts(running: RunningApp, accounts: readonly AccountInput[]): Promise<void> {
  for (let start = 0; start < accounts.length; start += BATCH) {
    const command: Omit<CreateAccounts, 'now'> = {
      type: 'CreateAccounts',
      accounts: accounts.slice(start, start + BATCH),
      strict: true,
    };
    const { reply } = await running.sequencer.execute<{ results: readonly string[] }>({
      command,
      metadata: { actor: 'bench' },
    });
    const failed = reply.results.findIndex((r) => r !== 'ok');
    if (failed >= 0 || reply.results.length !== command.accounts.length) {
      throw new Error(`account ${start + failed} was not created: ${reply.results[failed]}`);
    }
  }
}

/** Submits one createTransfers command the way the REST handler does (strict) and checks every result is ok. */
export async function submitTransfers(
  running: RunningApp,
  transfers: readonly TransferInput[],
): Promise<void> {
  const command: Omit<CreateTransfers, 'now'> = { type: 'CreateTransfers', transfers, strict: true };
  const { reply } = await running.sequencer.execute<{ results: readonly string[] }>({
    command,
    metadata: { actor: 'bench' },
  });
  if (reply.results.length !== transfers.length) {
    throw new Error(`${transfers.length} transfers submitted, ${reply.results.length} results`);
  }
  const failed = reply.results.findIndex((r) => r !== 'ok');
  if (failed >= 0) throw new Error(`transfer ${transfers[failed]!.id} failed: ${reply.results[failed]}`);
}
