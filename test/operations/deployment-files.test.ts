import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { loadConfig, REPO_ROOT } from '../../src/platform/config/config.js';

/**
 * docker-compose.yml, the Dockerfile and .dockerignore cannot be run here (no Docker engine), so
 * their structure is checked instead, against what the service needs: they must not rot silently.
 */
const read = (name: string) => fs.readFileSync(path.join(REPO_ROOT, name), 'utf8');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Yaml = any;

describe('docker-compose.yml', () => {
  const compose: Yaml = parse(read('docker-compose.yml'));
  const { postgres, app } = compose.services;

  it('has PostgreSQL 15 with a pg_isready healthcheck and a data volume', () => {
    assert.match(postgres.image, /^postgres:15(\b|$)/);
    const test = [postgres.healthcheck.test].flat().join(' ');
    assert.match(test, /pg_isready/);
    assert.match(test, new RegExp(`-U ${postgres.environment.POSTGRES_USER}\\b`));
    for (const key of ['interval', 'timeout', 'retries']) assert.ok(postgres.healthcheck[key], key);
    assert.ok(postgres.volumes.some((v: string) => v.endsWith(':/var/lib/postgresql/data')));
  });

  it('builds the service from the repository’s Dockerfile and starts it once PostgreSQL is healthy', () => {
    const build = typeof app.build === 'string' ? { context: app.build } : app.build;
    assert.equal(build.context, '.');
    assert.ok(fs.existsSync(path.join(REPO_ROOT, build.dockerfile ?? 'Dockerfile')));
    assert.deepEqual(app.depends_on, { postgres: { condition: 'service_healthy' } });
  });

  it('points the service at that PostgreSQL with a configuration loadConfig accepts', () => {
    const env: Record<string, string> = app.environment;
    const url = new URL(env.DATABASE_URL!);
    const pg = postgres.environment;
    assert.equal(url.hostname, 'postgres'); // the service name
    assert.equal(url.port, '5432');
    assert.equal(decodeURIComponent(url.username), pg.POSTGRES_USER);
    assert.equal(decodeURIComponent(url.password), pg.POSTGRES_PASSWORD);
    assert.equal(url.pathname, `/${pg.POSTGRES_DB}`);
    assert.equal(env.HOST, '0.0.0.0'); // reachable through the published port
    const config = loadConfig(env);
    assert.ok(app.ports.includes(`${config.port}:${config.port}`));
  });

  it('health-checks the service on /ready, on the port it listens on', () => {
    const test = [app.healthcheck.test].flat().join(' ');
    assert.match(test, /^CMD /);
    assert.match(test, /\/ready'/);
    assert.match(test, /process\.env\.PORT \|\| 3000/);
    for (const key of ['interval', 'timeout', 'retries', 'start_period'])
      assert.ok(app.healthcheck[key], key);
  });

  it('gives the service time to drain on stop, and names every volume it mounts', () => {
    assert.match(app.stop_grace_period, /^\d+s$/);
    const mounted = [...postgres.volumes, ...app.volumes].map((v: string) => v.split(':')[0]);
    for (const name of mounted) assert.ok(name in compose.volumes, `volume ${name} is declared`);
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const instructions = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const stages = instructions.filter((line) => line.startsWith('FROM '));

  it('builds in one Node 20 slim stage and runs in another', () => {
    assert.equal(stages.length, 2);
    for (const stage of stages) assert.match(stage, /^FROM node:20(-[a-z]+)?-slim AS \w+$/);
    assert.ok(instructions.some((line) => /^RUN npm ci\b/.test(line)));
    assert.ok(instructions.some((line) => /^RUN npm run build\b/.test(line)));
    assert.ok(instructions.some((line) => /^COPY --from=build \/app\/dist /.test(line)));
  });

  it('runs as a non-root user, the entry point directly (so it receives SIGTERM), with a /health check', () => {
    const runtime = instructions.slice(instructions.indexOf(stages[1]!));
    const user = runtime.filter((line) => line.startsWith('USER '));
    assert.deepEqual(user, ['USER node']);
    assert.ok(runtime.some((line) => /^HEALTHCHECK .*CMD .*\/health'/.test(line)));
    assert.equal(runtime.at(-1), 'CMD ["node", "dist/src/main.js"]');
    assert.ok(runtime.some((line) => /^COPY --from=build \/app\/openapi\.yaml /.test(line)));
    assert.ok(runtime.some((line) => /^COPY --from=build \/app\/config /.test(line)));
  });
});

describe('.dockerignore', () => {
  it('keeps local builds, dependencies, data and secrets out of the build context', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .map((line) => line.trim());
    for (const entry of ['node_modules', 'dist', 'data', '.git', '.env']) {
      assert.ok(ignored.includes(entry), `${entry} is ignored`);
    }
    // The build needs these: none of them may be ignored.
    for (const needed of ['src', 'migrations', 'openapi.yaml', 'config', 'package-lock.json']) {
      assert.ok(!ignored.includes(needed), `${needed} is not ignored`);
    }
  });
});
