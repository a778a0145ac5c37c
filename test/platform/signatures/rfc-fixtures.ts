/**
 * Test data transcribed from RFC 9421 (HTTP Message Signatures), Appendix B, and RFC 9530.
 * The RFC prints long lines wrapped per RFC 8792; they are unwrapped here.
 */

/** RFC 9421 §B.1.4 test-key-ed25519, PKCS#8 (private) and SPKI (public), base64 DER. */
export const RFC_ED25519_PRIVATE_PKCS8 = 'MC4CAQAwBQYDK2VwBCIEIJ+DYvh6SEqVTm50DFtMDoQikTmiCqirVv9mWG9qfSnF';
export const RFC_ED25519_PUBLIC_SPKI = 'MCowBQYDK2VwAyEAJrQLj5P/89iXES9+vFgrIy29clF9CC/oPPsw3c5D0bs=';
export const RFC_ED25519_KEY_ID = 'test-key-ed25519';

/** The raw 32-byte key: the last 32 bytes of the DER structures (RFC 8410). */
export function rawKeyFromDer(base64Der: string): Uint8Array {
  const der = Buffer.from(base64Der, 'base64');
  return new Uint8Array(der.subarray(der.length - 32));
}

/** RFC 9421 §B.2 test-request (POST https://example.com/foo?param=Value&Pet=dog). */
export const RFC_REQUEST = {
  method: 'POST',
  url: 'https://example.com/foo?param=Value&Pet=dog',
  headers: {
    host: 'example.com',
    date: 'Tue, 20 Apr 2021 02:07:55 GMT',
    'content-type': 'application/json',
    'content-digest':
      'sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:',
    'content-length': '18',
  } as Record<string, string>,
  body: '{"hello": "world"}',
};

/** RFC 9421 §B.2.6: covered components, created, label, signature base and signature. */
export const B26_COMPONENTS = ['date', '@method', '@path', '@authority', 'content-type', 'content-length'];
export const B26_CREATED = 1618884473;
export const B26_LABEL = 'sig-b26';
export const B26_SIGNATURE_INPUT =
  'sig-b26=("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519"';
export const B26_SIGNATURE =
  'sig-b26=:wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw==:';
export const B26_SIGNATURE_BASE = [
  '"date": Tue, 20 Apr 2021 02:07:55 GMT',
  '"@method": POST',
  '"@path": /foo',
  '"@authority": example.com',
  '"content-type": application/json',
  '"content-length": 18',
  '"@signature-params": ("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519"',
].join('\n');

/** RFC 9530 §2 example: the sha-256 Content-Digest of `{"hello": "world"}`. */
export const RFC9530_BODY = '{"hello": "world"}';
export const RFC9530_SHA256 = 'sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:';
