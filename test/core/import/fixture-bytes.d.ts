// Fixture files imported as their exact bytes (the fixtureBytes plugin in vitest.config.ts).
declare module "*?bytes" {
  const bytes: Uint8Array;
  export default bytes;
}
