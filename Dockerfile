# syntax=docker/dockerfile:1
# One image for both services: the agent (default command) and the sub-agent (compose overrides the command).
# Node 26 is the Active LTS line (since October 2026), pinned to the release CI tests (.ci/run): a
# rebuild gets the same runtime. CI also runs the demo and the span-tree suites on 22.15, the floor.
ARG NODE_IMAGE=node:26.12.1-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# The service only: dev/ (demo, receivers, bench) is not in the image. The incremental build's
# record (dist/.tsbuildinfo) is no use in the image either.
RUN npx tsc -b tsconfig.build.json && rm dist/.tsbuildinfo

FROM ${NODE_IMAGE} AS production-dependencies
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM ${NODE_IMAGE}
ENV NODE_ENV=production
WORKDIR /app
COPY --from=production-dependencies /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY knowledge-base ./knowledge-base
# The declarative configuration examples: OTEL_CONFIG_FILE=config/otel-production.yaml.
COPY config ./config
# The official image ships an unprivileged `node` user.
USER node
EXPOSE 8080 8081
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=5 CMD ["node", "dist/healthcheck.js"]
CMD ["node", "--require", "./dist/tracing/register.js", "dist/server.js"]
