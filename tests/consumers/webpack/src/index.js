import init, { TokenStore } from "tokenstore";
import RequiredTokenStore from "./required.cjs";

await init();

const store = new TokenStore({ key: "webpack.jwt" });
const $ = (id) => document.getElementById(id);
let logins = 0;
store.autoLogin({ onLogin: () => ($("logins").textContent = String(++logins)) });
store.subscribe((snapshot) => {
  $("status").textContent = snapshot.status === "authenticated" ? `Welcome, ${snapshot.claims.name}` : "anonymous";
});
$("logins").textContent = String(logins);
$("login").onclick = () => store.set($("token").value);
$("logout").onclick = () => store.clear();
document.body.dataset.oneCopy = String(RequiredTokenStore === TokenStore);
document.body.dataset.ready = "yes";
