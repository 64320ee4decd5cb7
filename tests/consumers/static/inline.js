// The single-file module: ready once imported, no .wasm fetched.
import * as api from "./node_modules/tokenstore/tokenstore.inline.js";

mountTokenUi(api, "static.inline");
