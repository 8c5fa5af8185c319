# syntax=docker/dockerfile:1
# The renderer image: Next.js standalone output (NEXT_OUTPUT=standalone, see web/next.config.ts),
# served by `node server.js` as the unprivileged `node` user. Build from the repository root:
#   docker build -f infra/docker/web.Dockerfile -t mortar-web .
# The Node.js LTS of development and CI (the Makefile's NODE_MAJOR, web/package.json).
ARG NODE_VERSION=24

# --- deps: node_modules from the lock file only ----------------------------------------
FROM node:${NODE_VERSION}-bookworm-slim AS deps
WORKDIR /web
COPY web/package.json web/package-lock.json ./
RUN npm ci --no-audit --no-fund

# --- build: next build; the CMS is not needed (pages render on request) ----------------
FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /web
ENV NEXT_TELEMETRY_DISABLED=1 NODE_ENV=production NEXT_OUTPUT=standalone
# Defaults only: the server reads both when it starts (web/lib/settings.ts), so the
# container's environment decides.
ARG NEXT_PUBLIC_SITE_URL=https://lcl.example.com
ENV NEXT_PUBLIC_SITE_URL=$NEXT_PUBLIC_SITE_URL
ARG CMS_API_URL=http://api:8000
ENV CMS_API_URL=$CMS_API_URL
# The standalone server keeps the next.config.ts of the build: a REDIS_URL here selects
# the shared Redis cache handler (web/cache-handler.mjs), which connects only at run time,
# to the REDIS_URL the container is given (none: an in-memory cache of its own).
ARG REDIS_URL=redis://redis:6379/2
ENV REDIS_URL=$REDIS_URL
COPY --from=deps /web/node_modules ./node_modules
COPY web/ ./
RUN npm run build && mkdir -p public

# --- runtime: the standalone server, its static assets and public/ ---------------------
FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 PORT=3000 HOSTNAME=0.0.0.0
WORKDIR /app
COPY --from=build --chown=node:node /web/.next/standalone ./
COPY --from=build --chown=node:node /web/.next/static ./.next/static
COPY --from=build --chown=node:node /web/public ./public
USER node
EXPOSE 3000
CMD ["node", "server.js"]
