import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';

const repoRoot = path.join(__dirname, '..', '..', '..');

describe('the SDK stays in step with its sources', () => {
  it('src/sdk/generated/api-types.ts is what the generator makes of openapi.yaml today', async () => {
    // Regenerated in memory: a change to openapi.yaml without `npm run generate:sdk` fails here.
    const generator = (await import(
      pathToFileURL(path.join(repoRoot, 'scripts', 'generate-sdk-types.mjs')).href
    )) as { generate(spec: string): Promise<string>; OUTPUT_FILE: string };
    const expected = await generator.generate(fs.readFileSync(path.join(repoRoot, 'openapi.yaml'), 'utf8'));
    const committed = fs.readFileSync(generator.OUTPUT_FILE, 'utf8');
    assert.ok(
      committed === expected,
      'api-types.ts is out of date with openapi.yaml: run npm run generate:sdk',
    );
  });

  it("the README's SDK example is examples/sdk-quickstart.ts, which test/sdk/client.test.ts runs", () => {
    const example = fs.readFileSync(path.join(repoRoot, 'examples', 'sdk-quickstart.ts'), 'utf8');
    const region = /\/\/ README:start\n([\s\S]*?)\n\s*\/\/ README:end/.exec(example)?.[1];
    assert.ok(region, 'the README markers in examples/sdk-quickstart.ts');
    const indent = /^ */.exec(region)![0].length;
    const body = region
      .split('\n')
      .map((line) => line.slice(Math.min(indent, /^ */.exec(line)![0].length)))
      .join('\n');
    const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### SDK'));
    const block = /```ts\n([\s\S]*?)\n```/.exec(section)?.[1];
    assert.ok(block, 'a ```ts block under ### SDK in the README');
    assert.ok(block.includes("import { YuanbridgeClient } from 'yuanbridge/sdk';"));
    assert.ok(block.includes(body), `the README's example must contain, verbatim:\n${body}`);
  });
});
