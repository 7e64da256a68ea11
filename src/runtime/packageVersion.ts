// package.json sits two levels up both from src/runtime (tsx) and dist/runtime (built).
/** The software version (package.json): in the reports' Software Versions and the build info metric. */
export const packageVersion: string = require('../../package.json').version;
