# syntax=docker/dockerfile:1
# One image for every role: APP_ROLE=api serves HTTP, APP_ROLE=worker runs queues and the scheduler,
# and the same image runs the migrations and the seed (see docker-compose.yml).

FROM node:20-bookworm-slim AS build
WORKDIR /app
# Dependencies first, so editing the source does not reinstall them.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# templates/ may still be empty (git keeps no empty folders); the runtime stage copies it either way.
RUN mkdir -p templates \
 && npm run build \
 && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./package.json
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
# Notice e-mails and letters are rendered from these at run time.
COPY --from=build --chown=node:node /app/templates ./templates
USER node
EXPOSE 3000
CMD ["node", "dist/src/main.js"]
