# syntax=docker/dockerfile:1

# ---- build: install all dependencies, compile TypeScript, then drop dev dependencies ----
FROM node:20-bookworm-slim AS build
WORKDIR /app

COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

COPY . .
# tsc compiles src/, migrations/, test/ and bench/ into dist/ (migrations run from dist/migrations).
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund

# ---- runtime: compiled output + production dependencies only ----
FROM node:20-bookworm-slim AS runtime
WORKDIR /app

ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 YB_DATA_DIR=/app/data

COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The hand-written contract, served at /openapi.yaml and /docs (resolved from dist/src/../../).
COPY --from=build /app/openapi.yaml ./
# The /audit web page's static files, read from the source tree (resolved from dist/src/../../).
COPY --from=build /app/src/audit/web/public ./src/audit/web/public
# The sanctions list payments are screened against (YB_SANCTIONS_FILE, resolved from /app).
COPY --from=build /app/config ./config

# Writable directory for local state (e.g. an embedded database's data directory).
RUN mkdir -p /app/data && chown node:node /app/data

USER node
EXPOSE 3000

HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# Node itself is PID 1 (no shell in between), so `docker stop`'s SIGTERM reaches the service, which
# stops accepting, answers what is in flight, drains the sequencer, closes the database, exits 0.
CMD ["node", "dist/src/main.js"]
