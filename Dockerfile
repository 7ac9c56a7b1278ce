# flux-imgauto serve in a container: `docker build -t flux-imgauto .`, then set the image in
# deploy/base (kustomize edit set image flux-imgauto=REGISTRY/flux-imgauto:TAG).
# The build stage compiles and bundles; the runtime stage holds only package.json, bin/ and
# dist/ (the bundle carries every dependency), runs as a non-root user and starts `serve`.
FROM node:20-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts scripts
COPY bin bin
COPY src src
RUN npm run build

FROM node:20-slim
WORKDIR /app
COPY --from=build /src/package.json ./
COPY --from=build /src/bin bin
COPY --from=build /src/dist dist
USER 65532:65532
EXPOSE 9797
ENTRYPOINT ["node", "/app/bin/run.js"]
CMD ["serve", "--all-namespaces", "--listen", ":9797"]
