import { Controller, Get } from '@nestjs/common';
import { Public } from '../../platform/auth/caller.js';
import { publicKeyToBase64url } from '../../platform/signatures/index.js';
import { NodeKey } from '../../platform/node-key/node-key.js';

/**
 * The node's public key, to anyone: receivers of webhooks verify the deliveries with it, auditors
 * the checkpoints. `retired`: the keys it replaced (what they signed stays theirs to verify), each
 * with its endorsement of the next key.
 */
@Controller('v1/node-key')
@Public()
export class NodeKeyController {
  constructor(private readonly nodeKey: NodeKey) {}

  @Get()
  get() {
    return {
      keyId: this.nodeKey.keyId,
      algorithm: 'ed25519',
      publicKey: publicKeyToBase64url(this.nodeKey.publicKey),
      jwk: this.nodeKey.publicJwk(),
      retired: this.nodeKey.retired.map((k) => ({
        keyId: k.keyId,
        publicKey: publicKeyToBase64url(k.publicKey),
        retiredAt: k.retiredAt,
        successor: k.successor,
        endorsement: Buffer.from(k.endorsement).toString('base64url'),
      })),
    };
  }
}
