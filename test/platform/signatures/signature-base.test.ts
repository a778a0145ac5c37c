import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type HeaderMap,
  buildSignatureBase,
  readSignatureInput,
  serializeSignatureParams,
} from '../../../src/platform/signatures/signature-base.js';
import { parseInnerList } from '../../../src/platform/signatures/structured-fields.js';

function lines(url: string, components: string[], headers: HeaderMap = {}, method = 'POST'): string[] {
  const base = buildSignatureBase({ method, url, headers }, components, '()');
  assert.ok(base.ok, base.ok ? '' : base.error);
  return base.value.split('\n').slice(0, -1);
}

describe('signature base: derived components (RFC 9421 §2.2 examples)', () => {
  it('derives every supported component of POST https://www.example.com/path?param=value', () => {
    assert.deepEqual(
      lines('https://www.example.com/path?param=value', [
        '@method',
        '@target-uri',
        '@authority',
        '@scheme',
        '@request-target',
        '@path',
        '@query',
      ]),
      [
        '"@method": POST',
        '"@target-uri": https://www.example.com/path?param=value',
        '"@authority": www.example.com',
        '"@scheme": https',
        '"@request-target": /path?param=value',
        '"@path": /path',
        '"@query": ?param=value',
      ],
    );
  });

  it('keeps percent-encoding in the query and gives "?" for no query', () => {
    assert.deepEqual(lines('https://www.example.com/path?param=value&foo=bar&baz=bat%2Dman', ['@query']), [
      '"@query": ?param=value&foo=bar&baz=bat%2Dman',
    ]);
    assert.deepEqual(lines('https://www.example.com/path', ['@query']), ['"@query": ?']);
  });

  it('normalizes the authority (lowercase host, default port dropped, other ports kept) and empty path', () => {
    assert.deepEqual(
      lines('HTTPS://WWW.Example.COM:443', ['@authority', '@path', '@target-uri', '@scheme']),
      [
        '"@authority": www.example.com',
        '"@path": /',
        '"@target-uri": https://www.example.com/',
        '"@scheme": https',
      ],
    );
    assert.deepEqual(lines('http://localhost:3000/v1/x#frag', ['@authority', '@target-uri']), [
      '"@authority": localhost:3000',
      '"@target-uri": http://localhost:3000/v1/x',
    ]);
  });
});

describe('signature base: header fields (RFC 9421 §2.1)', () => {
  it('trims values, joins repeated lines with ", ", keeps an empty value', () => {
    assert.deepEqual(
      lines('https://example.com/', ['x-ows-header', 'cache-control', 'x-empty-header'], {
        'x-ows-header': '   Leading and trailing whitespace.   ',
        'cache-control': ['max-age=60', '   must-revalidate'],
        'x-empty-header': '',
      }),
      [
        '"x-ows-header": Leading and trailing whitespace.',
        '"cache-control": max-age=60, must-revalidate',
        '"x-empty-header": ',
      ],
    );
  });

  it('fails (does not skip) when a covered header is absent', () => {
    const base = buildSignatureBase(
      { method: 'GET', url: 'https://a.example/', headers: {} },
      ['date'],
      '()',
    );
    assert.deepEqual(base, { ok: false, error: 'covered header "date" is absent' });
  });

  it('refuses values that could forge base lines, and bad methods and URLs', () => {
    const req = { method: 'GET', url: 'https://a.example/', headers: { x: 'a\n"@method": POST' } };
    assert.equal(buildSignatureBase(req, ['x'], '()').ok, false);
    assert.equal(buildSignatureBase({ ...req, method: 'GET\n' }, ['@method'], '()').ok, false);
    assert.equal(buildSignatureBase({ ...req, url: '/relative' }, ['@path'], '()').ok, false);
    assert.equal(buildSignatureBase({ ...req, headers: { x: 'snow☃' } }, ['x'], '()').ok, false);
  });

  it('ends with the @signature-params line and no trailing newline', () => {
    const params = serializeSignatureParams(['@method'], {
      created: 1,
      expires: 2,
      nonce: 'n',
      alg: 'ed25519',
      keyid: 'k',
      tag: 't',
    });
    assert.equal(params, '("@method");created=1;expires=2;nonce="n";alg="ed25519";keyid="k";tag="t"');
    const base = buildSignatureBase(
      { method: 'GET', url: 'https://a.example/', headers: {} },
      ['@method'],
      params,
    );
    assert.ok(base.ok);
    assert.equal(base.value, `"@method": GET\n"@signature-params": ${params}`);
  });
});

describe('readSignatureInput', () => {
  function read(text: string) {
    const list = parseInnerList(text);
    assert.ok(list.ok, list.ok ? '' : list.error);
    return readSignatureInput(list.value);
  }

  it('reads components and known parameters, keeps unknown ones in the signed line', () => {
    const input = read('("@method" "content-digest");created=10;keyid="k";foo=bar');
    assert.ok(input.ok);
    assert.deepEqual(input.value.components, ['@method', 'content-digest']);
    assert.deepEqual(input.value.params, { created: 10, keyid: 'k' });
    assert.equal(input.value.signatureParams, '("@method" "content-digest");created=10;keyid="k";foo=bar');
  });

  it('rejects what it does not support or what RFC 9421 forbids', () => {
    const cases: [string, RegExp][] = [
      ['("@method" "@method");created=1', /listed twice/],
      ['("@query-param";name="a");created=1', /component parameters are not supported/],
      ['("content-type";sf);created=1', /component parameters/],
      ['("@status");created=1', /unsupported derived component/],
      ['("@signature-params");created=1', /cannot be covered/],
      ['("Content-Type");created=1', /lowercase header field name/],
      ['(method);created=1', /must be strings/],
      ['("@method");created="1"', /"created" must be a non-negative integer/],
      ['("@method");created=-1', /"created" must be a non-negative integer/],
      ['("@method");keyid=k', /"keyid" must be a string/],
    ];
    for (const [text, reason] of cases) {
      const input = read(text);
      assert.equal(input.ok, false, text);
      if (!input.ok) assert.match(input.error, reason, text);
    }
  });
});
