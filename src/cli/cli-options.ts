import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { readKeysFile, type KeyEntry } from '../institutions/bootstrap/keys-file.js';
import { CliError } from './cli-error.js';

/**
 * parseArgs with errors turned into one-line CLI errors that name the command and point at its
 * --help (the usage itself is not repeated: an error is one line a script can log).
 */
export function parseOptions<T extends NonNullable<ParseArgsConfig['options']>>(
  args: string[],
  options: T,
  command: string,
) {
  try {
    return parseArgs({
      args,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new CliError(usageError(command, (error as Error).message));
  }
}

/** Where the service wrote its keys: --keys, else YB_KEYS_FILE, else <YB_DATA_DIR or ./data>/keys.json. */
export function keysFilePath(option: string | undefined): string {
  if (option) return path.resolve(option);
  if (process.env.YB_KEYS_FILE) return path.resolve(process.env.YB_KEYS_FILE);
  return path.resolve(process.env.YB_DATA_DIR || 'data', 'keys.json');
}

export function keyOf(institution: string, file: string): KeyEntry {
  const keys = readKeysFile(file);
  const entry = keys.institutions[institution];
  if (entry === undefined) {
    const known = Object.keys(keys.institutions);
    throw new CliError(
      known.length === 0
        ? `no keys in ${file}: start the service once (npm start) to create the demo network, or pass --keys`
        : `no key for ${institution} in ${file} (it has: ${known.join(', ')})`,
    );
  }
  return entry;
}

/** One line: `<command>: <what is wrong> (see yuanbridge <command> --help)`. */
export function usageError(command: string, message: string): string {
  // Node's parseArgs adds advice on `--` to an unknown option; the help says enough.
  const what = message.replace(/\. To specify a positional argument[\s\S]*$/, '').replace(/\s*\n\s*/g, ' ');
  return `${command}: ${what} (see yuanbridge ${command} --help)`;
}
