// CommonJS: require() of the ES module package (Node 20.19+ and 22.12+), initSync() from disk.
const { initSync, TokenStore, decodeClaims } = require("tokenstore");

initSync();
const store = new TokenStore();
store.set(process.argv[2]);
console.log(`ok ${store.claims.name} ${decodeClaims(process.argv[2]).name}`);
