// Lets TypeScript code (src/database) import the plain-JS migrations, which run unbuilt from
// this folder both under ts (tests) and from dist (production).
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export declare const migrations: Function[];
