/**
 * The yuanbridge SDK: `import { YuanbridgeClient } from 'yuanbridge/sdk'`.
 *
 * A typed client for every operation of openapi.yaml (types generated from it into
 * generated/api-types.ts), signing each request with HTTP Message Signatures (RFC 9421,
 * Ed25519 with @noble/curves). docs/integration.md is the guide.
 */
export { YuanbridgeClient } from './client.js';
export type { ReadOptions, WriteOptions } from './client.js';
export { YuanbridgeProblem } from './problem.js';
export type { ProblemError } from './problem.js';
export { pages, pageItems } from './pagination.js';
export type { Page } from './pagination.js';
export type { StreamEvent, StreamOptions } from './event-stream.js';
export type { ApiResponse, CallOptions, SuccessBody, YuanbridgeClientOptions } from './transport.js';
export { OPERATIONS, API_VERSION } from './generated/api-types.js';
export type * from './generated/api-types.js';
export { generateKeyPair, publicKeyToBase64url, secretKeyToBase64url } from '../platform/signatures/keys.js';
export { signRequest } from '../platform/signatures/sign-request.js';
