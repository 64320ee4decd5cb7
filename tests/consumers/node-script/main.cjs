// CommonJS: require() of the package (the ES module on Node 20.19+ and 22.12+, else the CommonJS
// build), initSync() from disk.
const { initSync, TokenStore, decodeClaims } = require("tokenstore");

initSync();
const store = new TokenStore();
store.set(process.argv[2]);
console.log(`ok ${store.claims.name} ${decodeClaims(process.argv[2]).name}`);
