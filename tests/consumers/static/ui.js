// The page's UI, a classic script so every page can use it: give it the package's API once it is ready.
function mountTokenUi(api, key) {
  var store = new api.TokenStore({ key: key });
  var logins = 0;
  var $ = function (id) { return document.getElementById(id); };
  store.autoLogin({
    onLogin: function () { logins += 1; $("logins").textContent = String(logins); },
  });
  store.subscribe(function (snapshot) {
    $("status").textContent = snapshot.status === "authenticated" ? "Welcome, " + snapshot.claims.name : "anonymous";
  });
  $("logins").textContent = String(logins);
  $("login").onclick = function () { store.set($("token").value); };
  $("logout").onclick = function () { store.clear(); };
  document.body.dataset.ready = "yes";
}
