// A classic script: the package's one global and its ready promise.
tokenstore.ready.then(function (api) { mountTokenUi(api, "static.classic"); });
