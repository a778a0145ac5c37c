/**
 * HTTP Message Signatures (RFC 9421) with Ed25519, and Content-Digest (RFC 9530).
 *
 * Client: `signRequest` (@noble/curves). Server: `verifyRequest` (Node's OpenSSL) with an
 * optional `InMemoryReplayGuard`. Keys: `generateKeyPair` and the JWK/base64url helpers.
 */
export { contentDigest, digestBytes, verifyContentDigest } from './content-digest.js';
export type { ContentDigestAlgorithm, ContentDigestCheck } from './content-digest.js';
export { SIGNATURE_FAILURES, describeSignatureFailure, isSignatureFailure } from './failures.js';
export type { SignatureFailure } from './failures.js';
export {
  ED25519_KEY_BYTES,
  ED25519_SIGNATURE_BYTES,
  generateKeyPair,
  isValidPublicKey,
  keyFromBase64url,
  keyPairFromJson,
  keyPairFromJwk,
  keyPairToJson,
  keyPairToJwk,
  publicKeyFromJson,
  publicKeyFromJwk,
  publicKeyFromSecretKey,
  publicKeyToBase64url,
  publicKeyToJson,
  publicKeyToJwk,
  readKeyPairFile,
  secretKeyToBase64url,
  writeKeyPairFile,
} from './keys.js';
export type { Ed25519KeyPair, Ed25519PrivateJwk, Ed25519PublicJwk } from './keys.js';
export { InMemoryReplayGuard } from './replay-guard.js';
export type { InMemoryReplayGuardOptions, ReplayGuard } from './replay-guard.js';
export {
  DERIVED_COMPONENTS,
  buildSignatureBase,
  serializeSignatureParams,
  signatureBaseBytes,
} from './signature-base.js';
export type { HeaderMap, SignatureInput, SignatureParams, SignedRequestParts } from './signature-base.js';
export { DEFAULT_LABEL, defaultCoveredComponents, signRequest, signRequestDetailed } from './sign-request.js';
export type { SignRequestOptions, SignatureHeaders, SignedRequestDetails } from './sign-request.js';
export {
  clearVerificationKeyCache,
  defaultRequiredComponents,
  verificationKey,
  verifyRequest,
  verifyRequestAsync,
} from './verify-request.js';
export type {
  RejectedSignature,
  VerifiedSignature,
  VerifyRequestOptions,
  VerifyRequestResult,
} from './verify-request.js';
