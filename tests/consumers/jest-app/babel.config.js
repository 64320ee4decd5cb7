// What create-react-app's babel-preset-react-app amounts to in tests: modern JS for the running Node,
// JSX with the automatic runtime. Nothing in it is for tokenstore.
module.exports = {
  presets: [["@babel/preset-env", { targets: { node: "current" } }], ["@babel/preset-react", { runtime: "automatic" }]],
};
