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
  readKeyPairFile,
  type Ed25519KeyPair,
} from '../signatures/index.js';

export const NODE_KEY_ID = 'yuanbridge-node-key-1';

/**
 * The node's own Ed25519 key: it signs what the node sends out (webhook deliveries) and the audit
 * trail's checkpoints. Generated once into YB_NODE_KEY_FILE (a private JWK, mode 0600) and read
 * from there on every start, so receivers and auditors keep verifying across restarts; its public
 * half is served at GET /v1/node-key.
 */
@Injectable()
export class NodeKey {
  readonly keyId: string;
  private readonly pair: Ed25519KeyPair;
  private readonly privateKey: KeyObject;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const loaded = loadOrCreate(config.nodeKeyFile);
    this.pair = loaded;
    this.keyId = loaded.kid ?? NODE_KEY_ID;
    this.privateKey = createPrivateKey({ key: { ...keyPairToJwk(loaded) }, format: 'jwk' });
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

function loadOrCreate(file: string): Ed25519KeyPair & { kid?: string } {
  if (fs.existsSync(file)) return readKeyPairFile(file);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const pair = generateKeyPair();
  try {
    // 'wx': two processes starting on one data directory must not overwrite each other's key.
    fs.writeFileSync(file, keyPairToJson(pair, NODE_KEY_ID), { mode: 0o600, flag: 'wx' });
    return { ...pair, kid: NODE_KEY_ID };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readKeyPairFile(file);
    throw error;
  }
}
