# syntax=docker/dockerfile:1
# One image for every role: APP_ROLE=api serves HTTP, APP_ROLE=worker runs queues and the scheduler,
# and the same image runs the migrations and the seed (see docker-compose.yml).

FROM node:20-bookworm-slim AS build
WORKDIR /app
# Dependencies first, so editing the source does not reinstall them.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
# V8 sizes its heap from the host's memory and, on a big host, lets an API process grow past
# 300 MB before collecting; 160 MB of old space keeps it near 160 MB RSS at the same throughput
# (bench/RESULTS.md, P5). The worker gets more in docker-compose.yml.
ENV NODE_ENV=production \
    PORT=3000 \
    NODE_OPTIONS=--max-old-space-size=160
WORKDIR /app
# The whole pruned tree, not just dist/: templates/ and any other files read at run time come along
# (.dockerignore keeps tests, docs and local state out of the build context).
COPY --from=build --chown=node:node /app /app
USER node
EXPOSE 3000
CMD ["node", "dist/src/main.js"]
