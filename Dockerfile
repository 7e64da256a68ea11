# mammocad image: one image for every role (all-in-one, receiver, worker); the role is the command.
#   docker build -t mammocad .
#   docker run --stop-timeout 60 -p 11112:11112 -p 8080:8080 -v mammocad-data:/var/lib/mammocad mammocad (all-in-one)
#   docker compose up --scale worker=4                                                            (split roles)
# CPU inference only: the runtime stage has no CUDA, cuDNN or Vulkan libraries. A GPU worker image needs
# them as well as the cuda12 install of onnxruntime-node (docs/operations.md, "GPU workers").

FROM node:20-bookworm AS build
WORKDIR /app
ARG ONNXRUNTIME_NODE_INSTALL=skip
ENV ONNXRUNTIME_NODE_INSTALL=${ONNXRUNTIME_NODE_INSTALL}
COPY package.json package-lock.json .npmrc ./
# npm install (not ci) for the reason given in scripts/setup.sh; the lock file still pins every version.
RUN npm install --no-audit --no-fund --loglevel=error
COPY tsconfig.json ./
COPY src ./src
RUN npx tsc -p tsconfig.json && npm prune --omit=dev --no-audit --no-fund --loglevel=error

FROM node:20-bookworm-slim
# redis-server: all-in-one starts its own Redis when MAMMOCAD_REDIS_URL is empty.
# dcmtk: echoscu/storescu for trying the node from inside the container; not needed by the roles.
# libopenjp2-tools: opj_decompress, which decodes JPEG 2000 in about half the time of the bundled WASM build.
RUN apt-get update \
 && apt-get install -y --no-install-recommends redis-server dcmtk libopenjp2-tools tini ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY config ./config
COPY models ./models
RUN useradd --system --uid 10001 --home /var/lib/mammocad mammocad \
 && mkdir -p /var/lib/mammocad && chown mammocad /var/lib/mammocad
USER mammocad
ENV NODE_ENV=production \
    MAMMOCAD_DATA_DIR=/var/lib/mammocad \
    MAMMOCAD_MODEL_DIR=/app/models \
    MAMMOCAD_DICOM_PORT=11112 \
    MAMMOCAD_HTTP_PORT=8080
VOLUME ["/var/lib/mammocad"]
EXPOSE 11112 8080
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s \
  CMD ["node", "dist/cli/main.js", "healthcheck"]
# tini forwards SIGTERM so a role drains its associations and jobs before the container stops.
ENTRYPOINT ["/usr/bin/tini", "--", "node", "dist/cli/main.js"]
CMD ["all-in-one"]
