import { Controller, Get } from '@nestjs/common';
import { Public } from '../../platform/auth/caller.js';
import { publicKeyToBase64url } from '../../platform/signatures/index.js';
import { NodeKey } from '../../platform/node-key/node-key.js';

/** The node's public key, to anyone: receivers of webhooks verify the deliveries with it. */
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
    };
  }
}
