#!/usr/bin/env node
/**
 * The yuanbridge command line: `yuanbridge <command> [options]`. Each command answers `--help`;
 * errors are one clear line on stderr and a non-zero exit.
 */
import { runAudit } from './audit.command.js';
import { runBench } from './bench.command.js';
import { runCall } from './call.command.js';
import { CliError } from './cli-error.js';
import { runKeys } from './keys.command.js';
import { runNodeKey } from './node-key.command.js';
import { runScenarioCommand } from '../scenarios/scenario.command.js';

const USAGE = `yuanbridge: a digital-yuan cross-border settlement simulator

Usage: yuanbridge <command> [options]

Commands:
  audit     verify the audit trail: re-hash the event log, check every signed checkpoint
  bench     run the benchmarks (npm run bench's harness) and write their results
  call      send a request signed as an institution (RFC 9421, Ed25519)
  keys      generate an Ed25519 key pair, or show an institution's public key
  node-key  show or rotate the node key that signs checkpoints and webhook deliveries
  scenario  run a simulation scenario on virtual time and write its report

Run 'yuanbridge <command> --help' for a command's options.`;

const COMMANDS: Record<string, (args: string[]) => Promise<number>> = {
  audit: runAudit,
  bench: runBench,
  call: runCall,
  keys: runKeys,
  'node-key': runNodeKey,
  scenario: runScenarioCommand,
};

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    console.log(USAGE);
    return command === undefined ? 2 : 0;
  }
  const run = COMMANDS[command];
  if (run === undefined)
    throw new CliError(`unknown command '${command}' (commands: ${Object.keys(COMMANDS).join(', ')})`);
  return run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const message = error instanceof CliError ? error.message : ((error as Error)?.message ?? String(error));
    // One line, whatever the error: scripts log it and read the exit code.
    console.error(`yuanbridge: ${message.replace(/\s*\n\s*/g, ' ')}`);
    process.exitCode = error instanceof CliError ? error.exitCode : 1;
  },
);
