#!/bin/sh
# Prisma's CLI insists on a native schema engine it would download; this project migrates
# through @prisma/schema-engine-wasm instead (npm run db:migration / db:deploy).
if [ "$1" = "--version" ]; then echo "schema-engine-cli 0.0.0-offline-stub"; exit 0; fi
echo "The native schema engine is not used here: run npm run db:migration or npm run db:deploy." >&2
exit 1
