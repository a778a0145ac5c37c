import { createPrivateKey, sign as signWithOpenSsl, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import {
  generateKeyPair,
  keyPairToJson,
  keyPairToJwk,
  publicKeyToJwk,
  type Ed25519KeyPair,
} from '../signatures/index.js';
import {
  FIRST_NODE_KEY_ID,
  publicKeysOf,
  readNodeKeyring,
  type NodeKeyring,
  type RetiredNodeKey,
} from './node-keyring.js';

export const NODE_KEY_ID = FIRST_NODE_KEY_ID;

/**
 * The node's own Ed25519 key: it signs what the node sends out (webhook deliveries) and the audit
 * trail's checkpoints. Generated once into YB_NODE_KEY_FILE (a private JWK, mode 0600) and read
 * from there on every start, so receivers and auditors keep verifying across restarts; its public
 * half is served at GET /v1/node-key. `yuanbridge node-key rotate` replaces it (node-keyring.ts):
 * the keys it replaced stay in the file, public halves only, to verify what they signed.
 */
@Injectable()
export class NodeKey {
  readonly keyId: string;
  /** The keys this one replaced, oldest first, each endorsing its successor. */
  readonly retired: readonly RetiredNodeKey[];
  private readonly pair: Ed25519KeyPair;
  private readonly privateKey: KeyObject;
  private readonly publicKeys: Map<string, Uint8Array>;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const ring = loadOrCreate(config.nodeKeyFile);
    this.pair = ring.pair;
    this.keyId = ring.keyId;
    this.retired = ring.retired;
    this.publicKeys = publicKeysOf(ring);
    this.privateKey = createPrivateKey({ key: { ...keyPairToJwk(ring.pair) }, format: 'jwk' });
  }

  /** The public key of this key or of one it replaced, by key id; null for any other id. */
  publicKeyFor(keyId: string): Uint8Array | null {
    return this.publicKeys.get(keyId) ?? null;
  }

  /**
   * An Ed25519 signature by the node key, computed by OpenSSL (node:crypto): ~36 µs here against
   * ~700 µs for @noble/curves, and the sequencer signs a checkpoint per committed batch on the
   * event loop. Ed25519 signing is deterministic (RFC 8032 §5.1.6), so the bytes are exactly
   * those `ed25519.sign` from @noble/curves gives for the same key and message; a test checks it,
   * and verifiers (the /audit page, webhook receivers) use noble.
   */
  sign(message: Uint8Array): Uint8Array {
    return signWithOpenSsl(null, message, this.privateKey);
  }

  get secretKey(): Uint8Array {
    return this.pair.secretKey;
  }

  get publicKey(): Uint8Array {
    return this.pair.publicKey;
  }

  publicJwk() {
    return publicKeyToJwk(this.pair.publicKey, this.keyId);
  }
}

function loadOrCreate(file: string): NodeKeyring {
  if (fs.existsSync(file)) return readNodeKeyring(file);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const pair = generateKeyPair();
  try {
    // 'wx': two processes starting on one data directory must not overwrite each other's key.
    fs.writeFileSync(file, keyPairToJson(pair, NODE_KEY_ID), { mode: 0o600, flag: 'wx' });
    return { keyId: NODE_KEY_ID, pair, retired: [] };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readNodeKeyring(file);
    throw error;
  }
}
