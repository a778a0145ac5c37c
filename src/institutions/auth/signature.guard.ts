import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { CLOCK, type Clock } from '../../platform/clock/clock.js';
import { APP_CONFIG, type AppConfig } from '../../platform/config/config.js';
import { ProblemException } from '../../platform/http/problem.js';
import { InMemoryReplayGuard, keyFromBase64url, verifyRequest } from '../../platform/signatures/index.js';
import type { InstitutionKind } from '../domain/institution.js';
import { forbiddenRole } from '../domain/authorization.js';
import { InstitutionsSequencedModule } from '../institutions.sequenced-module.js';
import { AUTH_METADATA, type AuthenticatedRequest } from '../../platform/auth/caller.js';
import { targetUri } from '../../platform/auth/evidence.js';

/**
 * Every route is signed unless marked @Public(): the request must carry an RFC 9421 Ed25519
 * signature by a registered institution's current key, made within the configured window,
 * covering the method, the target URI and (with a body) its Content-Digest, never seen before.
 * Failures are 401 problem details naming the exact reason. Then, if the route names the kinds
 * of institution it serves (@AllowKinds), any other kind gets 403. Object-level rules (whose
 * wallet, which currency) are the deciders' and query handlers' business.
 *
 * Verification uses Node's OpenSSL (see docs/adr/0007-institutions-and-signed-requests.md), on
 * the calling thread (docs/adr/0015-signed-requests-verified-on-the-event-loop.md).
 */
@Injectable()
export class SignatureGuard implements CanActivate {
  private readonly replays: InMemoryReplayGuard;

  constructor(
    private readonly reflector: Reflector,
    private readonly institutions: InstitutionsSequencedModule,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.replays = new InMemoryReplayGuard({ clock: () => this.nowSeconds(), whenFull: 'reject' });
  }

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(AUTH_METADATA.PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest & { rawBody?: Buffer }>();
    const state = this.institutions.state;
    // On the event loop, not libuv's thread pool (docs/adr/0015): on this project's two cores the
    // hand-off cost more than it freed, since the pool thread it wakes takes the core from the
    // event loop, which is also the sequencer's.
    const result = verifyRequest({
      method: request.method,
      url: targetUri(request),
      headers: request.headers,
      body: request.rawBody,
      now: this.nowSeconds(),
      maxAgeSeconds: this.config.signatureMaxAgeSeconds,
      maxSkewSeconds: this.config.signatureMaxSkewSeconds,
      resolveKey: (keyId) => {
        const institution = state.byKeyId(keyId);
        return institution === undefined
          ? undefined
          : { publicKey: keyFromBase64url(institution.key.publicKey) };
      },
      replayGuard: this.replays,
    });
    if (!result.ok) {
      throw new ProblemException(
        { code: result.reason, status: 401, title: 'Request signature not accepted', detail: result.detail },
        {
          'WWW-Authenticate': 'Signature',
          'Accept-Signature': 'sig1=("@method" "@target-uri" "content-digest");alg="ed25519"',
        },
      );
    }
    // Looked up again: the key may have been rotated out while the signature was being checked.
    const institution = this.institutions.state.byKeyId(result.keyId);
    if (institution === undefined) {
      throw new ProblemException(
        {
          code: 'signature_key_unknown',
          status: 401,
          title: 'Request signature not accepted',
          detail: `The key ${result.keyId} was rotated out.`,
        },
        { 'WWW-Authenticate': 'Signature' },
      );
    }
    request.caller = {
      institution,
      keyId: result.keyId,
      signature: {
        label: result.label,
        input: String(request.headers['signature-input']),
        value: String(request.headers['signature']),
        created: result.created,
        coveredComponents: result.coveredComponents,
      },
    };
    const kinds = this.reflector.getAllAndOverride<InstitutionKind[] | undefined>(
      AUTH_METADATA.KINDS,
      targets,
    );
    if (kinds !== undefined && !kinds.includes(institution.kind)) {
      throw new ProblemException(forbiddenRole(institution, `call ${request.method} ${request.path}`, kinds));
    }
    return true;
  }

  private nowSeconds(): number {
    return Number(this.clock.nowNs() / 1_000_000_000n);
  }
}
