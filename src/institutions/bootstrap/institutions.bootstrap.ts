import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../platform/config/config.js';
import { SequencerHost } from '../../platform/sequencer/sequencer.host.js';
import type { Institution } from '../domain/institution.js';
import type { RegisterInstitution, RotateInstitutionKey } from '../domain/institutions.commands.js';
import { nextKeyId as nextKeyIdAfter, SYSTEM_ACTOR } from '../domain/institutions.decider.js';
import { InstitutionsSequencedModule } from '../institutions.sequenced-module.js';
import { DEMO_NETWORK, type DemoInstitution } from './demo-network.js';
import { newKeyEntry, readKeysFile, writeKeysFile, type KeyEntry, type KeysFile } from './keys-file.js';

/** A step other modules add to seed a newly created demo network (reserves, issuance, wallets). */
export type DemoStep = (network: readonly DemoInstitution[]) => Promise<void>;

/**
 * Runs once the sequencer has rebuilt state and before the server listens (startApp calls it):
 * 1. the operator: registered with the configured public key (YB_OPERATOR_PUBLIC_KEY), or with a
 *    key generated into the keys file; a changed key is rotated in;
 * 2. with YB_DEMO=on, the demo network: each institution that is missing is registered with a key
 *    from the keys file (generated if absent); one whose key in the file differs is rotated to it;
 * 3. if the demo network was just created, the seeding steps other modules registered.
 * Everything goes through the sequencer as commands of the 'system' actor, so it is in the log
 * like any other change.
 */
@Injectable()
export class InstitutionsBootstrap {
  private readonly logger = new Logger('bootstrap');
  private readonly demoSteps: Array<{ name: string; step: DemoStep; order: number }> = [];

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sequencer: SequencerHost,
    private readonly institutions: InstitutionsSequencedModule,
  ) {}

  /** Steps run in `order` (then registration order): funding (10) before market making (20). */
  addDemoStep(name: string, step: DemoStep, order = 10): void {
    this.demoSteps.push({ name, step, order });
    this.demoSteps.sort((a, b) => a.order - b.order);
  }

  async run(): Promise<void> {
    const needsFile = this.config.operatorPublicKey === null || this.config.demoNetwork;
    const keys: KeysFile = needsFile ? readKeysFile(this.config.keysFile) : { institutions: {} };
    let fileChanged = false;
    const keyFor = (id: string): KeyEntry => {
      const existing = keys.institutions[id];
      if (existing !== undefined) return existing;
      const registered = this.institutions.state.institutions.get(id);
      const entry = newKeyEntry(nextKeyId(id, registered));
      keys.institutions[id] = entry;
      fileChanged = true;
      return entry;
    };

    const operatorId = this.config.operatorId;
    const operatorKey =
      this.config.operatorPublicKey !== null
        ? {
            keyId: keyIdFor(
              operatorId,
              this.config.operatorPublicKey,
              this.institutions.state.institutions.get(operatorId),
            ),
            publicKey: this.config.operatorPublicKey,
          }
        : keyFor(operatorId);
    await this.ensure(
      { id: operatorId, kind: 'operator', name: 'Platform operator', jurisdiction: '', roles: [] },
      operatorKey,
    );

    let created = false;
    if (this.config.demoNetwork) {
      for (const member of DEMO_NETWORK) {
        created = (await this.ensure(member, keyFor(member.id))) || created;
      }
    }
    // A rotation may have given a stored key a new key id: the file must name the registered one.
    for (const [id, entry] of Object.entries(keys.institutions)) {
      const registered = this.institutions.state.institutions.get(id);
      if (
        registered !== undefined &&
        registered.key.publicKey === entry.publicKey &&
        registered.key.keyId !== entry.keyId
      ) {
        keys.institutions[id] = { ...entry, keyId: registered.key.keyId };
        fileChanged = true;
      }
    }
    if (fileChanged) {
      writeKeysFile(this.config.keysFile, keys);
      this.logger.log(`generated keys written to ${this.config.keysFile}`);
    }
    if (created) {
      for (const { name, step } of this.demoSteps) {
        await step(DEMO_NETWORK);
        this.logger.log(`demo network: ${name}`);
      }
    }
  }

  /** Registers the institution if missing, or rotates its key to `key`. True if it was registered now. */
  private async ensure(member: DemoInstitution, key: { keyId: string; publicKey: string }): Promise<boolean> {
    const current = this.institutions.state.institutions.get(member.id);
    if (current === undefined) {
      const command: Omit<RegisterInstitution, 'now'> = {
        type: 'RegisterInstitution',
        actor: SYSTEM_ACTOR,
        id: member.id,
        kind: member.kind,
        name: member.name,
        jurisdiction: member.kind === 'operator' ? null : member.jurisdiction,
        establishes: member.establishes ?? null,
        roles: member.roles,
        keyId: key.keyId,
        publicKey: key.publicKey,
      };
      await this.sequencer.execute({ command, metadata: { actor: SYSTEM_ACTOR } });
      return true;
    }
    if (current.key.publicKey !== key.publicKey) {
      const keyId =
        current.key.keyId === key.keyId || this.institutions.state.usedKeyIds.has(key.keyId)
          ? nextKeyId(member.id, current)
          : key.keyId;
      const command: Omit<RotateInstitutionKey, 'now'> = {
        type: 'RotateInstitutionKey',
        actor: SYSTEM_ACTOR,
        institutionId: member.id,
        keyId,
        publicKey: key.publicKey,
      };
      await this.sequencer.execute({ command, metadata: { actor: SYSTEM_ACTOR } });
      this.logger.warn(
        `${member.id}: key rotated to ${keyId} (the configured or stored key differed from the registered one)`,
      );
    }
    return false;
  }
}

/** The key id for a new key: `<id>-key-1`, or the next after the registered one. */
function nextKeyId(id: string, registered: Institution | undefined): string {
  return registered === undefined ? `${id}-key-1` : nextKeyIdAfter(registered);
}

function keyIdFor(id: string, publicKey: string, registered: Institution | undefined): string {
  if (registered !== undefined && registered.key.publicKey === publicKey) return registered.key.keyId;
  return nextKeyId(id, registered);
}
