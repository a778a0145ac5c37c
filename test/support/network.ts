import assert from 'node:assert/strict';
import { generateKeyPair, publicKeyToBase64url } from '../../src/platform/signatures/index.js';
import type { Signer, TestApp } from './test-app.js';

/**
 * A small network registered over HTTP, as a user would: the operator registers PBOC (CN, CNY)
 * and HKMA (HK, HKD); each central bank registers its banks and regulator. Returns a signer per
 * institution for `app.request(..., { as })`.
 *
 *   CN: PBOC, BANKCN1 (liquidity provider), BANKCN2, REG-CN
 *   HK: HKMA, BANKHK1 (liquidity provider), BANKHK2, REG-HK
 */
export interface TestNetwork {
  readonly operator: Signer;
  readonly signers: Readonly<Record<string, Signer>>;
  as(id: string): Signer;
}

export const NETWORK_MEMBERS = [
  {
    id: 'PBOC',
    kind: 'central_bank',
    jurisdiction: 'CN',
    by: 'operator',
    establishes: { name: 'China (mainland)', currency: 'CNY', timeZone: 'Asia/Shanghai' },
  },
  {
    id: 'HKMA',
    kind: 'central_bank',
    jurisdiction: 'HK',
    by: 'operator',
    establishes: { name: 'Hong Kong SAR', currency: 'HKD', timeZone: 'Asia/Hong_Kong' },
  },
  { id: 'BANKCN1', kind: 'commercial_bank', jurisdiction: 'CN', by: 'PBOC', roles: ['liquidity_provider'] },
  { id: 'BANKCN2', kind: 'commercial_bank', jurisdiction: 'CN', by: 'PBOC' },
  { id: 'REG-CN', kind: 'regulator', jurisdiction: 'CN', by: 'PBOC' },
  { id: 'BANKHK1', kind: 'commercial_bank', jurisdiction: 'HK', by: 'HKMA', roles: ['liquidity_provider'] },
  { id: 'BANKHK2', kind: 'commercial_bank', jurisdiction: 'HK', by: 'HKMA' },
  { id: 'REG-HK', kind: 'regulator', jurisdiction: 'HK', by: 'HKMA' },
] as const;

export async function setUpNetwork(app: TestApp): Promise<TestNetwork> {
  const signers: Record<string, Signer> = {};
  for (const member of NETWORK_MEMBERS) {
    const pair = generateKeyPair();
    const keyId = `${member.id}-key-1`;
    const { by, ...fields } = member;
    const response = await app.request(
      'POST',
      '/v1/institutions',
      { ...fields, name: `${member.id} (test)`, keyId, publicKey: publicKeyToBase64url(pair.publicKey) },
      {},
      { as: by === 'operator' ? app.operator : signers[by] },
    );
    assert.equal(response.status, 201, `registering ${member.id}: ${response.text}`);
    signers[member.id] = { keyId, secretKey: pair.secretKey };
  }
  return {
    operator: app.operator,
    signers,
    as(id: string) {
      const signer = id === 'OPERATOR' ? app.operator : signers[id];
      if (signer === undefined) throw new Error(`no signer for ${id}`);
      return signer;
    },
  };
}
