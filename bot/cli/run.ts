import { processIO } from './command.ts';
import { runCommandLine } from './runner.ts';

/** `tsx bot/cli/run.ts <command> [args…]`: the entry point behind `npm run ask`, `ingest`, `feedback`… */
process.exitCode = await runCommandLine(process.argv[2], process.argv.slice(3), processIO());
