// A CommonJS module of the app: webpack must bundle its require() of tokenstore as the same copy the
// ES modules import (the module entry, which fetches the wasm), not the CommonJS build for Node.
module.exports = require("tokenstore").TokenStore;
