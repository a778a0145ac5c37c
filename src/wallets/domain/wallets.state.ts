import { UndoableMap, type Undoable } from '../../platform/state/undoable-map.js';
import type { Wallet } from './wallet.js';

/** Every wallet, by id. */
export class WalletsState implements Undoable {
  readonly wallets = new UndoableMap<string, Wallet>();

  begin(): void {
    for (const part of this.parts()) part.begin();
  }

  commit(): void {
    for (const part of this.parts()) part.commit();
  }

  rollback(): void {
    for (const part of this.parts()) part.rollback();
  }

  private parts(): Undoable[] {
    return [this.wallets];
  }
}
