import os from 'node:os';

/** A non-loopback IPv4 address of this machine, when it has one (to prove what loopback-only excludes). */
export function externalAddress(): string | undefined {
  return Object.values(os.networkInterfaces())
    .flat()
    .find((address) => address && address.family === 'IPv4' && !address.internal)?.address;
}
