/**
 * The SDK example the README shows (between the README markers, verbatim; test/sdk checks that
 * the two match and runs this against a service with the demo network).
 */
import { readFileSync } from 'node:fs';
import { YuanbridgeClient } from 'yuanbridge/sdk';

export async function quickstart(baseUrl = 'http://127.0.0.1:3000', keysFile = 'data/keys.json') {
  // README:start
  const { keyId, secretKey } = JSON.parse(readFileSync(keysFile, 'utf8')).institutions.SILKCNBJ;
  const yb = new YuanbridgeClient({ baseUrl, keyId, secretKey });

  const quote = await yb.fx.quote({ from: 'CNY', to: 'HKD', amount: '1000.00' });
  console.log(`1000.00 CNY buys ${quote.buy.amount} HKD, quote valid until ${quote.expiresAt}`);

  const payment = await yb.payments.submit(
    { payee: { bank: 'VICTHKHX' }, amount: '1000.00', currency: 'CNY', quote: quote.id, purpose: 'GDDS' },
    { idempotencyKey: 'invoice-42' }, // retry with the same key: the payment is made once
  );
  const read = await yb.payments.get(payment.id);
  console.log(
    read.status,
    read.buy?.amount,
    read.timeline.map((event) => event.type),
  );
  // README:end
  return { quote, payment, read };
}
